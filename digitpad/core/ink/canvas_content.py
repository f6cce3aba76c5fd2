"""What the canvas holds, as plain data: ink strokes and an optional image.

Kept free of Qt so the rules that matter to a user (what the eraser removes, what undo
brings back, what is saved) are plain functions with plain tests. Each stroke point
carries its own width so a pressure-sensitive pen is drawn as the user drew it; the
``Drawing`` handed to the core keeps only the path, which is all preprocessing uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from digitpad.core.ink.drawing import DEFAULT_PEN_WIDTH, Drawing

InkPoint = tuple[float, float, float]  # x, y, pen width at that point


@dataclass(frozen=True)
class InkStroke:
    points: tuple[InkPoint, ...]

    @property
    def path(self) -> tuple[tuple[float, float], ...]:
        return tuple((x, y) for x, y, _ in self.points)


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
        """The core's view of the strokes: paths plus one representative pen width."""
        widths = [w for stroke in self.strokes for _, _, w in stroke.points]
        pen = float(np.mean(widths)) if widths else None
        return Drawing(width, height, tuple(s.path for s in self.strokes), pen)


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
                    )
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
    strokes = []
    for index, path in enumerate(drawing.strokes):
        per_point = _stroke_widths(widths, index, len(path))
        strokes.append(
            InkStroke(
                tuple(
                    (x, y, per_point[i] if per_point else pen)
                    for i, (x, y) in enumerate(path)
                )
            )
        )
    return tuple(strokes)


def drawing_json(content: CanvasContent, width: float, height: float) -> dict[str, Any]:
    """The drawing file for ``content``: the core format plus per-point pen widths."""
    data = content.drawing(width, height).to_json_dict()
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
