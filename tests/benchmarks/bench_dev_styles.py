"""The development drawings read by style and by half of the writers, for issue 24.

Run: ``python tests/benchmarks/bench_dev_styles.py [MODEL] [--mnist] [--errors]``;
prints one JSON object: accuracy and errors, per-class accuracy, how many of the
flagged 1s, crossed 7s and hooked 9s were read right, the two halves of the writers,
and with ``--mnist`` the MNIST test accuracy (``DIGITPAD_MNIST``), with ``--errors``
every misread drawing's id, label and reading.

The styles come from geometric rules on the strokes, written to *measure* (never to
train or to choose a drawing): the README's model section gives the definitions. They
live here because two sessions' scripts were lost with their machines, and the
README's style counts must be re-derivable. The halves split the writers by the parity
of the first byte of the SHA-1 of their name, so a gain that is one writer's shows as
a gain in one half only.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # tests.support, when run as a script
from digitpad.core.ink.drawing import Drawing, load_drawings  # noqa: E402
from digitpad.core.models.inference import load_predictor  # noqa: E402
from digitpad.core.preprocess.mnist_input import preprocess_drawing  # noqa: E402
from tests.support.dev_drawings import require_dev_drawings  # noqa: E402

LEAD = 0.18  # of the digit's height: how far left a flag or a hook's end must reach


def _points(drawing: Drawing) -> tuple[list[np.ndarray], float, float]:
    """Strokes as arrays, and the digit's top and height."""
    strokes = list(drawing.point_arrays)
    every = np.concatenate(strokes)
    top, bottom = every[:, 1].min(), every[:, 1].max()
    return strokes, top, max(bottom - top, 1e-6)


def is_flagged_one(drawing: Drawing) -> bool:
    """A 1 whose stroke through its topmost point rises to it from the left: a point
    written before the top lies at least ``LEAD`` of the height left of it."""
    strokes, top, height = _points(drawing)
    stroke = next(s for s in strokes if s[:, 1].min() == top)
    at = int(stroke[:, 1].argmin())
    return bool((stroke[: at + 1, 0] <= stroke[at, 0] - LEAD * height).any())


def is_crossed_seven(drawing: Drawing) -> bool:
    """A 7 with a second stroke, 1.5x wider than tall, across its middle third."""
    strokes, top, height = _points(drawing)
    for stroke in strokes[1:]:
        width, tall = np.ptp(stroke[:, 0]), np.ptp(stroke[:, 1])
        middle = (stroke[:, 1].mean() - top) / height
        if width >= 1.5 * max(tall, 1e-6) and 0.3 <= middle <= 0.75:
            return True
    return False


def is_hooked_nine(drawing: Drawing) -> bool:
    """A 9 whose last stroke ends low, at least ``LEAD`` of the height left of where
    its tail passes 50-70 % of the height (a "g"-like tail curving left)."""
    strokes, top, height = _points(drawing)
    last = strokes[-1]
    depth = (last[:, 1] - top) / height
    end = last[-1]
    if (end[1] - top) / height < 0.75:
        return False
    band = last[(depth >= 0.5) & (depth <= 0.7)]
    return bool(len(band)) and end[0] <= band[:, 0].max() - LEAD * height


STYLES = {
    "flagged 1": (1, is_flagged_one),
    "crossed 7": (7, is_crossed_seven),
    "hooked 9": (9, is_hooked_nine),
}


def writer_half(writer: str | None) -> int:
    return hashlib.sha1((writer or "").encode()).digest()[0] % 2


def mnist_accuracy(predictor) -> float | None:
    """As ``digitpad evaluate`` reads it, from ``DIGITPAD_MNIST``; None without it."""
    from digitpad.cli.evaluate_command import evaluate_mnist

    path = os.environ.get("DIGITPAD_MNIST")
    return evaluate_mnist(predictor, Path(path)).accuracy if path else None


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    predictor = load_predictor(Path(args[0]) if args else None)
    drawings, _ = load_drawings(require_dev_drawings())
    start = time.perf_counter()
    images = np.stack([preprocess_drawing(d).image for d in drawings])
    with predictor.reading_many():
        read = predictor.predict_probabilities(images).argmax(1)
    labels = np.array([d.label for d in drawings])
    right = read == labels
    halves = np.array([writer_half(d.extra.get("writer")) for d in drawings])
    report: dict = {
        "model": predictor.name,
        "drawings": len(drawings),
        "accuracy": float(right.mean()),
        "errors": int((~right).sum()),
        "per_class": {
            str(c): round(float(right[labels == c].mean()), 4) for c in range(10)
        },
        "halves": [
            {
                "drawings": int((halves == h).sum()),
                "accuracy": round(float(right[halves == h].mean()), 4),
            }
            for h in (0, 1)
        ],
    }
    for name, (digit, rule) in STYLES.items():
        members = [i for i, d in enumerate(drawings) if d.label == digit and rule(d)]
        report[name] = {"count": len(members), "read_right": int(right[members].sum())}
    if "--mnist" in sys.argv:
        report["mnist"] = mnist_accuracy(predictor)
    if "--errors" in sys.argv:
        report["misread"] = [
            {
                "id": drawings[i].extra.get("id"),
                "label": int(labels[i]),
                "read": int(read[i]),
            }
            for i in np.flatnonzero(~right)
        ]
    report["seconds"] = round(time.perf_counter() - start, 1)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
