"""'Watch it learn': trained-so-far models are shown for a while, then the base returns.

During a run the panel makes each epoch's preview model current, so the user sees
the network improve on their drawing. Those models are temporary: the model that was
current before (the *base*) comes back on cancel, failure, discard or when watching
is switched off. A model made current by anyone else becomes the new base.
"""

from __future__ import annotations

from digitpad.core.models.inference import Predictor
from digitpad.gui.state import AppState


class WatchPreviews:
    """Remembers the base model and which current models are only previews."""

    def __init__(self, state: AppState) -> None:
        self._state = state
        self._base: Predictor | None = state.predictor
        self._previews: list[Predictor] = []

    def show(self, predictor: Predictor) -> None:
        """Make a preview current, remembering to undo it."""
        self._previews.append(predictor)
        self._state.set_predictor(predictor)

    def is_preview(self, predictor: Predictor) -> bool:
        return any(predictor is p for p in self._previews)

    def model_changed(self, predictor: Predictor) -> None:
        """A model became current: unless it is a preview, it is the new base."""
        if not self.is_preview(predictor):
            self._base = predictor
            self._previews.clear()

    def forget(self) -> None:
        """The previews are no longer needed (a kept model replaces them)."""
        self._previews.clear()

    def restore_base(self) -> None:
        """Undo the previews: make the pre-training model current again."""
        current = self._state.predictor
        if self._base is not None and current is not None and self.is_preview(current):
            self._state.set_predictor(self._base)
        self._previews.clear()
