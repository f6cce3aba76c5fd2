"""The classic LeNet picture of the design: boxes shrinking and deepening to the right.

The geometry comes from ``networks.diagram`` (plain Python); this widget only scales
it to its size and paints each box as a front face, a top and a side, with the shape
under it. Painting reads a laid-out ``Diagram`` kept from the last edit, so a repaint
does no analysis.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from digitpad.core.networks.diagram import BAR_WIDTH, Diagram, Volume

MAPS = QColor("#5c8fd6")
FLAT = QColor("#e39b3b")
ADDED = QColor("#9e9e9e")
MARGIN = 8
LABEL_LINES = 2


class VolumeDiagram(QWidget):
    """Paints a ``Diagram``; ``show_diagram`` after each edit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Network diagram")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._diagram = Diagram((), 0.0)

    def sizeHint(self) -> QSize:
        return QSize(520, 180)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, 120)

    def show_diagram(self, diagram: Diagram) -> None:
        if diagram != self._diagram:
            self._diagram = diagram
            self.setToolTip(" → ".join(v.label for v in diagram.volumes))
            self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        diagram = self._diagram
        if not diagram.volumes:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        line = self.fontMetrics().height()
        area = QRectF(self.rect()).adjusted(
            MARGIN, MARGIN, -MARGIN, -MARGIN - LABEL_LINES * line
        )
        scale = min(
            area.width() / max(diagram.width, 1e-6),
            area.height() / max(diagram.height, 1e-6),
        )
        left = area.left() + (area.width() - diagram.width * scale) / 2
        baseline = area.bottom()
        text = self.palette().color(QPalette.ColorRole.WindowText)
        for index, volume in enumerate(diagram.volumes):
            colour = ADDED if volume.added else FLAT if volume.flat else MAPS
            rect = _box(painter, volume, left, baseline, scale, colour)
            painter.setPen(text)
            label = volume.label
            width = self.fontMetrics().horizontalAdvance(label)
            row = index % LABEL_LINES  # neighbours' labels on two lines never collide
            painter.drawText(
                QPointF(rect.center().x() - width / 2, baseline + line * (row + 1)),
                label,
            )
        painter.end()


def _box(
    painter: QPainter,
    volume: Volume,
    left: float,
    baseline: float,
    scale: float,
    colour: QColor,
) -> QRectF:
    """Draw one box (front face, top, side); return its front face."""
    face = volume.face * scale
    width = (BAR_WIDTH if volume.flat else volume.face) * scale
    depth = volume.depth * scale
    x = left + volume.x * scale
    front = QRectF(x, baseline - face, width, face)
    painter.setPen(QPen(colour.darker(150), 1))
    if depth > 0.5:
        dx, dy = depth, -depth * 0.6
        top = QPolygonF(
            [
                front.topLeft(),
                front.topLeft() + QPointF(dx, dy),
                front.topRight() + QPointF(dx, dy),
                front.topRight(),
            ]
        )
        side = QPolygonF(
            [
                front.topRight(),
                front.topRight() + QPointF(dx, dy),
                front.bottomRight() + QPointF(dx, dy),
                front.bottomRight(),
            ]
        )
        painter.setBrush(colour.lighter(125))
        painter.drawPolygon(top)
        painter.setBrush(colour.darker(115))
        painter.drawPolygon(side)
    painter.setBrush(colour)
    painter.drawRect(front)
    painter.setPen(Qt.PenStyle.NoPen)
    return front
