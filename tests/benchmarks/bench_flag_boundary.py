"""Where a model's line between a flagged 1 and a 7 lies, measured on written digits.

Run: ``python tests/benchmarks/bench_flag_boundary.py [MODEL]``; prints one JSON
object. Stroke-written 1s (``core/training/stroke_digits``) with the flag held at each
angle from the stem and each length (of the digit's height), and 7s with the stem
held at each lean from the vertical, 60 of each per cell, upright and then in a
random writer's hand (slant, rotation, wobble): the share read as 1 and as 7.

Why it exists (issue 24): the ones still misread among the development drawings have
flags 60-70 degrees from the stem, and a 7 whose bar is level and whose stem leans
10-35 degrees has its two strokes 55-80 degrees apart. Where the two overlap, one image
is both digits, and what a model answers is a prior, not a reading; this shows where
that prior sits, and what moving it would cost the sevens.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from digitpad.core.ink.drawing import Drawing  # noqa: E402
from digitpad.core.models.inference import load_predictor  # noqa: E402
from digitpad.core.preprocess.mnist_input import preprocess_drawing  # noqa: E402
from digitpad.core.training import stroke_digits  # noqa: E402

PER_CELL = 60
FLAG_ANGLES = (30, 40, 50, 55, 60, 65, 70)
FLAG_LENGTHS = (0.3, 0.45, 0.6, 0.8)
STEM_LEANS = (5, 10, 15, 20, 25, 30, 35)


def _fixed(
    rng: np.random.Generator, held: dict[tuple[float, float], float]
) -> Callable[[float, float], float]:
    """The generator's ``u(a, b)``, with the draws named by their range held."""

    def u(a: float, b: float) -> float:
        return held.get((a, b), float(rng.uniform(a, b)))

    return u


def _written(digit: Callable, rng: np.random.Generator, writer: bool, *held) -> Drawing:
    return stroke_digits.place_strokes(digit(rng, *held), rng, writer)


def _one(rng: np.random.Generator, angle: float, length: float) -> list[np.ndarray]:
    held = {stroke_digits.FLAG_DEGREES: angle, stroke_digits.FLAG_LENGTH: length}
    u = _fixed(rng, held)
    return stroke_digits._one(u, flag=True, foot=False)


def _seven(rng: np.random.Generator, lean: float) -> list[np.ndarray]:
    """A plain 7 whose stem leans ``lean`` degrees: the foot sits that far left."""
    width = float(rng.uniform(0.55, 0.8))
    foot = width - np.tan(np.radians(lean))
    u = _fixed(rng, {(0.55, 0.8): width, (0.1, 0.35): foot, (-0.1, 0.1): 0.0})
    return stroke_digits._seven(u, crossed=False, curved_top=False)


def _share(predictor, make: Callable[[], Drawing], digit: int) -> float:
    """The share of ``PER_CELL`` drawings from ``make`` that are read as ``digit``."""
    images = np.stack([preprocess_drawing(make()).image for _ in range(PER_CELL)])
    read = predictor.predict_probabilities(images).argmax(1)
    return round(float(np.mean(read == digit)), 3)


def main() -> None:
    predictor = load_predictor(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    rng = np.random.default_rng(24)
    start = time.perf_counter()
    report: dict = {"model": predictor.name, "per_cell": PER_CELL}
    with predictor.reading_many():
        for writer in (False, True):
            ones = {
                str(angle): {
                    str(length): _share(
                        predictor,
                        partial(_written, _one, rng, writer, angle, length),
                        1,
                    )
                    for length in FLAG_LENGTHS
                }
                for angle in FLAG_ANGLES
            }
            sevens = {
                str(lean): _share(
                    predictor,
                    partial(_written, _seven, rng, writer, lean),
                    7,
                )
                for lean in STEM_LEANS
            }
            report["writer's hand" if writer else "upright"] = {
                "flagged 1 read as 1, by flag angle from the stem, then length": ones,
                "plain 7 read as 7, by stem lean from the vertical": sevens,
            }
    report["seconds"] = round(time.perf_counter() - start, 1)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
