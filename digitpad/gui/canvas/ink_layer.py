"""The canvas's backing image: ink is painted into it as it arrives, then blitted.

Qt's scribble example: ``paintEvent`` only copies this image, so a long drawing costs
nothing per frame; undo, erase, resize and HiDPI changes re-render it from the stroke
list, which stays the truth.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, QSize
from PySide6.QtGui import QImage, QPainter

from digitpad.core.ink.canvas_content import CanvasContent
from digitpad.gui.canvas import render
from digitpad.gui.widgets.painting import painting


class InkLayer:
    """A device-pixel image of the canvas content."""

    def __init__(self) -> None:
        self._image = QImage()

    def stale(self, device_pixel_ratio: float) -> bool:
        """True before the first render and after the screen's pixel ratio changed."""
        return (
            self._image.isNull() or self._image.devicePixelRatio() != device_pixel_ratio
        )

    def render(self, content: CanvasContent, size: QSize, ratio: float) -> None:
        self._image = render.render_picture(content, size, ratio)

    def paint_segment(self, a: tuple, b: tuple) -> QRect:
        """Add one stroke segment; returns the (logical) rectangle it touched."""
        with painting(self._image) as painter:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            dirty = render.paint_segment(painter, a, b)
        return dirty.toAlignedRect()

    def blit(self, painter: QPainter, rect: QRect) -> None:
        """Copy the part under ``rect`` (logical pixels) onto the widget."""
        ratio = self._image.devicePixelRatio()
        source = QRectF(
            rect.x() * ratio,
            rect.y() * ratio,
            rect.width() * ratio,
            rect.height() * ratio,
        )
        painter.drawImage(QRectF(rect), self._image, source)
