"""Undo and redo in the designer: a stack of specs, not a stack of commands.

Specs are immutable values and ``networks.editing`` makes each edit a new one, so
undoing is showing the previous spec; nothing can be undone wrongly. Edits that come
in a burst on one control (typing 128 into a spin box, holding its arrow) merge into
one step, as QUndoStack merges commands with the same id. Plain Python: no Qt.
"""

from __future__ import annotations

from collections.abc import Hashable

from digitpad.core.networks.spec import NetworkSpec

MAX_STEPS = 500


class SpecHistory:
    """The specs the user went through; ``current`` is the one shown."""

    def __init__(self, spec: NetworkSpec) -> None:
        self._specs = [spec]
        self._index = 0
        self._merge_key: Hashable | None = None

    @property
    def current(self) -> NetworkSpec:
        return self._specs[self._index]

    @property
    def can_undo(self) -> bool:
        return self._index > 0

    @property
    def can_redo(self) -> bool:
        return self._index < len(self._specs) - 1

    def push(self, spec: NetworkSpec, merge_key: Hashable | None = None) -> bool:
        """Make ``spec`` current, dropping what was undone; False if nothing changed.

        A ``merge_key`` equal to the previous push's replaces that step instead of
        adding one (the same argument of the same layer, edited again)."""
        if spec == self.current:
            return False
        del self._specs[self._index + 1 :]
        if merge_key is not None and merge_key == self._merge_key and self._index > 0:
            self._specs[self._index] = spec
            if spec == self._specs[self._index - 1]:  # edited back: no step at all
                self._specs.pop()
                self._index -= 1
                self._merge_key = None
            return True
        self._specs.append(spec)
        if len(self._specs) > MAX_STEPS:
            del self._specs[0]
        self._index = len(self._specs) - 1
        self._merge_key = merge_key
        return True

    def undo(self) -> NetworkSpec:
        if self.can_undo:
            self._index -= 1
        self._merge_key = None
        return self.current

    def redo(self) -> NetworkSpec:
        if self.can_redo:
            self._index += 1
        self._merge_key = None
        return self.current

    def end_merge(self) -> None:
        """The next edit is a step of its own even if it has the same key."""
        self._merge_key = None
