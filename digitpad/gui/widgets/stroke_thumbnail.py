"""A drawing's strokes painted small: thumbnails of the user's samples.

Painted into a ``QImage`` (not a pixmap), so a worker thread can render a thousand of
them while the GUI thread only wraps the finished images in icons. The ink is fitted
to the square with a margin, keeping its proportions, as the user drew it.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen

from digitpad.core.ink.drawing import Drawing
from digitpad.gui.widgets.painting import painting

PAPER = QColor("#fbfbf8")
INK = QColor("#1f2430")
MISREAD = QColor("#c2410c")


def render_thumbnail(drawing: Drawing, size: int, misread: bool = False) -> QImage:
    """``size`` x ``size`` picture of the ink; a coloured frame marks a misread."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(PAPER)
    points = [point for stroke in drawing.strokes for point in stroke]
    with painting(image) as painter:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if points:
            xs = [x for x, _ in points]
            ys = [y for _, y in points]
            span = max(max(xs) - min(xs), max(ys) - min(ys), 1.0)
            margin = size * 0.14
            scale = (size - 2 * margin) / span
            centre = ((max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2)

            def place(x: float, y: float) -> QPointF:
                return QPointF(
                    size / 2 + (x - centre[0]) * scale,
                    size / 2 + (y - centre[1]) * scale,
                )

            pen = QPen(INK, max(1.6, size * 0.055))
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            for stroke in drawing.strokes:
                if not stroke:
                    continue
                if len(stroke) == 1:
                    painter.drawPoint(place(*stroke[0]))
                    continue
                path = QPainterPath(place(*stroke[0]))
                for x, y in stroke[1:]:
                    path.lineTo(place(x, y))
                painter.drawPath(path)
        if misread:
            frame = QPen(MISREAD, max(2.0, size * 0.05))
            painter.setPen(frame)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            inset = frame.widthF() / 2
            painter.drawRect(QRectF(inset, inset, size - 2 * inset, size - 2 * inset))
    return image
