"""Strokes rasterised the way a round pen draws them, fast enough to read numbers live.

A round pen covers every point within its radius of the path: the path's segments
widened into rectangles, plus a disc at every corner and at both ends. Pillow draws
the rectangles of a whole polyline in one C call, but its round joins (joint="curve")
cost a Python-level pie slice per vertex, about 40 us each: a six-digit number of
~300 points spent most of its time there. Here a disc goes only at the ends and where
the path turns by more than ``TURN_DEGREES`` (about a third of the points); at a
gentler turn the sliver a disc would fill is under 1% of the pen's radius deep.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from PIL import Image, ImageDraw

TURN_DEGREES = 15.0
_COS_TURN_SQUARED = float(np.cos(np.radians(TURN_DEGREES)) ** 2)


def render_strokes(
    size: tuple[int, int], strokes: Iterable[np.ndarray], radius: float
) -> np.ndarray:
    """Paint ``strokes`` (each an (N, 2) array of x, y pixel coordinates) as uint8.

    ``size`` is (width, height); ink is 255 on 0. The discs are sized as Pillow's own:
    the caps span ``centre +- radius``, a joint ``centre +- (width / 2 - 1)``, so the
    ink matches what ``joint="curve"`` drew.
    """
    image = Image.new("L", size, 0)
    pen = ImageDraw.Draw(image)
    width = max(1, round(2 * radius))
    joint = max(0.5, width / 2 - 1)
    for stroke in strokes:
        path, turns = _path_and_turns(np.asarray(stroke, dtype=np.float64))
        if len(path) > 1:
            pen.line(path.ravel().tolist(), fill=255, width=width)
        discs = [(x, y, joint) for x, y in turns.tolist()]
        discs += [(x, y, radius) for x, y in path[[0, -1]].tolist()]
        for x, y, r in discs:
            pen.ellipse((x - r, y - r, x + r, y + r), fill=255)
    return np.asarray(image)


def _path_and_turns(path: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The path without repeated points (a zero-length step has no direction), and
    its inner vertices where it turns by more than ``TURN_DEGREES``."""
    steps = np.diff(path, axis=0)
    moves = (steps[:, 0] != 0) | (steps[:, 1] != 0)
    if not moves.all():
        path = path[np.concatenate(([True], moves))]
        steps = steps[moves]
    if len(path) < 3:
        return path, path[:0]
    before, after = steps[:-1], steps[1:]
    dot = before[:, 0] * after[:, 0] + before[:, 1] * after[:, 1]
    squares = (before * before).sum(axis=1) * (after * after).sum(axis=1)
    # the angle between the steps exceeds the limit: cos < cos(limit), squared safely
    turning = (dot < 0) | (dot * dot < _COS_TURN_SQUARED * squares)
    return path, path[1:-1][turning]
