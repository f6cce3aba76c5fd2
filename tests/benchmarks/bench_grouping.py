"""Grouping pieces into digits on hostile layouts (issue 20: cubic, minutes for 1,600).

Run: ``python tests/benchmarks/bench_grouping.py``; prints one JSON object with the
wall and CPU seconds ``group_pieces`` takes for a 40 x 40 image of dots, 1,600 dots
stacked in one column (every pair overlaps: the worst case), 1,600 random pieces,
and 2,000 dot strokes on a canvas through ``group_strokes`` (retrace check included).
"""

from __future__ import annotations

import json
import time

import numpy as np


def _seconds(call) -> dict[str, float]:
    """Wall and CPU seconds (CPU is what a loaded, shared machine does not inflate)."""
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    return {
        "wall": round(time.perf_counter() - wall, 3),
        "cpu": round(time.process_time() - cpu, 3),
    }


def main() -> None:
    from digitpad.core.ink.drawing import Drawing
    from digitpad.core.numbers.ink_components import label_components
    from digitpad.core.numbers.reading import _component_pieces, group_strokes
    from digitpad.core.numbers.segmentation import Piece, group_pieces

    image = np.zeros((320, 320), dtype=bool)
    image[2::8, 2::8] = image[3::8, 2::8] = True
    grid, _ = _component_pieces(*label_components(image))
    rng = np.random.default_rng(0)
    column = [
        Piece(100 + rng.uniform(0, 3), 3.0 * i, 104 + rng.uniform(0, 3), 3.0 * i + 2)
        for i in range(1600)
    ]
    spots = rng.uniform(0, 2000, (1600, 2))
    scattered = [
        Piece(x, y, x + rng.uniform(0, 30), y + rng.uniform(1, 60), i)
        for i, (x, y) in enumerate(spots)
    ]
    dots = tuple(((10.0 + 20 * (i % 50), 10.0 + 20 * (i // 50)),) for i in range(2000))
    canvas = Drawing(1100, 900, dots)
    print(
        json.dumps(
            {
                "grid_1600_dots_s": _seconds(lambda: group_pieces(grid)),
                "one_column_1600_s": _seconds(lambda: group_pieces(column)),
                "random_1600_s": _seconds(lambda: group_pieces(scattered)),
                "canvas_2000_dot_strokes_s": _seconds(lambda: group_strokes(canvas)),
            }
        )
    )


if __name__ == "__main__":
    main()
