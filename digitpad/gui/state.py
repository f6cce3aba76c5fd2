"""The state every panel of the window shares: current model, drawing, last prediction.

Panels never talk to each other directly; they read and change this object and listen
to its signals, so the canvas, the prediction panel, the training panel and the
activation viewer can be built, tested and replaced one at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal

from digitpad.core.handwriting.samples import HandwritingStore
from digitpad.core.ink.drawing import Drawing
from digitpad.core.models.inference import Prediction, Predictor
from digitpad.core.numbers.reading import NumberReading, ReadDigit
from digitpad.core.preprocess.mnist_input import Preprocessed


@dataclass(frozen=True)
class LiveResult:
    """What the network saw and said for one state of the canvas.

    ``prediction`` is None when the canvas holds no digit. ``preprocessed.stages`` holds
    every preprocessing stage (raw input, cropped, scaled to 20 px, centred in 28x28).

    When the canvas holds a number, ``reading`` has every digit and ``preprocessed`` /
    ``prediction`` are the *selected* digit's, so every viewer of "the" input shows the
    digit the user picked without knowing about numbers at all.
    """

    token: int
    preprocessed: Preprocessed
    prediction: Prediction | None
    reading: NumberReading | None = None
    selected: int | None = None  # index into reading.digits; None for no/one digit

    @property
    def digits(self) -> tuple[ReadDigit, ...]:
        return self.reading.digits if self.reading is not None else ()

    @property
    def is_number(self) -> bool:
        """More than one digit: the app shows the number and a box per digit."""
        return len(self.digits) > 1

    def selecting(self, index: int) -> LiveResult:
        """The same reading with digit ``index`` as the one the viewers show."""
        digit = self.digits[index]
        return replace(
            self,
            preprocessed=digit.preprocessed,
            prediction=digit.prediction,
            selected=index,
        )


class AppState(QObject):
    """Shared, observable application state (lives on the GUI thread)."""

    modelChanged = Signal(object)  # Predictor: a new model is current
    resultChanged = Signal(object)  # LiveResult: a fresh prediction, or another digit
    selectedDigitChanged = Signal(int)  # index of the number's digit now shown
    imageRequested = Signal(object)  # np.ndarray: put this image on the canvas
    statusMessage = Signal(str)  # a short message for the status bar
    samplesChanged = Signal()  # a sample of *My handwriting* was added/changed/removed
    teachRequested = Signal()  # open the "Teach it my handwriting" session
    # a saved design was added, changed or deleted (its name; "" when unknown): the
    # training panel's architecture choice reloads and selects it if it still exists
    designsChanged = Signal(str)
    designRequested = Signal(object)  # NetworkSpec: open it in the network designer

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._predictor: Predictor | None = None
        self._drawing: Drawing | None = None
        self._drawing_over_image = False
        self._result: LiveResult | None = None
        self._handwriting: HandwritingStore | None = None
        self._designs_dir: Path | None = None  # None: the user data directory's

    @property
    def handwriting(self) -> HandwritingStore:
        """The user's samples (*My handwriting*); every panel shares this one store."""
        if self._handwriting is None:
            self._handwriting = HandwritingStore()
        return self._handwriting

    def set_handwriting(self, store: HandwritingStore) -> None:
        """Use another sample folder (tests, a portable install)."""
        self._handwriting = store
        self.samplesChanged.emit()

    @property
    def designs_dir(self) -> Path | None:
        """The folder saved designs live in (None: ``networks.designs``' default)."""
        return self._designs_dir

    def set_designs_dir(self, folder: Path | None) -> None:
        """Keep designs in another folder (tests, a portable install)."""
        self._designs_dir = folder
        self.designsChanged.emit("")

    def notify_designs_changed(self, name: str = "") -> None:
        """Call after saving, importing or deleting a design (``name``: which one)."""
        self.designsChanged.emit(name)

    def request_design(self, spec: object) -> None:
        """Ask the window to open ``spec`` (a NetworkSpec) in the network designer."""
        self.designRequested.emit(spec)

    def request_teach(self) -> None:
        self.teachRequested.emit()

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

    def set_drawing(self, drawing: Drawing, over_image: bool = False) -> None:
        """The canvas's strokes; ``over_image``: drawn over an opened image, which
        the strokes alone do not show (a correction must not keep only them)."""
        self._drawing = drawing
        self._drawing_over_image = over_image

    @property
    def drawing_over_image(self) -> bool:
        return self._drawing_over_image

    @property
    def selected_digit(self) -> int | None:
        """Which digit of a multi-digit reading the viewers show (None: no number)."""
        return self._result.selected if self._result is not None else None

    def set_result(self, result: LiveResult) -> None:
        previous = self.selected_digit
        self._result = result
        self.resultChanged.emit(result)
        if result.selected is not None and result.selected != previous:
            self.selectedDigitChanged.emit(result.selected)

    def select_digit(self, index: int) -> None:
        """Show digit ``index`` of the number in every viewer (bars, input, layers)."""
        result = self._result
        if result is None or not 0 <= index < len(result.digits):
            return
        if result.is_number and index != result.selected:
            self.set_result(result.selecting(index))

    def request_image(self, image: np.ndarray) -> None:
        """Ask the canvas to show ``image`` (e.g. a misclassified test digit)."""
        self.imageRequested.emit(image)
