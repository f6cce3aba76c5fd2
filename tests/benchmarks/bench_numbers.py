"""Reading whole numbers built from the pen-written dev drawings, as a user writes them.

Each number: 2-6 digits by one writer, scaled to one digit height (+-12% per digit),
left to right with gaps from a slight overlap (-0.04 of the digit height) to half a
digit height and some baseline jitter, on a canvas the size of the app's (520 px high,
520 to 1100 px wide). Measures how often the count of digits is right, the digits right
where it is (against reading the same drawings one at a time), how often a single dev
drawing is read as exactly one digit, and the time to read a 6-digit number: from
scratch, live (its last stroke just drawn, the other digits' inputs cached) and the
network alone (all six digits with every activation, one LiteRT call).

Run: ``python tests/benchmarks/bench_numbers.py [MODEL]``; prints one JSON object.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # tests.support, when run as a script
from tests.support.dev_drawings import require_dev_drawings  # noqa: E402

NUMBERS = 1000
CANVAS_HEIGHT = 520
CANVAS_WIDTHS = (520, 1100)


def build_number(drawings: list, rng: np.random.Generator) -> tuple[object, str]:
    """One number as a Drawing (strokes in writing order) and its label string."""
    from digitpad.core.ink.drawing import Drawing

    width = float(rng.integers(*CANVAS_WIDTHS, endpoint=True))
    boxes = []
    for d in drawings:
        points = np.concatenate([np.asarray(s, dtype=np.float64) for s in d.strokes])
        boxes.append((points.min(axis=0), points.max(axis=0)))
    scales = rng.uniform(0.88, 1.12, len(drawings))
    gaps = rng.uniform(-0.04, 0.5, len(drawings) - 1)
    # the widest digit height that fits the canvas with a margin, at most 45% of it
    unit_width = sum(
        (hi[0] - lo[0]) / max(hi[1] - lo[1], 1e-6) * s
        for (lo, hi), s in zip(boxes, scales, strict=True)
    ) + float(gaps.sum())
    fit = min(0.9 * width / unit_width, 0.45 * CANVAS_HEIGHT)
    height = rng.uniform(min(60.0, fit), fit)
    strokes, x = [], rng.uniform(0.02, 0.05) * width
    baseline = CANVAS_HEIGHT / 2 + height / 2
    for i, (d, (lo, hi), s) in enumerate(zip(drawings, boxes, scales, strict=True)):
        factor = height * s / max(hi[1] - lo[1], 1e-6)
        bottom = baseline + rng.uniform(-0.06, 0.06) * height
        for stroke in d.strokes:
            p = (np.asarray(stroke, dtype=np.float64) - lo) * factor
            p[:, 0] += x
            p[:, 1] += bottom - (hi[1] - lo[1]) * factor
            strokes.append(tuple(map(tuple, p.round(1).tolist())))
        x += (hi[0] - lo[0]) * factor
        if i < len(gaps):
            x += gaps[i] * height
    label = "".join(str(d.label) for d in drawings)
    return Drawing(width, float(CANVAS_HEIGHT), tuple(strokes)), label


def main() -> None:
    from digitpad.core.ink.drawing import Drawing, load_drawings
    from digitpad.core.models.inference import load_predictor
    from digitpad.core.numbers.reading import DigitCache, group_strokes, read_drawing
    from digitpad.core.preprocess.mnist_input import preprocess_drawing

    predictor = load_predictor(sys.argv[1] if len(sys.argv) > 1 else None)
    dev, _ = load_drawings(require_dev_drawings())
    single = [
        predictor.predict(preprocess_drawing(d).image).digit == d.label for d in dev
    ]
    one_digit = [len(group_strokes(d)) == 1 for d in dev]
    by_writer = defaultdict(list)
    for index, d in enumerate(dev):
        by_writer[d.extra.get("writer")].append(index)
    writers = [w for w, items in by_writer.items() if len(items) >= 2]

    rng = np.random.default_rng(2026)
    count_right = whole_right = 0
    hits = single_hits = digits = 0
    for _ in range(NUMBERS):
        pool = by_writer[writers[rng.integers(len(writers))]]
        n = int(rng.integers(2, min(6, len(pool)), endpoint=True))
        chosen = [int(i) for i in rng.choice(pool, n, replace=False)]
        drawing, label = build_number([dev[i] for i in chosen], rng)
        number = read_drawing(drawing, predictor).number
        whole_right += number == label
        if len(number) == len(label):
            count_right += 1
            hits += sum(a == b for a, b in zip(number, label, strict=True))
            single_hits += sum(single[i] for i in chosen)
            digits += n

    six = []
    while len(six) < 100:
        pool = by_writer[writers[rng.integers(len(writers))]]
        if len(pool) >= 6:
            chosen = [int(i) for i in rng.choice(pool, 6, replace=False)]
            six.append(build_number([dev[i] for i in chosen], rng)[0])
    for drawing in six[:10]:
        read_drawing(drawing, predictor)
    times = []
    for drawing in six:
        start = time.perf_counter()
        read_drawing(drawing, predictor)
        times.append(time.perf_counter() - start)
    live = []
    for drawing in six:  # the last stroke just drawn; the other digits are cached
        cache = DigitCache()
        before = Drawing(drawing.width, drawing.height, drawing.strokes[:-1])
        read_drawing(before, predictor, cache=cache)
        start = time.perf_counter()
        read_drawing(drawing, predictor, cache=cache)
        live.append(time.perf_counter() - start)
    lone = [preprocess_drawing(d).image for d in dev[:300]]
    start = time.perf_counter()
    for image in lone:
        predictor.predict(image)
    predict_ms = (time.perf_counter() - start) / len(lone) * 1e3
    prepared = [preprocess_drawing(d).image for d in dev[:6]]
    start = time.perf_counter()
    for _ in range(100):
        predictor.predict_many(prepared)
    network_ms = (time.perf_counter() - start) / 100 * 1e3

    print(
        json.dumps(
            {
                "model": predictor.name,
                "backend": predictor.backend,
                "numbers": NUMBERS,
                "count_right": count_right / NUMBERS,
                "whole_number_right": whole_right / NUMBERS,
                "digit_accuracy_where_count_right": hits / max(digits, 1),
                "single_digit_accuracy_same_drawings": single_hits / max(digits, 1),
                "single_digit_accuracy_all_dev": float(np.mean(single)),
                "dev_drawings_read_as_one_digit": float(np.mean(one_digit)),
                "six_digit_read_ms_median": float(np.median(times) * 1e3),
                "six_digit_read_ms_p95": float(np.percentile(times, 95) * 1e3),
                "six_digit_live_read_ms_median": float(np.median(live) * 1e3),
                "six_digit_live_read_ms_p95": float(np.percentile(live, 95) * 1e3),
                "six_digit_network_only_ms": network_ms,
                "one_digit_network_ms": predict_ms,
                "tensorflow_imported": "tensorflow" in sys.modules,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
