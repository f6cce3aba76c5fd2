"""The pictures of "How this value is computed": maps with the unit's window on them.

Each panel is a small coloured map (a previous layer's map, a kernel, the 28x28
input, the output map) with a titled caption and an outlined box: the window the
unit reads, its receptive field, or the unit itself. One widget paints every panel,
so a Play frame or a stroke costs one repaint, not a widget per picture.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

SIDE = 150  # a panel's picture, in pixels
GAP = 14
BOX_COLOUR = QColor(80, 220, 255)


@dataclass(frozen=True)
class Panel:
    """One picture: ``image`` with ``box`` (top, bottom, left, right, inclusive, in
    image pixels) outlined, and ``numbers`` written into the cells if given."""

    title: str
    image: QImage
    box: tuple[int, int, int, int] | None = None
    numbers: np.ndarray | None = None


class UnitPictures(QWidget):
    """Panels side by side, wrapping to the widget's width."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._panels: list[Panel] = []
        self._scaled: dict[tuple, QImage] = {}  # (cache key, size) -> enlarged copy
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(self._row_height())

    @property
    def panels(self) -> list[Panel]:
        return self._panels

    def set_panels(self, panels: list[Panel]) -> None:
        self._panels = panels
        used = {panel.image.cacheKey() for panel in panels}
        self._scaled = {k: v for k, v in self._scaled.items() if k[0] in used}
        self._fit_height()
        self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()  # a wider widget fits more panels per row

    def _fit_height(self) -> None:
        rows = -(-len(self._panels) // max(1, self._columns()))
        height = max(1, rows) * self._row_height()
        if height != self.minimumHeight():  # a new minimum re-lays the dialog out
            self.setMinimumHeight(height)
            self.setMaximumHeight(height)

    def sizeHint(self) -> QSize:
        return QSize(5 * (SIDE + GAP), self._row_height())

    def _row_height(self) -> int:
        return SIDE + 2 * self.fontMetrics().height() + GAP

    def _columns(self) -> int:
        return max(1, (self.width() + GAP) // (SIDE + GAP))

    def panel_rect(self, index: int) -> QRectF:
        """Where panel ``index``'s picture is drawn (for tests and screenshots)."""
        row, col = divmod(index, self._columns())
        top = row * self._row_height() + 2 * self.fontMetrics().height()
        return QRectF(col * (SIDE + GAP), top, SIDE, SIDE)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        text = self.palette().windowText().color()
        line = self.fontMetrics().height()
        for index, panel in enumerate(self._panels):
            frame = self.panel_rect(index)
            caption = QRectF(frame.x(), frame.y() - 2 * line, SIDE + GAP - 2, 2 * line)
            painter.setPen(text)
            painter.drawText(
                caption,
                Qt.AlignmentFlag.AlignLeft
                | Qt.AlignmentFlag.AlignBottom
                | Qt.TextFlag.TextWordWrap,
                panel.title,
            )
            self._draw_panel(painter, panel, frame)

    def _draw_panel(self, painter: QPainter, panel: Panel, frame: QRectF) -> None:
        painter.fillRect(frame, QColor(0, 0, 0))
        w, h = panel.image.width(), panel.image.height()
        if w == 0 or h == 0:
            return
        scale = SIDE / max(w, h)
        target = QRectF(frame.x(), frame.y(), w * scale, h * scale)
        painter.drawImage(target.topLeft(), self._enlarged(panel.image, target))
        if panel.numbers is not None and scale >= 22:
            self._draw_numbers(painter, panel, target, scale)
        if panel.box is not None:
            top, bottom, left, right = panel.box
            box = QRectF(
                target.x() + left * scale,
                target.y() + top * scale,
                (right - left + 1) * scale,
                (bottom - top + 1) * scale,
            )
            painter.setPen(QPen(BOX_COLOUR, 2))
            painter.drawRect(box.adjusted(1, 1, -1, -1))
        painter.setPen(QPen(QColor(90, 90, 90), 1))
        painter.drawRect(target.adjusted(0.5, 0.5, -0.5, -0.5))

    def _enlarged(self, image: QImage, target: QRectF) -> QImage:
        """``image`` at the target size with square pixels, made once per image: a
        painter scaling a small ARGB image by a fraction took 3 ms per panel and
        ``QImage.scaled`` as long; numpy's nearest-neighbour indexing of the opaque
        pixels takes microseconds, and the copy then blits 1:1."""
        size = (round(target.width()), round(target.height()))
        key = (image.cacheKey(), size)
        enlarged = self._scaled.get(key)
        if enlarged is None:
            opaque = image.convertToFormat(QImage.Format.Format_RGB32)
            w, h = opaque.width(), opaque.height()
            pixels = np.frombuffer(opaque.constBits(), np.uint32).reshape(
                h, opaque.bytesPerLine() // 4
            )[:, :w]
            rows = np.arange(size[1]) * h // max(1, size[1])
            cols = np.arange(size[0]) * w // max(1, size[0])
            big = np.ascontiguousarray(pixels[rows][:, cols])
            enlarged = QImage(
                big.data, size[0], size[1], size[0] * 4, QImage.Format.Format_RGB32
            ).copy()
            self._scaled[key] = enlarged
        return enlarged

    def _draw_numbers(
        self, painter: QPainter, panel: Panel, target: QRectF, scale: float
    ) -> None:
        """Each cell's number, dark on light cells and light on dark ones."""
        font = QFont(self.font())
        font.setPointSizeF(max(6.0, min(9.0, scale / 4.2)))
        painter.setFont(font)
        for (row, col), value in np.ndenumerate(panel.numbers):
            cell = QRectF(
                target.x() + col * scale, target.y() + row * scale, scale, scale
            )
            light = panel.image.pixelColor(col, row).lightness() > 130
            painter.setPen(QColor(0, 0, 0) if light else QColor(255, 255, 255))
            painter.drawText(cell, Qt.AlignmentFlag.AlignCenter, f"{value:.2f}")
        painter.setFont(self.font())
