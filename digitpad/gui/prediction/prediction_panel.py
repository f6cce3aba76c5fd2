"""The answer: the predicted digit, large; how sure the network is; ten probabilities.

A confident wrong answer teaches the wrong lesson, so below ``LOW_CONFIDENCE`` the panel
says so ("Not sure: 4 or 9?") in a different colour instead of announcing a digit.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from digitpad.core.models.inference import Predictor
from digitpad.gui.prediction.number_view import NumberView
from digitpad.gui.prediction.probability_rows import MUTED, ProbabilityRows
from digitpad.gui.state import AppState, LiveResult

LOW_CONFIDENCE = 0.6
CONFIDENT = QColor("#1f6f43")
UNSURE = QColor("#b35c00")


def verdict(probabilities: np.ndarray | None) -> tuple[str, str, bool]:
    """(big text, sentence, is-confident) for a probability vector or 'no digit'."""
    if probabilities is None:
        return "–", "No digit: draw one on the canvas", False
    order = np.argsort(probabilities)[::-1]
    top, second = int(order[0]), int(order[1])
    confidence = float(probabilities[top])
    if confidence < LOW_CONFIDENCE:
        return f"{top}?", f"Not sure: {top} or {second}?", False
    return str(top), f"{confidence:.0%} sure it is a {top}", True


def model_summary(predictor: Predictor | None) -> str:
    """One line naming the model in use: name, architecture, accuracy, backend."""
    if predictor is None:
        return "No model loaded"
    meta = predictor.metadata
    first = [predictor.name, str(meta.get("architecture") or "custom architecture")]
    second = [predictor.backend]
    accuracy = meta.get("mnist_test_accuracy")
    if isinstance(accuracy, int | float):
        second.insert(0, f"{accuracy:.2%} on MNIST test")
    return " · ".join(first) + "\n" + " · ".join(second)


class PredictionPanel(QWidget):
    """Shows the latest ``LiveResult`` and which model produced it."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self.digit = QLabel("–")
        self.digit.setAccessibleName("Predicted digit")
        self.digit.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 5)
        font.setBold(True)
        self.digit.setFont(font)
        self.digit.setMinimumWidth(
            self.digit.fontMetrics().horizontalAdvance("8?") + 24
        )
        self.sentence = QLabel()
        self.sentence.setAccessibleName("Prediction confidence")
        self.sentence.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.sentence.setWordWrap(True)
        sentence_font = QFont(self.font())
        sentence_font.setPointSizeF(sentence_font.pointSizeF() * 1.25)
        self.sentence.setFont(sentence_font)
        self.bars = ProbabilityRows()
        self.number = NumberView(state)  # several digits: the number replaces the digit
        self.number.setFixedHeight(self.digit.sizeHint().height())  # nothing jumps
        self.model_line = QLabel()
        self.model_line.setAccessibleName("Model in use")
        self.model_line.setWordWrap(True)
        self.model_line.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.model_line.setStyleSheet(f"color: {MUTED.name()}; margin: 0 12px;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(6)
        layout.addWidget(self.number)
        layout.addWidget(self.digit)
        layout.addWidget(self.sentence)
        layout.addSpacing(6)
        layout.addWidget(self.bars)
        state.resultChanged.connect(self.show_result)
        state.modelChanged.connect(self.show_model)
        self.show_model(state.predictor)
        self._show(None)

    def show_model(self, predictor: Predictor | None) -> None:
        self.model_line.setText(model_summary(predictor))
        self.model_line.setToolTip(
            str(predictor.path) if predictor and predictor.path else ""
        )

    def show_loading(self, message: str) -> None:
        """Before the first model arrives (or when none could be loaded)."""
        self.model_line.setText(message)

    def show_result(self, result: LiveResult) -> None:
        self.digit.setVisible(not result.is_number)
        probabilities = (
            None if result.prediction is None else result.prediction.probabilities
        )
        if result.prediction is None and not result.preprocessed.is_empty:
            self._show(None, "Load a model to read this digit")
            return
        self._show(probabilities)
        if result.is_number and result.selected is not None:
            place = f"Digit {result.selected + 1} of {len(result.digits)}: "
            self.sentence.setText(place + self.sentence.text())

    def _show(
        self, probabilities: np.ndarray | None, sentence: str | None = None
    ) -> None:
        big, text, confident = verdict(probabilities)
        colour = (
            CONFIDENT if confident else (MUTED if probabilities is None else UNSURE)
        )
        self.digit.setText(big)
        self.digit.setStyleSheet(f"color: {colour.name()};")
        self.sentence.setText(sentence or text)
        self.sentence.setStyleSheet(f"color: {colour.name()};")
        self.digit.setAccessibleDescription(sentence or text)
        self.bars.set_values(probabilities, colour)
