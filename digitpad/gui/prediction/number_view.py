"""The number read from the canvas, large, one clickable place per digit.

Shown only when the canvas holds more than one digit (a lone digit keeps the panel's
big single answer). Each digit is coloured by the panel's own rule: green when sure,
orange with a "?" below ``UNSURE_BELOW``. Clicking a digit (or Left/Right with focus)
selects it, and every viewer (bars, network input, layers, saliency) shows that digit.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from digitpad.core.numbers.reading import ReadDigit
from digitpad.gui.state import AppState, LiveResult

CONFIDENT = QColor("#1f6f43")
UNSURE = QColor("#b35c00")
MUTED = QColor("#6b7280")
SELECTED = QColor(37, 99, 235)  # the canvas marks the selected box in the same blue
BIG = 4.2  # digit size, x the widget's font (the single answer uses 5)
GAP = 0.12  # space between digit places, x the digit height
MARGIN = 8


def digit_colour(digit: ReadDigit) -> QColor:
    return UNSURE if digit.is_unsure else CONFIDENT


class NumberView(QWidget):
    """The number, digit by digit; the selected digit is underlined."""

    digitClicked = Signal(int)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._digits: tuple[ReadDigit, ...] = ()
        self._selected: int | None = None
        self.setAccessibleName("Number read")
        self.setToolTip("The number on the canvas. Click a digit to see it in detail.")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.digitClicked.connect(state.select_digit)
        state.resultChanged.connect(self.show_result)
        self.setVisible(False)

    # ------------------------------------------------------------ content

    @property
    def number(self) -> str:
        return "".join(str(d.digit) for d in self._digits)

    @property
    def selected(self) -> int | None:
        return self._selected

    def show_result(self, result: LiveResult) -> None:
        self._digits = result.digits if result.is_number else ()
        self._selected = result.selected if result.is_number else None
        self.setVisible(bool(self._digits))
        unsure = [str(i + 1) for i, d in enumerate(self._digits) if d.is_unsure]
        description = f"{self.number}"
        if self._selected is not None:
            description += f"; showing digit {self._selected + 1}"
        if unsure:
            description += f"; not sure of digit {', '.join(unsure)}"
        self.setAccessibleDescription(description)
        self.updateGeometry()
        self.update()

    # ------------------------------------------------------------ geometry

    def _big_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        size = font.pointSizeF() * BIG
        if self._digits:  # shrink a long number until every digit fits the width
            font.setPointSizeF(size)
            width = self._row_width(QFontMetricsF(font))
            available = max(40.0, self.width() - 2 * MARGIN)
            if width > available:
                size *= available / width
        font.setPointSizeF(max(8.0, size))
        return font

    def _cell_width(self, metrics: QFontMetricsF) -> float:
        return metrics.horizontalAdvance("8") + 0.3 * metrics.height()

    def _row_width(self, metrics: QFontMetricsF) -> float:
        n = len(self._digits)
        return n * self._cell_width(metrics) + (n - 1) * GAP * metrics.height()

    def cell_rect(self, index: int) -> QRectF:
        """Where digit ``index`` is drawn (and clicked), in widget coordinates."""
        metrics = QFontMetricsF(self._big_font())
        cell = self._cell_width(metrics)
        gap = GAP * metrics.height()
        left = (self.width() - self._row_width(metrics)) / 2
        top = max(0.0, (self.height() - metrics.height()) / 2)
        return QRectF(left + index * (cell + gap), top, cell, metrics.height())

    def index_at(self, pos: QPointF) -> int | None:
        for index in range(len(self._digits)):
            if self.cell_rect(index).adjusted(-4, -4, 4, 4).contains(pos):
                return index
        return None

    def sizeHint(self) -> QSize:
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * BIG)
        font.setBold(True)
        height = QFontMetricsF(font).height() + 2 * MARGIN + 4
        return QSize(260, round(height))

    def minimumSizeHint(self) -> QSize:
        return QSize(120, self.sizeHint().height())

    # ------------------------------------------------------------ input

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.index_at(event.position())
        if event.button() == Qt.MouseButton.LeftButton and index is not None:
            self.digitClicked.emit(index)
            event.accept()
        else:
            super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        step = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1}.get(Qt.Key(event.key()))
        if step is not None and self._selected is not None:
            target = self._selected + step
            if 0 <= target < len(self._digits):
                self.digitClicked.emit(target)
            event.accept()
        else:
            super().keyPressEvent(event)

    # ------------------------------------------------------------ painting

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._digits:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setFont(self._big_font())
        for index, digit in enumerate(self._digits):
            rect = self.cell_rect(index)
            colour = digit_colour(digit)
            if index == self._selected:
                tint = QColor(SELECTED)
                tint.setAlpha(28)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(tint)
                painter.drawRoundedRect(rect.adjusted(-2, 0, 2, 0), 8, 8)
                painter.setBrush(SELECTED)
                bar = QRectF(rect.left() + 6, rect.bottom() - 3, rect.width() - 12, 4)
                painter.drawRoundedRect(bar, 2, 2)
            painter.setPen(colour)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(digit.digit))
            if digit.is_unsure:  # a small "?" by the digit, as the panel's "4?"
                small = QFont(painter.font())
                small.setPointSizeF(painter.font().pointSizeF() * 0.4)
                painter.save()
                painter.setFont(small)
                painter.drawText(
                    rect.adjusted(0, 2, -1, 0),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                    "?",
                )
                painter.restore()
        if self.hasFocus() and self._selected is not None:
            painter.setPen(MUTED)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(
                self.cell_rect(self._selected).adjusted(-3, -1, 3, 1), 9, 9
            )
        painter.end()
