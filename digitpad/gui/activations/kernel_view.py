"""Small pieces the viewer's tabs share: a kernel's weights as cells, a captioned box.

A kernel prints its weights when the cells are large enough to read them; the colours
are the feature maps' diverging scale (blue < 0, orange > 0), so a filter and the maps
it makes read alike.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from digitpad.gui.activations.feature_maps import DIVERGING
from digitpad.gui.widgets.qimage_array import argb_to_qimage


class KernelView(QWidget):
    """A (kh, kw) kernel as coloured cells (blue < 0, orange > 0) with its values."""

    def __init__(self, cell: int = 34, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._kernel = np.zeros((3, 3), np.float32)
        self._cell = cell
        self._image = QImage()
        self.set_kernel(self._kernel)

    @property
    def kernel(self) -> np.ndarray:
        return self._kernel

    def set_kernel(self, kernel: np.ndarray, scale: float | None = None) -> None:
        """Show ``kernel``; a shared ``scale`` keeps several kernels comparable."""
        self._kernel = np.asarray(kernel, dtype=np.float32)
        peak = scale or float(np.abs(self._kernel).max(initial=0.0)) or 1.0
        unit = np.clip(self._kernel / peak, -1.0, 1.0)
        indices = ((unit + 1.0) * 127.5 + 0.5).astype(np.uint8)
        self._colours = DIVERGING[indices]
        self._image = argb_to_qimage(self._colours)
        kh, kw = self._kernel.shape
        self.setFixedSize(kw * self._cell + 1, kh * self._cell + 1)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        kh, kw = self._kernel.shape
        c = self._cell
        painter.drawImage(QRectF(0, 0, kw * c, kh * c), self._image)
        painter.setPen(QColor(70, 70, 70))
        for i in range(kw + 1):
            painter.drawLine(i * c, 0, i * c, kh * c)
        for j in range(kh + 1):
            painter.drawLine(0, j * c, kw * c, j * c)
        if c < 26:
            return
        font = QFont(self.font())
        font.setPointSizeF(max(6.5, font.pointSizeF() * 0.8))
        painter.setFont(font)
        text = "{:.0f}" if np.allclose(self._kernel, self._kernel.round()) else "{:.2f}"
        for (row, col), value in np.ndenumerate(self._kernel):
            painter.setPen(text_colour_on(int(self._colours[row, col])))
            painter.drawText(
                QRectF(col * c, row * c, c, c),
                Qt.AlignmentFlag.AlignCenter,
                text.format(0.0 if abs(value) < 0.005 else value).replace("-", "−"),
            )


def text_colour_on(argb: int) -> QColor:
    """Black or white, whichever reads on a background of colour ``argb``.

    Relative luminance (sRGB, as in WCAG): pale orange and light blue cells get black
    numbers, dark cells white ones.
    """
    channels = [((argb >> shift) & 0xFF) / 255.0 for shift in (16, 8, 0)]
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    # the contrast with black beats the contrast with white above ~0.18
    return QColor(0, 0, 0) if luminance > 0.179 else QColor(255, 255, 255)


def captioned(widget: QWidget, title: str, detail: str = "") -> QWidget:
    """``widget`` with a bold title above and an optional small grey note below."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(4)
    heading = QLabel(f"<b>{title}</b>")
    layout.addWidget(heading)
    layout.addWidget(widget)
    if detail:
        note = QLabel(detail)
        note.setWordWrap(True)
        note.setMaximumWidth(max(widget.sizeHint().width(), 140))
        note.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(note)
    layout.addStretch(1)
    return box
