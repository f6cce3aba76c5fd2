"""Boxes around the digits of a number, drawn over the ink, and which one a click hits.

The canvas knows nothing of predictions: the window hands it ``DigitMark``s (a box in
canvas pixels, a caption such as "2 · 97%", whether the reading is unsure) and the
index of the selected one, and hears back which box was clicked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

CONFIDENT = QColor("#1f6f43")
UNSURE = QColor("#b35c00")
SELECTED = QColor(37, 99, 235)  # the number view underlines the selection in it too
PAD = 6.0  # space between the ink and its box
TAP_SLOP = 4.0  # a press that moves less than this (px) is a click, not a stroke


@dataclass(frozen=True)
class DigitMark:
    """One digit's box on the canvas and what to write on it."""

    box: tuple[float, float, float, float]  # x0, y0, x1, y1 in canvas pixels
    caption: str
    unsure: bool = False


def box_rect(mark: DigitMark) -> QRectF:
    x0, y0, x1, y1 = mark.box
    return QRectF(QPointF(x0, y0), QPointF(x1, y1)).adjusted(-PAD, -PAD, PAD, PAD)


def mark_at(marks: Sequence[DigitMark], pos: QPointF) -> int | None:
    """The box under ``pos`` (the smallest, where boxes overlap), or None."""
    hits = [i for i, mark in enumerate(marks) if box_rect(mark).contains(pos)]
    if not hits:
        return None
    return min(hits, key=lambda i: box_rect(marks[i]).width())


def place_tabs(
    boxes: Sequence[QRectF], widths: Sequence[float], height: float, bounds: QRectF
) -> list[QRectF]:
    """Where each box's caption tab goes: above its box's left corner, moved up (or,
    with no room above, down inside the box) a tab's height at a time until it
    overlaps no tab placed before it; boxes that overlap get tabs that do not."""
    placed: list[QRectF] = []
    tabs: list[QRectF] = [QRectF()] * len(boxes)
    for index in sorted(range(len(boxes)), key=lambda i: boxes[i].left()):
        rect, width = boxes[index], widths[index]
        left = max(bounds.left() + 1.0, min(rect.left(), bounds.right() - width - 1))
        above = rect.top() - height + 1
        step = height + 1
        tops = [above - k * step for k in range(len(boxes))]
        tops = [t for t in tops if t >= bounds.top() + 1]
        tops += [rect.top() + 1 + k * step for k in range(len(boxes))]  # inside
        tab = QRectF(left, tops[0], width, height)
        for top in tops:
            candidate = QRectF(left, top, width, height)
            if not any(candidate.intersects(other) for other in placed):
                tab = candidate
                break
        placed.append(tab)
        tabs[index] = tab
    return tabs


def paint_digit_boxes(
    painter: QPainter, marks: Sequence[DigitMark], selected: int | None, bounds: QRect
) -> None:
    """A rounded box per digit, its caption on a tab above it; the selected one blue."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    font = QFont(painter.font())
    font.setPointSizeF(font.pointSizeF() * 0.95)
    font.setBold(True)
    painter.setFont(font)
    metrics = QFontMetricsF(font)
    rects = [box_rect(mark) for mark in marks]
    tabs = place_tabs(
        rects,
        [metrics.horizontalAdvance(mark.caption) + 10 for mark in marks],
        metrics.height() + 4,
        QRectF(bounds),
    )
    for index, mark in enumerate(marks):
        chosen = index == selected
        colour = SELECTED if chosen else (UNSURE if mark.unsure else CONFIDENT)
        fill = QColor(colour)
        fill.setAlpha(22 if chosen else 0)
        pen = QPen(colour, 2.0 if chosen else 1.4)
        if not chosen:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(fill)
        painter.drawRoundedRect(rects[index], 6, 6)
    for index, mark in enumerate(marks):  # tabs over every box's outline
        chosen = index == selected
        colour = SELECTED if chosen else (UNSURE if mark.unsure else CONFIDENT)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(tabs[index], 4, 4)
        painter.setPen(QColor("white"))
        painter.drawText(tabs[index], Qt.AlignmentFlag.AlignCenter, mark.caption)
    painter.restore()


class DigitBoxes:
    """The canvas's boxes and its one rule about them: a tap selects, a drag draws.

    With boxes shown, a pen press inside a box waits: moving ``TAP_SLOP`` px or more
    turns it into an ordinary stroke from the press point; a release first is a tap.
    """

    def __init__(self) -> None:
        self.marks: tuple[DigitMark, ...] = ()
        self.selected: int | None = None
        self.visible = True
        self._press: tuple[QPointF, int] | None = None

    @property
    def shown(self) -> bool:
        """Drawn and clickable: the user wants them and there is more than one digit."""
        return self.visible and len(self.marks) > 1

    def press(self, pos: QPointF) -> bool:
        """True when the press landed in a box and waits to become a tap or a stroke."""
        hit = mark_at(self.marks, pos) if self.shown else None
        if hit is not None:
            self._press = (pos, hit)
        return hit is not None

    @property
    def pressing(self) -> bool:
        return self._press is not None

    def moved(self, pos: QPointF) -> QPointF | None:
        """The press point once a waiting press has become a stroke, else None."""
        if self._press is None:
            return None
        start = self._press[0]
        if (pos - start).manhattanLength() < TAP_SLOP:
            return None
        self._press = None
        return start

    def released(self) -> int | None:
        """The tapped box's index, if the press was still waiting."""
        press, self._press = self._press, None
        return None if press is None else press[1]

    def cancel(self) -> None:
        self._press = None

    def paint(self, painter: QPainter, bounds: QRect) -> None:
        if self.shown:
            paint_digit_boxes(painter, self.marks, self.selected, bounds)
