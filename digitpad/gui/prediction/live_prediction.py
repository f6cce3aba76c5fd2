"""Predict while the pen moves: coalesce, compute off the GUI thread, drop stale.

git-cola's recipe: every request gets a monotonic token and (re)arms a short
single-shot timer; when it fires, the newest request goes to a worker thread. A result
is published only if its token is still the newest, so the display never jumps back
to an older state of the canvas, and at most one computation is in flight
(``LatestRequestRunner``).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal, Slot

from digitpad.core.drawing import Drawing
from digitpad.core.inference import Predictor
from digitpad.core.preprocess import (
    Preprocessed,
    preprocess_drawing,
    preprocess_image,
)
from digitpad.gui.state import AppState, LiveResult
from digitpad.gui.threads import LatestRequestRunner

DEBOUNCE_MS = 8  # well under a frame: requests within it become one prediction


def compute_result(
    token: int, source: Drawing | np.ndarray, predictor: Predictor | None
) -> LiveResult:
    """Preprocess (with every stage) and predict; an empty canvas has no prediction."""
    if isinstance(source, Drawing):
        preprocessed = preprocess_drawing(source, stages=True)
    else:
        preprocessed = preprocess_image(source, stages=True)
    prediction = None
    if predictor is not None and preprocessed.image is not None:
        prediction = predictor.predict(preprocessed.image)
    return LiveResult(token, preprocessed, prediction)


class LivePrediction(QObject):
    """Turns canvas changes into ``AppState.set_result`` calls."""

    resultPublished = Signal(object)  # LiveResult, after AppState got it

    def __init__(self, state: AppState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._token = 0
        self._source: Drawing | np.ndarray | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._dispatch)
        self._requests: LatestRequestRunner[LiveResult] = LatestRequestRunner(
            self, "live-prediction"
        )
        state.modelChanged.connect(self.refresh)

    @property
    def token(self) -> int:
        return self._token

    def schedule(self, source: Drawing | np.ndarray) -> int:
        """Ask for a prediction of ``source``; return its token."""
        self._token += 1
        self._source = source
        if not self._timer.isActive():
            self._timer.start()
        return self._token

    @Slot()
    def refresh(self) -> None:
        """Re-predict the last source (e.g. because the model changed)."""
        if self._source is not None:
            self.schedule(self._source)

    def shutdown(self) -> None:
        """Stop predicting; a computation in flight is left to end on its own."""
        self._timer.stop()
        self._requests.close()

    @Slot()
    def _dispatch(self) -> None:
        if self._source is None:
            return
        token, source, predictor = self._token, self._source, self._state.predictor
        self._requests.request(
            lambda _task: compute_result(token, source, predictor),
            self._publish,
            lambda message: self._fail(token, message),
        )

    def _publish(self, result: LiveResult) -> None:
        if result.token == self._token:
            self._state.set_result(result)
            self.resultPublished.emit(result)

    def _fail(self, token: int, message: str) -> None:
        if token == self._token:
            self._state.statusMessage.emit(f"Prediction failed: {message}")
            # never leave the previous drawing's confident answer on screen
            self._state.set_result(LiveResult(token, Preprocessed(None), None))
