"""Predict while the pen moves: coalesce, compute off the GUI thread, drop stale.

git-cola's recipe: every request gets a monotonic token and (re)arms a short
single-shot timer; when it fires, the newest request goes to a worker thread. A result
is published only if its token is still the newest, so the display never jumps back
to an older state of the canvas, and at most one computation is in flight
(``LatestRequestRunner``).

The canvas is read as a number (``core.numbers.reading``): a lone digit takes the very
path a single-digit prediction always took; with several, the viewers show one selected
digit (by default the one holding the newest stroke, as that is the digit being
written; for an image, the first) and a selection the user made survives re-reads that
keep the same digits (a model change, a resize).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal, Slot

from digitpad.core.ink.drawing import Drawing
from digitpad.core.models.inference import Prediction, Predictor
from digitpad.core.numbers.reading import (
    DigitCache,
    NumberReading,
    read_drawing,
    read_image,
)
from digitpad.core.preprocess.mnist_input import (
    Preprocessed,
    preprocess_drawing,
    preprocess_image,
)
from digitpad.gui.latest_request import LatestRequestRunner
from digitpad.gui.state import AppState, LiveResult

DEBOUNCE_MS = 8  # well under a frame: requests within it become one prediction


def compute_result(
    token: int,
    source: Drawing | np.ndarray,
    predictor: Predictor | None,
    cache: DigitCache | None = None,
) -> LiveResult:
    """Read the canvas as a number, every stage kept; an empty canvas has no prediction.

    ``cache`` (one per canvas, used by one job at a time) spares re-preprocessing the
    digits a new stroke did not touch.
    """
    reading = None
    if predictor is not None:
        reader = _LoneDigitByPredict(predictor)
        if isinstance(source, Drawing):
            reading = read_drawing(source, reader, stages=True, cache=cache)
        else:
            reading = read_image(source, reader, stages=True)
    if reading is None or reading.is_empty:  # no model or no digit: as it always was
        if isinstance(source, Drawing):
            preprocessed = preprocess_drawing(source, stages=True)
        else:
            preprocessed = preprocess_image(source, stages=True)
        prediction = None
        if predictor is not None and preprocessed.image is not None:
            prediction = predictor.predict(preprocessed.image)
        return LiveResult(token, preprocessed, prediction, reading)
    only = reading.digits[0]
    result = LiveResult(token, only.preprocessed, only.prediction, reading)
    if result.is_number:
        result = result.selecting(newest_digit(reading))
    result.preprocessed.stages.get("cropped")  # rendered here, not on the GUI thread
    return result


class _LoneDigitByPredict:
    """Reads a lone digit through ``predictor.predict`` itself, the one call the app
    made before numbers, so a wrapper that only overrides ``predict`` stays in charge;
    several digits go through ``predict_many`` (one batched call)."""

    def __init__(self, predictor: Predictor) -> None:
        self._predictor = predictor

    def predict_many(self, images: Sequence[np.ndarray]) -> list[Prediction]:
        if len(images) == 1:
            return [self._predictor.predict(images[0])]
        return self._predictor.predict_many(images)


def newest_digit(reading: NumberReading) -> int:
    """The digit holding the most recent stroke (the one being written); else the
    first."""
    newest = [max(digit.strokes, default=-1) for digit in reading.digits]
    return int(np.argmax(newest)) if max(newest) >= 0 else 0


def same_digits(a: NumberReading | None, b: NumberReading | None) -> bool:
    """Both readings split the canvas into the same digits (same strokes each)."""
    if a is None or b is None or len(a.digits) != len(b.digits):
        return False
    return all(x.strokes == y.strokes for x, y in zip(a.digits, b.digits, strict=True))


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
        self._clears: LatestRequestRunner[LiveResult] = LatestRequestRunner(
            self, "live-prediction-clear"
        )
        self._cache = DigitCache()  # only ever used by the one job in flight
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
        self._clears.close()

    @Slot()
    def _dispatch(self) -> None:
        if self._source is None:
            return
        token, source, predictor = self._token, self._source, self._state.predictor
        cache = self._cache
        if isinstance(source, Drawing) and source.is_empty:
            # Clear: the answer must not wait behind a reading still in flight (it
            # is dropped when it comes); an empty canvas is read on its own runner
            self._requests.drop()
            self._clears.request(
                lambda _task: compute_result(token, source, predictor),
                self._publish,
                lambda message: self._fail(token, message),
            )
            return
        self._requests.request(
            lambda _task: compute_result(token, source, predictor, cache),
            self._publish,
            lambda message: self._fail(token, message),
        )

    def _publish(self, result: LiveResult) -> None:
        if result.token == self._token:
            previous = self._state.result
            if (
                previous is not None
                and previous.selected is not None
                and result.is_number
                and same_digits(previous.reading, result.reading)
            ):
                result = result.selecting(previous.selected)
            self._state.set_result(result)
            self.resultPublished.emit(result)

    def _fail(self, token: int, message: str) -> None:
        if token == self._token:
            self._state.statusMessage.emit(f"Prediction failed: {message}")
            # never leave the previous drawing's confident answer on screen
            self._state.set_result(LiveResult(token, Preprocessed(None), None))
