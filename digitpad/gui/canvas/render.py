"""Painting canvas content with QPainter: on screen, into PNGs, and for prediction.

One function draws strokes and the opened image for all three uses, so the saved PNG
and the composite the network reads are the picture the user sees, pixel for pixel.
"""

from __future__ import annotations

import itertools

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPen

from digitpad.core.ink.canvas_content import CanvasContent, InkStroke, PlacedImage
from digitpad.gui.widgets.painting import painting
from digitpad.gui.widgets.qimage_array import qimage_to_grey, rgba_to_qimage

PAPER = QColor("#fbfbf8")
INK = QColor("#1f2430")


def paint_stroke(painter: QPainter, stroke: InkStroke, colour: QColor) -> None:
    """Round-capped segments, each as wide as the pen was at its ends."""
    points = stroke.points
    if not points:
        return
    if len(points) == 1:
        x, y, w = points[0]
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(colour))
        painter.drawEllipse(QPointF(x, y), w / 2, w / 2)
        return
    pen = QPen(colour)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for (x0, y0, w0), (x1, y1, w1) in itertools.pairwise(points):
        pen.setWidthF((w0 + w1) / 2)
        painter.setPen(pen)
        painter.drawLine(QPointF(x0, y0), QPointF(x1, y1))


def paint_segment(
    painter: QPainter, a: tuple[float, float, float], b: tuple[float, float, float]
) -> QRectF:
    """Draw one new piece of the stroke in progress; return the area it touched."""
    paint_stroke(painter, InkStroke((a, b)), INK)
    reach = max(a[2], b[2]) / 2 + 2
    return QRectF(
        QPointF(min(a[0], b[0]) - reach, min(a[1], b[1]) - reach),
        QPointF(max(a[0], b[0]) + reach, max(a[1], b[1]) + reach),
    )


def paint_image(painter: QPainter, image: PlacedImage, colour: QColor) -> None:
    """The opened image's ink in ``colour``, smoothly scaled into its rectangle."""
    rgba = np.empty((*image.ink.shape, 4), dtype=np.uint8)
    rgba[..., 0], rgba[..., 1], rgba[..., 2] = (
        colour.red(),
        colour.green(),
        colour.blue(),
    )
    rgba[..., 3] = np.clip(image.ink * 255 + 0.5, 0, 255).astype(np.uint8)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
    painter.drawImage(QRectF(*image.rect), rgba_to_qimage(rgba))
    painter.restore()


def paint_content(
    painter: QPainter, content: CanvasContent, colour: QColor = INK
) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    if content.image is not None:
        paint_image(painter, content.image, colour)
    for stroke in content.strokes:
        paint_stroke(painter, stroke, colour)


def render_picture(content: CanvasContent, size: QSize, dpr: float = 1.0) -> QImage:
    """Ink on paper, as shown on screen (what 'Save drawing as PNG' writes)."""
    image = QImage(
        QSize(round(size.width() * dpr), round(size.height() * dpr)),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    image.setDevicePixelRatio(dpr)
    image.fill(PAPER)
    with painting(image) as painter:
        paint_content(painter, content)
    return image


def render_ink(content: CanvasContent, size: QSize) -> np.ndarray:
    """Ink as grey levels (white on black, 0..1) at logical size, for the network."""
    image = QImage(size, QImage.Format.Format_Grayscale8)
    image.fill(QColor("black"))
    with painting(image) as painter:
        paint_content(painter, content, QColor("white"))
    return qimage_to_grey(image)


def paint_overlay(
    painter: QPainter,
    rect: QRect,
    *,
    hint: bool,
    eraser_at: QPointF | None,
    eraser_radius: float,
    frame: QColor,
) -> None:
    """What is drawn over the ink but is not ink: the hint, the eraser ring, a frame."""
    if hint:
        painter.setPen(QColor("#8a8f98"))
        font = painter.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        painter.setFont(font)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "Draw a digit here")
    if eraser_at is not None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(QColor("#c0392b"), 1.5))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(eraser_at, eraser_radius, eraser_radius)
    painter.setPen(QPen(frame, 1))
    painter.drawRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5))
