"""The state every panel of the window shares: current model, drawing, last prediction.

Panels never talk to each other directly; they read and change this object and listen
to its signals, so the canvas, the prediction panel, the training panel and the
activation viewer can be built, tested and replaced one at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal

from digitpad.core.drawing import Drawing
from digitpad.core.inference import Prediction, Predictor
from digitpad.core.preprocess import Preprocessed


@dataclass(frozen=True)
class LiveResult:
    """What the network saw and said for one state of the canvas.

    ``prediction`` is None when the canvas holds no digit. ``preprocessed.stages`` holds
    every preprocessing stage (raw input, cropped, scaled to 20 px, centred in 28x28).
    """

    token: int
    preprocessed: Preprocessed
    prediction: Prediction | None


class AppState(QObject):
    """Shared, observable application state (lives on the GUI thread)."""

    modelChanged = Signal(object)  # Predictor: a new model is current
    resultChanged = Signal(object)  # LiveResult: a fresh prediction for the canvas
    imageRequested = Signal(object)  # np.ndarray: put this image on the canvas
    statusMessage = Signal(str)  # a short message for the status bar

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._predictor: Predictor | None = None
        self._drawing: Drawing | None = None
        self._result: LiveResult | None = None

    @property
    def predictor(self) -> Predictor | None:
        return self._predictor

    @property
    def drawing(self) -> Drawing | None:
        return self._drawing

    @property
    def result(self) -> LiveResult | None:
        return self._result

    def set_predictor(self, predictor: Predictor) -> None:
        """Make ``predictor`` current; listeners re-predict and rebuild their views."""
        self._predictor = predictor
        self.modelChanged.emit(predictor)

    def set_drawing(self, drawing: Drawing) -> None:
        self._drawing = drawing

    def set_result(self, result: LiveResult) -> None:
        self._result = result
        self.resultChanged.emit(result)

    def request_image(self, image: np.ndarray) -> None:
        """Ask the canvas to show ``image`` (e.g. a misclassified test digit)."""
        self.imageRequested.emit(image)
