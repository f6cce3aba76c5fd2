"""Undo and redo over immutable canvas states."""

from __future__ import annotations

from typing import Any

from digitpad.core.ink.canvas_content import CanvasContent, transform_content


class History:
    """Undo/redo over immutable canvas states (snapshots share their strokes)."""

    def __init__(self, limit: int = 500) -> None:
        self._states: list[CanvasContent] = [CanvasContent()]
        self._index = 0
        self._limit = limit

    @property
    def current(self) -> CanvasContent:
        return self._states[self._index]

    @property
    def can_undo(self) -> bool:
        return self._index > 0

    @property
    def can_redo(self) -> bool:
        return self._index < len(self._states) - 1

    def push(self, content: CanvasContent) -> None:
        """Record a new state; anything that was undone is forgotten."""
        if content == self.current and content.image is self.current.image:
            return
        del self._states[self._index + 1 :]
        self._states.append(content)
        if len(self._states) > self._limit:
            del self._states[0]
        self._index = len(self._states) - 1

    def undo(self) -> CanvasContent:
        if self.can_undo:
            self._index -= 1
        return self.current

    def redo(self) -> CanvasContent:
        if self.can_redo:
            self._index += 1
        return self.current

    @property
    def states(self) -> list[CanvasContent]:
        """Every state, undone ones included."""
        return list(self._states)

    def transform(self, scale: float, dx: float, dy: float) -> None:
        """Move every state, undone ones included, so undo stays where the ink is."""
        memo: dict[int, Any] = {}  # keeps the originals alive, so ids stay unique
        self._states = [transform_content(c, scale, dx, dy, memo) for c in self._states]
