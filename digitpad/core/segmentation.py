"""Which strokes (or pieces of ink) make up which digit of a number, left to right.

People write a number as a row of digits, each of one or a few strokes. What tells two
strokes of one digit from two neighbouring digits is horizontal overlap measured against
the digits' own height: the two strokes of a 4, the flag of a 5, the bar of a crossed 7
or a 1's flag and base sit mostly over each other, while neighbouring digits overlap,
if at all, by a sliver of their width. So:

1. the digit height is the tallest piece (one writer writes one number at one size);
2. tall pieces ("bodies", two thirds of that height or more) merge when one lies
   mostly within the other's horizontal extent, never into a group far wider than a
   digit; short pieces that together are as tall as a digit (an 8 as two loops) are
   a body too;
3. other short pieces (bars, flags, bases, dots) join the body they overlap most, or
   the nearest within reach; writing order breaks ties (a flag is written right after
   its stroke).

Images have no strokes: their connected ink components are the pieces, with the same
rules and no writing order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

BODY_HEIGHT = 0.65  # a piece this tall (x digit height) carries a digit of its own
MIN_WIDTH = 0.2  # a narrower piece (a 1's stem) counts as this wide when overlapping
MERGE_OVERLAP = 0.5  # bodies merge when this much of the narrower lies over the other
DIGIT_HEIGHT = 0.7  # short pieces together this tall are a digit of their own
CENTRE_DEPTH = 0.1  # a narrow piece centred this far inside another is part of it
MAX_DIGIT_WIDTH = 2.0  # never merge into a group wider than this (x digit height)
ACCENT_REACH = 1.0  # a bar, flag or dot joins a body this close (x digit height)
ORDER_BONUS = 0.5  # score for an accent written right before or after a body's stroke
RETRACE_SHARE = 0.8  # this share of a stroke's points on another's ink: a retrace
RETRACE_REACH = 0.75  # "on its ink": within this many pen widths of its path
MAX_RETRACE_POINTS = 4_000_000  # point-segment pairs looked at, per stroke pair


@dataclass(frozen=True)
class Piece:
    """A stroke's or an ink component's extent; ``order`` is its writing order."""

    x0: float
    y0: float
    x1: float
    y1: float
    order: int | None = None

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def stroke_pieces(strokes: Sequence[Sequence[tuple[float, float]]]) -> list[Piece]:
    """One piece per stroke, in writing order."""
    pieces = []
    for order, stroke in enumerate(strokes):
        points = np.asarray(stroke, dtype=np.float64).reshape(-1, 2)
        x0, y0 = points.min(axis=0).tolist()
        x1, y1 = points.max(axis=0).tolist()
        pieces.append(Piece(x0, y0, x1, y1, order))
    return pieces


def retraced(strokes: Sequence[np.ndarray], pen_width: float) -> list[int]:
    """For each stroke, the stroke whose ink it goes over again, or itself.

    A 1 traced twice is one 1, however exactly the second stroke lands: two thin
    strokes a few pixels apart overlap by less than any width rule can see, yet
    their ink is one line. A stroke whose points lie (mostly) on a longer stroke's
    ink adds no digit; it belongs to that stroke's.
    """
    reach = RETRACE_REACH * pen_width
    lengths = [_path_length(s) for s in strokes]
    order = sorted(range(len(strokes)), key=lambda i: (-lengths[i], i))
    host = list(range(len(strokes)))
    roots: list[int] = []
    for index in order:
        points = strokes[index]
        low, high = points.min(axis=0), points.max(axis=0)
        for root in roots:
            other = strokes[root]
            if (low < other.min(axis=0) - reach).any() or (
                high > other.max(axis=0) + reach
            ).any():
                continue  # not even within its box
            if _share_near(points, other, reach) >= RETRACE_SHARE:
                host[index] = root
                break
        else:
            roots.append(index)
    return host


def _path_length(points: np.ndarray) -> float:
    return float(np.hypot(*np.diff(points, axis=0).T).sum()) if len(points) > 1 else 0.0


def _share_near(points: np.ndarray, path: np.ndarray, reach: float) -> float:
    """The share of ``points`` within ``reach`` of the polyline ``path``."""
    if len(points) * max(len(path) - 1, 1) > MAX_RETRACE_POINTS:
        return 0.0  # too big to compare: treated as new ink, as before
    if len(path) == 1:
        distance = np.hypot(*(points - path[0]).T)
    else:
        a, b = path[:-1], path[1:]
        step = b - a
        square = np.maximum((step * step).sum(axis=1), 1e-12)
        along = ((points[:, None, :] - a) * step).sum(axis=2) / square
        nearest = a + np.clip(along, 0.0, 1.0)[:, :, None] * step
        distance = np.hypot(*(points[:, None, :] - nearest).transpose(2, 0, 1)).min(
            axis=1
        )
    return float((distance <= reach).mean())


def group_pieces(pieces: Sequence[Piece]) -> list[list[int]]:
    """Indices of ``pieces`` grouped into digits, the digits left to right."""
    if not pieces:
        return []
    height = max(max(p.height for p in pieces), 1e-6)
    short = [i for i, p in enumerate(pieces) if p.height < BODY_HEIGHT * height]
    # short pieces over each other can be a whole digit (an 8 as two loops, a 5 as
    # stem and flag): as tall as a digit together, they stand on their own
    clusters = _merge_by_overlap(pieces, [[i] for i in short], height)
    stand = [c for c in clusters if _height(pieces, c) >= DIGIT_HEIGHT * height]
    seeds = [[i] for i, p in enumerate(pieces) if i not in set(short)] + stand
    groups = _merge_by_overlap(pieces, seeds, height)
    loose = []
    for cluster in clusters:
        if cluster in stand:
            continue
        for index in cluster:
            target = _best_group(pieces, index, groups, height)
            if target is None:
                loose.append([index])
            else:
                target.append(index)
    # bars and dots far from every digit still are ink: group them among themselves
    groups += _merge_by_overlap(pieces, loose, height)
    for group in groups:
        group.sort()
    return sorted(groups, key=lambda g: _centre_x(pieces, g))


def _merge_by_overlap(
    pieces: Sequence[Piece], groups: list[list[int]], height: float
) -> list[list[int]]:
    """Greedy agglomeration: the most overlapping pair first, width-capped."""
    groups = [list(g) for g in groups]
    extents = [_extent(pieces, g) for g in groups]
    while len(groups) > 1:
        best, pair = MERGE_OVERLAP, None
        for a, first in enumerate(extents):
            for b in range(a + 1, len(groups)):
                second = extents[b]
                ratio = _overlap_ratio(first, second, height)
                if ratio >= best:
                    x0, x1 = _union(first, second)
                    if x1 - x0 <= MAX_DIGIT_WIDTH * height:
                        best, pair = ratio, (a, b)
        if pair is None:
            break
        a, b = pair
        groups[a] += groups.pop(b)
        extents[a] = _union(extents[a], extents.pop(b))
    return groups


def _union(
    first: tuple[float, float], second: tuple[float, float]
) -> tuple[float, float]:
    """The horizontal extent two extents span together."""
    return min(first[0], second[0]), max(first[1], second[1])


def _overlap_ratio(
    first: tuple[float, float], second: tuple[float, float], height: float
) -> float:
    """How much of the narrower extent lies over the wider one (0 when too little).

    A narrow piece (a 4's stem) belongs when its centre lies well inside the other;
    a wide one when most of it overlaps. A neighbour's sliver of overlap does neither.
    """
    if first[1] - first[0] > second[1] - second[0]:
        first, second = second, first
    narrower = first[1] - first[0]
    overlap = min(first[1], second[1]) - max(first[0], second[0])
    centre = (first[0] + first[1]) / 2
    depth = min(centre - second[0], second[1] - centre)
    if depth >= CENTRE_DEPTH * height:
        return max(overlap / max(narrower, 1e-9), MERGE_OVERLAP)
    return overlap / max(narrower, MIN_WIDTH * height)


def _best_group(
    pieces: Sequence[Piece], index: int, groups: list[list[int]], height: float
) -> list[int] | None:
    """The group an accent belongs to: most overlap, writing order breaking ties."""
    piece = pieces[index]
    width = max(piece.width, 1e-6)
    best, chosen = -np.inf, None
    for group in groups:
        x0, x1 = _widened(_extent(pieces, group), height)
        overlap = min(piece.x1, x1) - max(piece.x0, x0)
        if overlap < -ACCENT_REACH * height:
            continue
        score = max(overlap, 0.0) / width + overlap / height
        if piece.order is not None and any(
            pieces[i].order is not None and abs(pieces[i].order - piece.order) == 1
            for i in group
        ):
            score += ORDER_BONUS
        if score > best:
            best, chosen = score, group
    return chosen


def _extent(pieces: Sequence[Piece], group: list[int]) -> tuple[float, float]:
    return min(pieces[i].x0 for i in group), max(pieces[i].x1 for i in group)


def _widened(extent: tuple[float, float], height: float) -> tuple[float, float]:
    """A narrow extent (a 1) grown about its centre to MIN_WIDTH x digit height."""
    x0, x1 = extent
    grow = max(0.0, MIN_WIDTH * height - (x1 - x0)) / 2
    return x0 - grow, x1 + grow


def _height(pieces: Sequence[Piece], group: list[int]) -> float:
    return max(pieces[i].y1 for i in group) - min(pieces[i].y0 for i in group)


def _centre_x(pieces: Sequence[Piece], group: list[int]) -> float:
    x0, x1 = _extent(pieces, group)
    return (x0 + x1) / 2
