"""The softmax layer's output in the viewer: one column per digit, like a histogram.

The final card shows the ten probabilities as upright columns so they line up with
the other cards' maps and strips; the winner is drawn in the feature maps' orange.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget


class ProbabilityColumns(QWidget):
    """A column per digit, the winner highlighted and percentages on top; a click
    on a column reports its digit (``barClicked``)."""

    barClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._probabilities = np.zeros(10, np.float32)
        self.setMinimumHeight(130)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    @property
    def probabilities(self) -> np.ndarray:
        return self._probabilities

    def sizeHint(self) -> QSize:
        return QSize(420, 130)

    def set_probabilities(self, probabilities: np.ndarray) -> None:
        self._probabilities = np.asarray(probabilities, dtype=np.float32).reshape(-1)
        self.update()

    def _slot(self) -> float:
        return min(56.0, self.width() / max(1, len(self._probabilities)))

    def bar_center(self, digit: int) -> QPointF:
        """Where digit ``digit``'s column is (for tests and accessibility tools)."""
        return QPointF((digit + 0.5) * self._slot(), self.height() / 2)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        digit = int(event.position().x() // self._slot())
        if event.button() == Qt.MouseButton.LeftButton and 0 <= digit < len(
            self._probabilities
        ):
            self.barClicked.emit(digit)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        probs = self._probabilities
        count = len(probs)
        metrics = self.fontMetrics()
        label_h = metrics.height() + 4
        top, bottom = label_h, self.height() - label_h
        slot = min(56.0, self.width() / max(1, count))
        bar_w = slot * 0.62
        winner = int(np.argmax(probs)) if probs.any() else -1
        text = self.palette().windowText().color()
        for i, p in enumerate(probs):
            x = i * slot + (slot - bar_w) / 2
            h = float(p) * (bottom - top)
            colour = QColor(249, 140, 9) if i == winner else QColor(110, 120, 140)
            painter.fillRect(QRectF(x, bottom - h, bar_w, h), colour)
            painter.setPen(text)
            painter.drawText(
                QRectF(i * slot, bottom + 2, slot, label_h),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                str(i),
            )
            if p >= 0.005:
                painter.drawText(
                    QRectF(i * slot - 4, bottom - h - label_h, slot + 8, label_h),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                    f"{100 * p:.0f}%",
                )
        painter.setPen(QColor(90, 90, 90))
        painter.drawLine(0, int(bottom), int(count * slot), int(bottom))
