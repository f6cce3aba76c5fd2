"""Predict while the pen moves: coalesce, compute off the GUI thread, drop stale.

git-cola's recipe: every request gets a monotonic token and (re)arms a short
single-shot timer; when it fires, the newest request goes to a worker thread. A result
is published only if its token is still the newest, so the display never jumps back
to an older state of the canvas, and at most one computation is in flight.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from digitpad.core.drawing import Drawing
from digitpad.core.errors import DigitPadError
from digitpad.core.inference import Predictor
from digitpad.core.preprocess import (
    Preprocessed,
    preprocess_drawing,
    preprocess_image,
)
from digitpad.gui.state import AppState, LiveResult

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


class _PredictionWorker(QObject):
    """Lives on the prediction thread; one request at a time.

    Requests and results travel through a locked mailbox and only the token crosses
    threads in a signal: queued signals carrying arbitrary Python objects between
    threads have crashed PySide6 6.8+ under load (PYSIDE-3124-like refcount errors).
    """

    finished = Signal(int)  # token whose result is in the mailbox
    failed = Signal(int, str)  # token, one-line message

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._request: tuple[int, Any, Any] | None = None
        self._result: LiveResult | None = None

    def post(self, token: int, source: Any, predictor: Any) -> None:
        with self._lock:
            self._request = (token, source, predictor)

    def take_result(self) -> LiveResult | None:
        with self._lock:
            result, self._result = self._result, None
        return result

    @Slot()
    def run(self) -> None:
        with self._lock:
            request, self._request = self._request, None
        if request is None:
            return
        token, source, predictor = request
        try:
            result = compute_result(token, source, predictor)
        except (DigitPadError, ValueError, RuntimeError) as error:
            self.failed.emit(token, f"Prediction failed: {error}")
            return
        except Exception as error:  # a broken model must not stop live prediction
            self.failed.emit(token, f"Prediction failed: {type(error).__name__}")
            return
        with self._lock:
            self._result = result
        self.finished.emit(token)


class LivePrediction(QObject):
    """Turns canvas changes into ``AppState.set_result`` calls."""

    requested = Signal()  # to the worker: a request is in its mailbox
    resultPublished = Signal(object)  # LiveResult, after AppState got it

    def __init__(self, state: AppState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._token = 0
        self._source: Drawing | np.ndarray | None = None
        self._busy = False
        self._pending = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._dispatch)
        self._thread = QThread(self)
        self._thread.setObjectName("live-prediction")
        self._worker = _PredictionWorker()
        self._worker.moveToThread(self._thread)
        self.requested.connect(self._worker.run)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self._thread.finished.connect(self._worker.deleteLater)
        self._thread.start()
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
        """Stop the worker thread (call before the application quits)."""
        self._timer.stop()
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait(5000)

    @Slot()
    def _dispatch(self) -> None:
        if self._source is None:
            return
        if self._busy:
            self._pending = True  # send the newest request when the worker is free
            return
        self._busy, self._pending = True, False
        self._worker.post(self._token, self._source, self._state.predictor)
        self.requested.emit()

    @Slot(int)
    def _on_finished(self, token: int) -> None:
        self._busy = False
        result = self._worker.take_result()
        if result is not None and token == self._token:
            self._state.set_result(result)
            self.resultPublished.emit(result)
        if self._pending:
            self._dispatch()

    @Slot(int, str)
    def _on_failed(self, token: int, message: str) -> None:
        self._busy = False
        if token == self._token:
            self._state.statusMessage.emit(message)
            # never leave the previous drawing's confident answer on screen
            self._state.set_result(LiveResult(token, Preprocessed(None), None))
        if self._pending:
            self._dispatch()
