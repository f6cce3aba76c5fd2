"""Preprocessing time per drawing (strokes -> 28x28) on the pen-written dev set.

Run: ``python tests/benchmarks/bench_preprocess.py [DRAWINGS.json]``; prints one JSON
object.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

DEFAULT = Path(__file__).resolve().parents[3] / "shared/strokes-dev/unipen-1a-dev.json"


def main() -> None:
    from digitpad.core.ink.drawing import load_drawings
    from digitpad.core.preprocess.mnist_input import preprocess_drawing

    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    drawings, _ = load_drawings(path)
    times, staged = [], []
    for drawing in drawings:
        start = time.perf_counter()
        preprocess_drawing(drawing)
        times.append(time.perf_counter() - start)
    for drawing in drawings[:300]:
        start = time.perf_counter()
        preprocess_drawing(drawing, stages=True)
        staged.append(time.perf_counter() - start)
    print(
        json.dumps(
            {
                "drawings": len(drawings),
                "median_ms": float(np.median(times) * 1e3),
                "p95_ms": float(np.percentile(times, 95) * 1e3),
                "median_ms_with_all_stages": float(np.median(staged) * 1e3),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
