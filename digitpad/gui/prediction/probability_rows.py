"""The prediction panel's ten probabilities, one row per digit.

Each digit owns a horizontal band (``row_rect``): its label, a bar as long as its
probability and the percentage; the winner's bar takes the verdict's colour. The
accessible description reads the ten values out for screen readers.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

MUTED = QColor("#6b7280")
BAR = QColor("#9aa5b1")


class ProbabilityRows(QWidget):
    """Ten rows, one per digit: label, bar, percentage; the winner highlighted.

    Clicking a row says "it is this digit": the window saves the drawing with that
    label (a correction) when there is a drawing to save.
    """

    rowClicked = Signal(int)  # the digit whose row was clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Class probabilities")
        self.setToolTip(
            "The network's probability for each digit (they sum to 100%). "
            "Wrong? Click the right digit to save your drawing as one of your "
            "digits (Ctrl+digit on the canvas does the same)"
        )
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._values: np.ndarray | None = None
        self._colour = MUTED  # the winner's colour; set with the first values
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(10 * 16)

    def values(self) -> np.ndarray | None:
        return self._values

    def set_values(self, values: np.ndarray | None, colour: QColor) -> None:
        self._values = None if values is None else np.asarray(values, np.float32)
        self._colour = colour
        if self._values is None:
            self.setAccessibleDescription("No digit")
        else:
            self.setAccessibleDescription(
                ", ".join(f"{d}: {p:.0%}" for d, p in enumerate(self._values))
            )
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(260, 10 * 21)

    def row_rect(self, digit: int) -> QRectF:
        """The band of the widget that belongs to ``digit`` (label, bar and value)."""
        row = self.height() / 10
        return QRectF(0, digit * row, self.width(), row)

    def digit_at(self, y: float) -> int | None:
        if not 0 <= y < self.height():
            return None
        return min(9, int(y / (self.height() / 10)))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        digit = self.digit_at(event.position().y())
        inside = self.rect().contains(event.position().toPoint())
        if event.button() == Qt.MouseButton.LeftButton and inside and digit is not None:
            self.rowClicked.emit(digit)
        super().mouseReleaseEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        metrics = painter.fontMetrics()
        label_w = metrics.horizontalAdvance("9") + 10
        value_w = metrics.horizontalAdvance("100%") + 8
        track_w = max(10.0, self.width() - label_w - value_w)
        winner = None if self._values is None else int(np.argmax(self._values))
        bar_h = min(16.0, self.row_rect(0).height() * 0.62)
        for digit in range(10):
            band = self.row_rect(digit)
            top, row = band.top(), band.height()
            p = 0.0 if self._values is None else float(self._values[digit])
            text_rect = QRectF(0, top, label_w - 6, row)
            painter.setPen(self.palette().text().color())
            painter.drawText(
                text_rect,
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                str(digit),
            )
            track = QRectF(label_w, top + (row - bar_h) / 2, track_w, bar_h)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self.palette().alternateBase().color().darker(104))
            painter.drawRoundedRect(track, 3, 3)
            if p > 0:
                painter.setBrush(self._colour if digit == winner else BAR)
                painter.drawRoundedRect(
                    QRectF(track.x(), track.y(), max(2.0, track_w * p), bar_h), 3, 3
                )
            painter.setPen(self.palette().text().color() if digit == winner else MUTED)
            value = "" if self._values is None else f"{p:.0%}"
            painter.drawText(
                QRectF(label_w + track_w, top, value_w, row),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                value,
            )
        painter.end()
