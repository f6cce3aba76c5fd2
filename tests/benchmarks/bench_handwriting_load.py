"""How long *My handwriting* takes to load 1,000 samples. Prints one JSON object.

The samples are 1,000 real pen-written digits (the development drawings when they are
beside the repository, else synthetic strokes of the same size), stored one file each
as the app stores them, loaded cold (first) and warm (best of 10).

    python tests/benchmarks/bench_handwriting_load.py
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from digitpad.core.handwriting.samples import HandwritingStore
from digitpad.core.ink.drawing import Drawing, load_drawings

DEV = (
    Path(__file__).resolve().parents[2].parent / "shared/strokes-dev/unipen-1a-dev.json"
)
COUNT = 1000


def drawings() -> tuple[list[Drawing], str]:
    if DEV.is_file():
        found, _ = load_drawings(DEV)
        return found[:COUNT], DEV.name
    stroke = tuple((100 + 3.7 * i, 50 + 2.9 * (i % 17)) for i in range(54))
    return [Drawing(400, 400, (stroke,), extra={"label": 4})] * COUNT, "synthetic"


def main() -> None:
    found, source = drawings()
    with tempfile.TemporaryDirectory() as tmp:
        store = HandwritingStore(tmp)
        for drawing in found:
            store.add(drawing, drawing.label if drawing.label is not None else 0)
        os.sync()
        times = []
        for _ in range(11):
            started = time.perf_counter()
            samples, problems = store.load()
            times.append(time.perf_counter() - started)
        size = sum(p.stat().st_size for p in Path(tmp).iterdir())
    points = sum(len(s) for d in found for s in d.strokes) / len(found)
    print(
        json.dumps(
            {
                "samples": len(samples),
                "problems": len(problems),
                "source": source,
                "mean_points_per_drawing": round(points, 1),
                "bytes_on_disk": size,
                "first_load_seconds": round(times[0], 4),
                "best_load_seconds": round(min(times[1:]), 4),
                "median_load_seconds": round(sorted(times[1:])[5], 4),
                "load_average": os.getloadavg()[0],
            }
        )
    )


if __name__ == "__main__":
    main()
