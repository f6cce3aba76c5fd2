"""What the canvas holds, as plain data: ink strokes and an optional image.

Kept free of Qt so the rules that matter to a user (what the eraser removes, what undo
brings back, what is saved) are plain functions with plain tests. Each stroke point
carries its own width so a pressure-sensitive pen is drawn as the user drew it; the
``Drawing`` handed to the core keeps only the path, which is all preprocessing uses.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from digitpad.core.ink.drawing import DEFAULT_PEN_WIDTH, ORIGINS_KEY, Drawing

InkPoint = tuple[float, float, float]  # x, y, pen width at that point


@dataclass(frozen=True)
class InkStroke:
    """A pen stroke; ``origin`` is shared by the pieces the eraser cut it into."""

    points: tuple[InkPoint, ...]
    origin: int | None = None  # None: drawn as it is, never cut

    @property
    def path(self) -> tuple[tuple[float, float], ...]:
        return tuple((x, y) for x, y, _ in self.points)


_origins = itertools.count()


def cut_origin(stroke: InkStroke) -> int:
    """The origin the pieces cut from ``stroke`` share (a new one at its first cut).

    Number reading groups pieces of one origin with the digit they came from: a 9
    whose stem has a gap erased in it is still one digit, not a loop and a tick.
    """
    return stroke.origin if stroke.origin is not None else next(_origins)


@dataclass(frozen=True)
class PlacedImage:
    """An opened image's ink (0..1, 1 = ink) shown in ``rect`` (x, y, w, h)."""

    ink: np.ndarray = field(compare=False)
    rect: tuple[float, float, float, float]


@dataclass(frozen=True)
class CanvasContent:
    """One undoable state of the canvas."""

    strokes: tuple[InkStroke, ...] = ()
    image: PlacedImage | None = None

    @property
    def is_empty(self) -> bool:
        return not self.strokes and self.image is None

    def drawing(self, width: float, height: float) -> Drawing:
        """The core's view of the strokes: paths, one representative pen width, and
        which strokes were cut from one (``Drawing.stroke_origins``)."""
        widths = [w for stroke in self.strokes for _, _, w in stroke.points]
        pen = float(np.mean(widths)) if widths else None
        paths = tuple(s.path for s in self.strokes)
        origins = stroke_origins(self.strokes)
        extra = {} if origins is None else {ORIGINS_KEY: origins}
        return Drawing(width, height, paths, pen, extra)


def stroke_origins(strokes: tuple[InkStroke, ...]) -> list[int] | None:
    """Each stroke's origin as the index of the first stroke sharing it, or None
    when no stroke was cut (the drawing then is exactly as before)."""
    first: dict[int, int] = {}
    labels = [
        index if s.origin is None else first.setdefault(s.origin, index)
        for index, s in enumerate(strokes)
    ]
    return None if labels == list(range(len(strokes))) else labels


def transform_content(
    content: CanvasContent,
    scale: float,
    dx: float,
    dy: float,
    memo: dict[int, Any] | None = None,
) -> CanvasContent:
    """``content`` scaled by ``scale`` then moved by (dx, dy); pen widths scale too.

    ``memo`` shares the result for strokes and images that several undo states hold.
    """
    memo = {} if memo is None else memo

    def stroke(s: InkStroke) -> InkStroke:
        if id(s) not in memo:
            memo[id(s)] = (
                s,
                InkStroke(
                    tuple(
                        (x * scale + dx, y * scale + dy, w * scale)
                        for x, y, w in s.points
                    ),
                    s.origin,
                ),
            )
        return memo[id(s)][1]

    image = content.image
    if image is not None:
        if id(image) not in memo:
            x, y, w, h = image.rect
            rect = (x * scale + dx, y * scale + dy, w * scale, h * scale)
            memo[id(image)] = (image, PlacedImage(image.ink, rect))
        image = memo[id(image)][1]
    return CanvasContent(tuple(stroke(s) for s in content.strokes), image)


def strokes_from_drawing(drawing: Drawing) -> tuple[InkStroke, ...]:
    """Strokes of a loaded drawing, with per-point widths if the file kept them."""
    pen = drawing.pen_width or DEFAULT_PEN_WIDTH
    widths = drawing.extra.get("point_widths")
    labels = drawing.stroke_origins
    shared = Counter(labels or ())
    fresh: dict[int, int] = {}  # the file's labels as origins unique on this canvas
    strokes = []
    for index, path in enumerate(drawing.strokes):
        per_point = _stroke_widths(widths, index, len(path))
        origin = None
        if labels is not None and shared[labels[index]] > 1:
            origin = fresh.setdefault(labels[index], next(_origins))
        strokes.append(
            InkStroke(
                tuple(
                    (x, y, per_point[i] if per_point else pen)
                    for i, (x, y) in enumerate(path)
                ),
                origin,
            )
        )
    return tuple(strokes)


def drawing_json(content: CanvasContent, width: float, height: float) -> dict[str, Any]:
    """The drawing file for ``content``: the core format plus per-point pen widths."""
    drawing = content.drawing(width, height)
    data = drawing.to_json_dict()
    if ORIGINS_KEY in drawing.extra:
        data[ORIGINS_KEY] = drawing.extra[ORIGINS_KEY]
    widths = [[w for _, _, w in s.points] for s in content.strokes]
    if len({w for stroke in widths for w in stroke}) > 1:
        data["point_widths"] = widths
    return data


def _stroke_widths(widths: Any, index: int, count: int) -> list[float] | None:
    if not isinstance(widths, list) or index >= len(widths):
        return None
    row = widths[index]
    if not isinstance(row, list) or len(row) != count:
        return None
    if not all(isinstance(w, int | float) and 0 < w < 1000 for w in row):
        return None
    return [float(w) for w in row]
