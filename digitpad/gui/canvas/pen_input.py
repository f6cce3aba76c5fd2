"""How mouse, tablet and touch input becomes strokes and erasing on the drawing canvas.

``DrawingCanvas`` is the canvas's state (content, history, tool, boxes) and its
painting; this is the other half of the widget, the pointer: a press starts a stroke
or an erase, a move extends it, a release commits it. Tablet pressure scales the pen
width and the stylus's eraser end erases; touch arrives as mouse events (Qt turns a
finger into them). A tap inside a digit's box selects that digit, unless the pen moves
on, which makes it a stroke after all. Kept apart so the event rules read in one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QPointingDevice, QTabletEvent

if TYPE_CHECKING:
    from digitpad.core.ink.canvas_history import History
    from digitpad.core.ink.gesture import Gesture
    from digitpad.gui.canvas.digit_boxes import DigitBoxes


class PenInput:
    """The canvas's pointer events, mixed into ``DrawingCanvas`` (listed before its
    ``QWidget`` base, so Qt calls these handlers and ``super()`` reaches QWidget's).

    The canvas provides the state below and ``digitClicked``, ``content``,
    ``_commit``, ``_rerender``, ``_schedule_emit`` and ``_paint_incrementally``.
    """

    _gesture: Gesture
    _history: History
    _boxes: DigitBoxes
    _hover: QPointF | None
    _pen_width: float
    _eraser_selected: bool  # the eraser is the chosen tool (else the pen)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        left = event.button() == Qt.MouseButton.LeftButton
        pen = not self._eraser_selected
        if left and pen and self._boxes.press(event.position()):
            event.accept()  # a tap selects the digit; a drag still draws
            return
        if left:
            self._begin(event.position(), self._eraser_selected, self._pen_width)
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._hover = event.position()
        if self._boxes.pressing and event.buttons() & Qt.MouseButton.LeftButton:
            start = self._boxes.moved(event.position())
            if start is not None:  # a stroke after all, from where the pen went down
                self._begin(start, False, self._pen_width)
                self._extend(event.position(), self._pen_width)
            return
        if self._gesture.active and event.buttons() & Qt.MouseButton.LeftButton:
            self._extend(event.position(), self._pen_width)
        elif self._eraser_selected:
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._boxes.pressing:
            self.digitClicked.emit(self._boxes.released())
            return
        if event.button() == Qt.MouseButton.LeftButton and self._gesture.active:
            self._extend(event.position(), self._pen_width)
            self._finish()
        else:
            super().mouseReleaseEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._hover = None
        self.update()
        super().leaveEvent(event)

    def tabletEvent(self, event: QTabletEvent) -> None:
        """Pressure scales the pen width; the stylus's eraser end erases."""
        width = self._pen_width * (0.35 + 0.9 * max(0.0, min(1.0, event.pressure())))
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            eraser_end = event.pointerType() == QPointingDevice.PointerType.Eraser
            self._begin(event.position(), eraser_end or self._eraser_selected, width)
        elif kind == QTabletEvent.Type.TabletMove and self._gesture.active:
            self._extend(event.position(), width)
        elif kind == QTabletEvent.Type.TabletRelease and self._gesture.active:
            self._extend(event.position(), width)
            self._finish()
        event.accept()

    # ------------------------------------------------------------ gestures

    def _begin(self, pos: QPointF, erase: bool, width: float) -> None:
        if erase:
            self._gesture.start_erasing(self._history.current, pos.x(), pos.y())
            self._erase_to(pos)
            return
        point = self._gesture.start_stroke(pos.x(), pos.y(), width)
        self._paint_incrementally(point, point)

    def _extend(self, pos: QPointF, width: float) -> None:
        if self._gesture.erasing is not None:
            self._erase_to(pos)
            return
        segment = self._gesture.extend_stroke(pos.x(), pos.y(), width)
        if segment is not None:
            self._paint_incrementally(*segment)

    def _erase_to(self, pos: QPointF) -> None:
        self._hover = pos
        if self._gesture.erase_to(pos.x(), pos.y(), self._pen_width / 2):
            self._rerender()
            self._schedule_emit()
        self.update()

    def _finish(self) -> None:
        content = self.content
        self._gesture.cancel()
        self._commit(content)
