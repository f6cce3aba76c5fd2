"""Where a round pen needs more than a straight band: a stroke's turns and ends.

A round pen covers every point within its radius of the path: the path's segments
widened into bands, plus a disc at both ends and at every corner. At a gentle turn
the sliver a disc would fill is under 1% of the pen's radius deep, so a disc goes only
where the path turns by more than ``TURN_DEGREES`` (about a third of the points).

Turning is unchanged by moving and uniformly scaling a stroke, so it is worked out
once per drawing, in canvas pixels, for all strokes in one vectorised pass
(``Drawing.pen_paths``); rendering a digit of a number at its own scale then only
moves and scales the points.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

TURN_DEGREES = 15.0
_COS_TURN_SQUARED = float(np.cos(np.radians(TURN_DEGREES)) ** 2)


class PenPath(NamedTuple):
    """A stroke as the pen draws it: its points without repeats (a zero-length step
    has no direction) and, per point, whether the path turns there."""

    points: np.ndarray  # (N, 2) float64, N >= 1
    turns: np.ndarray  # (N,) bool; never at the two ends


def pen_paths(strokes: Sequence[np.ndarray]) -> tuple[PenPath, ...]:
    """Every non-empty stroke's ``PenPath``, in order, from one pass over all points."""
    strokes = [np.asarray(s, dtype=np.float64).reshape(-1, 2) for s in strokes]
    lengths = [len(s) for s in strokes if len(s)]
    if not lengths:
        return ()
    points = np.concatenate(strokes)
    first = np.zeros(len(points), dtype=bool)
    first[np.cumsum([0, *lengths[:-1]])] = True
    steps = np.diff(points, axis=0)
    keep = first.copy()
    keep[1:] |= (steps[:, 0] != 0) | (steps[:, 1] != 0)
    if not keep.all():
        points, first = points[keep], first[keep]
        steps = np.diff(points, axis=0)
    before, after = steps[:-1], steps[1:]
    dot = before[:, 0] * after[:, 0] + before[:, 1] * after[:, 1]
    squares = (before * before).sum(axis=1) * (after * after).sum(axis=1)
    # the angle between the steps exceeds the limit: cos < cos(limit), squared safely;
    # and both steps lie within one stroke (the vertex is neither end of its stroke)
    turning = (dot < 0) | (dot * dot < _COS_TURN_SQUARED * squares)
    turns = np.zeros(len(points), dtype=bool)
    turns[1:-1] = turning & ~first[1:-1] & ~first[2:]
    bounds = [*np.flatnonzero(first).tolist(), len(points)]
    pairs = itertools.pairwise(bounds)
    return tuple(PenPath(points[a:b], turns[a:b]) for a, b in pairs)
