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
   its stroke). A short piece as wide and tall as a loop that lies well clear of
   every body is no accent but a digit of its own (a 9's loop cut off its stem):
   joined to the nearest body, two digits' ink would read as one.

Images have no strokes: their connected ink components are the pieces, with the same
rules and no writing order. Pieces the eraser cut from one stroke (``group_cut_pieces``)
count as the one piece they were, wherever they still lie over each other: erasing a
gap in a 9's stem leaves its loop too short to be a digit's body on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from digitpad.core.errors import InputError
from digitpad.core.numbers.piece_merge import (  # noqa: F401 (the rules' numbers)
    CENTRE_DEPTH,
    MAX_DIGIT_WIDTH,
    MERGE_OVERLAP,
    MIN_WIDTH,
    merge_by_overlap,
)

BODY_HEIGHT = 0.65  # a piece this tall (x digit height) carries a digit of its own
DIGIT_HEIGHT = 0.7  # short pieces together this tall are a digit of their own
ACCENT_REACH = 1.0  # a bar, flag or dot joins a body this close (x digit height)
ORDER_BONUS = 0.5  # score for an accent written right before or after a body's stroke
MAX_PIECES = 2_000  # more strokes or bits of ink than any number has: refused
APART_SIZE = 0.35  # a short piece this wide and tall (x digit height) may be a digit...
APART_GAP = 0.3  # ...when this far clear of every body: a 9's loop cut off its stem


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


def group_pieces(pieces: Sequence[Piece]) -> list[list[int]]:
    """Indices of ``pieces`` grouped into digits, the digits left to right.

    More than ``MAX_PIECES`` is ``InputError``: no number has that many, and the
    answer must come (grouping is about n log n plus the pairs that overlap, but
    a page of dots is not a number).
    """
    if not pieces:
        return []
    if len(pieces) > MAX_PIECES:
        raise InputError(
            None,
            f"{len(pieces):,} separate pieces of ink are too many to read as a "
            f"number (at most {MAX_PIECES:,}); clear some or draw fewer",
        )
    height = max(max(p.height for p in pieces), 1e-6)
    short = [i for i, p in enumerate(pieces) if p.height < BODY_HEIGHT * height]
    # short pieces over each other can be a whole digit (an 8 as two loops, a 5 as
    # stem and flag): as tall as a digit together, they stand on their own
    clusters = merge_by_overlap(pieces, [[i] for i in short], height)
    stand = [c for c in clusters if _height(pieces, c) >= DIGIT_HEIGHT * height]
    is_short = set(short)
    seeds = [[i] for i in range(len(pieces)) if i not in is_short] + stand
    groups = merge_by_overlap(pieces, seeds, height)
    standing = {id(c) for c in stand}
    # a loop-sized piece well clear of every body is no bar or flag: joined to the
    # nearest body, two digits' ink would be read as one (a "99" as one 9)
    apart = [
        c
        for c in clusters
        if id(c) not in standing and _apart(pieces, c, groups, height)
    ]
    groups += apart
    standing |= {id(c) for c in apart}
    accents = _Accents(pieces, groups, height)
    loose = []
    for cluster in clusters:
        if id(cluster) in standing:
            continue
        for index in cluster:
            if not accents.join(index):
                loose.append([index])
    # bars and dots far from every digit still are ink: group them among themselves
    groups += merge_by_overlap(pieces, loose, height)
    for group in groups:
        group.sort()
    return sorted(groups, key=lambda g: _centre_x(pieces, g))


def group_cut_pieces(
    pieces: Sequence[Piece], origins: Sequence[int] | None
) -> list[list[int]]:
    """``group_pieces`` with pieces of one origin (one stroke before the eraser cut
    it) joined where their extents overlap; pieces set apart side by side (the join
    of two digits written in one stroke, erased) stay apart."""
    if origins is None or len(set(origins)) == len(origins):
        return group_pieces(pieces)
    height = max((p.height for p in pieces), default=0.0)
    units = _cut_units(pieces, origins, height)
    joined = [
        Piece(
            min(pieces[i].x0 for i in unit),
            min(pieces[i].y0 for i in unit),
            max(pieces[i].x1 for i in unit),
            max(pieces[i].y1 for i in unit),
            order,  # writing order as before the cut: a flag stays next to its stroke
        )
        for order, unit in enumerate(units)
    ]
    groups = [sorted(i for u in g for i in units[u]) for g in group_pieces(joined)]
    return sorted(groups, key=lambda g: _centre_x(pieces, g))


def _cut_units(
    pieces: Sequence[Piece], origins: Sequence[int], height: float
) -> list[list[int]]:
    """Pieces of one origin whose (widened) extents overlap, as runs of a sweep."""
    by_origin: dict[int, list[int]] = {}
    for index, origin in enumerate(origins):
        by_origin.setdefault(origin, []).append(index)
    units = []
    for members in by_origin.values():
        spans = sorted(
            (_widened((pieces[i].x0, pieces[i].x1), height), i) for i in members
        )
        reach = -np.inf
        for (x0, x1), index in spans:
            if x0 > reach:
                units.append([])
            units[-1].append(index)
            reach = max(reach, x1)
    return sorted((sorted(u) for u in units), key=lambda u: u[0])


class _Accents:
    """Joins bars, flags and dots to the group they overlap most (writing order
    breaking ties), the groups' extents kept up to date as accents join them:
    one vectorised pass per accent instead of re-measuring every group."""

    def __init__(
        self, pieces: Sequence[Piece], groups: list[list[int]], height: float
    ) -> None:
        self._pieces, self._groups, self._height = pieces, groups, height
        self._x0 = np.array([_extent(pieces, g)[0] for g in groups], dtype=float)
        self._x1 = np.array([_extent(pieces, g)[1] for g in groups], dtype=float)
        self._by_order: dict[int, set[int]] = {}
        for number, group in enumerate(groups):
            for i in group:
                self._note_order(pieces[i].order, number)

    def _note_order(self, order: int | None, number: int) -> None:
        if order is not None:
            self._by_order.setdefault(order, set()).add(number)

    def join(self, index: int) -> bool:
        """Add piece ``index`` to its best group; False if none is within reach."""
        if not self._groups:
            return False
        piece, height = self._pieces[index], self._height
        width = max(piece.width, 1e-6)
        grow = np.maximum(0.0, MIN_WIDTH * height - (self._x1 - self._x0)) / 2
        overlap = np.minimum(piece.x1, self._x1 + grow) - np.maximum(
            piece.x0, self._x0 - grow
        )
        scores = np.maximum(overlap, 0.0) / width + overlap / height
        if piece.order is not None:
            near = self._by_order.get(piece.order - 1, set()) | self._by_order.get(
                piece.order + 1, set()
            )
            if near:
                scores[list(near)] += ORDER_BONUS
        scores[overlap < -ACCENT_REACH * height] = -np.inf
        target = int(np.argmax(scores))
        if scores[target] == -np.inf:
            return False
        self._groups[target].append(index)
        self._x0[target] = min(self._x0[target], piece.x0)
        self._x1[target] = max(self._x1[target], piece.x1)
        self._note_order(piece.order, target)
        return True


def _extent(pieces: Sequence[Piece], group: list[int]) -> tuple[float, float]:
    return min(pieces[i].x0 for i in group), max(pieces[i].x1 for i in group)


def _height(pieces: Sequence[Piece], group: list[int]) -> float:
    return max(pieces[i].y1 for i in group) - min(pieces[i].y0 for i in group)


def _centre_x(pieces: Sequence[Piece], group: list[int]) -> float:
    x0, x1 = _extent(pieces, group)
    return (x0 + x1) / 2


def _apart(
    pieces: Sequence[Piece], cluster: list[int], groups: list[list[int]], height: float
) -> bool:
    """A digit-sized cluster of short pieces lying clear of every group."""
    x0, x1 = _extent(pieces, cluster)
    size = APART_SIZE * height
    if x1 - x0 < size or _height(pieces, cluster) < size:
        return False
    for group in groups:
        g0, g1 = _widened(_extent(pieces, group), height)
        if max(g0 - x1, x0 - g1) < APART_GAP * height:
            return False
    return True


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
