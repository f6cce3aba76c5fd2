"""The pen stroke or eraser drag in progress, as plain data (no Qt).

Between press and release the canvas shows more than its undo history holds: the
points drawn so far, or the ink left after the eraser passed. ``Gesture`` keeps that
state and its rules (a repeated point adds nothing; the eraser cuts along its path);
the canvas only turns events into calls and paints what changed.
"""

from __future__ import annotations

from dataclasses import replace

from digitpad.core.ink.canvas_content import (
    CanvasContent,
    InkPoint,
    InkStroke,
    transform_content,
)
from digitpad.core.ink.eraser import erase


class Gesture:
    """One press-drag-release: a pen stroke, or an eraser drag over some content."""

    def __init__(self) -> None:
        self.points: list[InkPoint] | None = None  # pen stroke so far
        self.erasing: CanvasContent | None = None  # content as the eraser left it
        self.last: tuple[float, float] | None = None  # where the pointer was

    @property
    def active(self) -> bool:
        return self.last is not None

    def start_stroke(self, x: float, y: float, width: float) -> InkPoint:
        self.cancel()
        self.points = [(x, y, width)]
        self.last = (x, y)
        return self.points[0]

    def extend_stroke(
        self, x: float, y: float, width: float
    ) -> tuple[InkPoint, InkPoint] | None:
        """Add a point; the segment to paint, or None if nothing new was drawn."""
        if self.points is None:
            return None
        previous = self.points[-1]
        if (x, y) == (previous[0], previous[1]):
            return None
        point = (x, y, width)
        self.points.append(point)
        self.last = (x, y)
        return previous, point

    def start_erasing(self, content: CanvasContent, x: float, y: float) -> None:
        self.cancel()
        self.erasing = content
        self.last = (x, y)

    def erase_to(self, x: float, y: float, radius: float) -> bool:
        """Erase along the path to (x, y); True if any ink went."""
        if self.erasing is None or self.last is None:
            return False
        updated = erase(self.erasing, self.last, (x, y), radius)
        self.last = (x, y)
        if updated is self.erasing:
            return False
        self.erasing = updated
        return True

    def content(self, committed: CanvasContent) -> CanvasContent:
        """What the user sees: ``committed`` plus the gesture so far."""
        if self.erasing is not None:
            return self.erasing
        if self.points:
            stroke = InkStroke(tuple(self.points))
            return replace(committed, strokes=(*committed.strokes, stroke))
        return committed

    def cancel(self) -> None:
        self.points, self.erasing, self.last = None, None, None

    def transform(self, scale: float, dx: float, dy: float) -> None:
        """Follow the canvas when it is resized mid-gesture."""
        if self.points:
            self.points = [
                (x * scale + dx, y * scale + dy, w * scale) for x, y, w in self.points
            ]
        if self.erasing is not None:
            self.erasing = transform_content(self.erasing, scale, dx, dy)
        if self.last is not None:
            self.last = (self.last[0] * scale + dx, self.last[1] * scale + dy)
