"""The drawing canvas: pen, eraser, undo/redo, images, boxes around a number's digits.

As in Qt's scribble example, ink goes into a backing image (``InkLayer``) as events
arrive and ``paintEvent`` only blits it; the stroke list is the truth, so undo, erase,
resize and HiDPI changes simply re-render it. Mouse, tablet (pressure sets the width;
the pen's eraser end erases) and touch (Qt turns a finger into mouse events) all draw:
how their events become strokes is ``pen_input.PenInput``, mixed in here.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QPointF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QImage,
    QPainter,
    QPaintEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from digitpad.core.ink.canvas_content import (
    CanvasContent,
)
from digitpad.core.ink.canvas_history import History
from digitpad.core.ink.canvas_page import drawing_on_page, refit_page
from digitpad.core.ink.drawing import Drawing
from digitpad.core.ink.gesture import Gesture
from digitpad.core.preprocess.opened_image import image_on_page
from digitpad.gui.canvas import render
from digitpad.gui.canvas.digit_boxes import (
    DigitBoxes,
    DigitMark,
)
from digitpad.gui.canvas.ink_layer import InkLayer
from digitpad.gui.canvas.pen_input import PenInput

PEN, ERASER = "pen", "eraser"
EMIT_INTERVAL_MS = 16  # at most one content update per frame while the pen moves


class DrawingCanvas(PenInput, QWidget):
    """Draw a digit anywhere, at any size; the content is a ``CanvasContent``."""

    contentChanged = Signal()  # strokes or image changed (throttled while drawing)
    historyChanged = Signal()  # undo/redo availability may have changed
    digitClicked = Signal(int)  # a click (no drag) inside a shown digit box

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Drawing canvas")
        self.setAccessibleDescription(
            "Draw a digit, or a number digit by digit, with the mouse, a pen or a "
            "finger. Strokes drawn over an opened image are added to it; Clear removes "
            "both. A click in a digit's box shows that digit in detail."
        )
        self.setToolTip(
            "Draw a digit anywhere, at any size.\n"
            "Strokes drawn over an opened image are added to it; Clear removes both."
        )
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(220, 220)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self._history = History()
        self._tool = PEN
        self._pen_width = 18.0
        self._gesture = Gesture()
        self._page: tuple[float, float, float, float] | None = None  # see _fit
        self._hover: QPointF | None = None
        self._ink = InkLayer()
        self._boxes = DigitBoxes()
        self._emit_timer = QTimer(self)
        self._emit_timer.setSingleShot(True)
        self._emit_timer.setInterval(EMIT_INTERVAL_MS)
        self._emit_timer.timeout.connect(self.contentChanged)

    # ------------------------------------------------------------ public state

    @property
    def content(self) -> CanvasContent:
        """What the user sees right now, including a stroke still being drawn."""
        return self._gesture.content(self._history.current)

    def drawing(self) -> Drawing:
        return self.content.drawing(float(self.width()), float(self.height()))

    def prediction_source(self) -> Drawing | np.ndarray:
        """What preprocessing should read: the strokes, or the image (with any ink
        drawn over it) as grey levels."""
        content = self.content
        if content.image is None:
            return self.drawing()
        return render.render_ink(content, self.size())

    @property
    def tool(self) -> str:
        return self._tool

    def set_tool(self, tool: str) -> None:
        if tool not in (PEN, ERASER):
            raise ValueError(f"unknown tool {tool!r}")
        self._tool = tool
        self.setCursor(
            Qt.CursorShape.BlankCursor if tool == ERASER else Qt.CursorShape.CrossCursor
        )
        self.update()

    @property
    def pen_width(self) -> float:
        return self._pen_width

    def set_pen_width(self, width: float) -> None:
        self._pen_width = float(max(1.0, width))
        self.update()

    @property
    def can_undo(self) -> bool:
        return self._history.can_undo

    @property
    def can_redo(self) -> bool:
        return self._history.can_redo

    def undo(self) -> None:
        self._cancel_gesture()
        self._history.undo()
        self._content_replaced()

    def redo(self) -> None:
        self._cancel_gesture()
        self._history.redo()
        self._content_replaced()

    def clear(self) -> None:
        """Empty the canvas (undoable)."""
        self._cancel_gesture()
        self._commit(CanvasContent())

    def load_drawing(self, drawing: Drawing) -> None:
        """Show a saved drawing, scaled to fit the canvas with its proportions."""
        self._cancel_gesture()
        self._commit(drawing_on_page(drawing, (self.width(), self.height())))

    def show_image(self, image: np.ndarray) -> bool:
        """Put an image's digit on the canvas (undoable); False if it holds no ink."""
        self._cancel_gesture()
        content = image_on_page(image, (self.width(), self.height()))
        if content is not None:
            self._commit(content)
        return content is not None

    def set_digit_boxes(
        self, marks: Sequence[DigitMark], selected: int | None = None
    ) -> None:
        """Boxes to draw around the digits of a number (none for a lone digit)."""
        self._boxes.marks = tuple(marks)
        self._boxes.selected = selected
        self.update()

    @property
    def digit_marks(self) -> tuple[DigitMark, ...]:
        return self._boxes.marks

    @property
    def boxes_visible(self) -> bool:
        return self._boxes.visible

    def set_boxes_visible(self, visible: bool) -> None:
        self._boxes.visible = bool(visible)
        self.update()

    def picture(self) -> QImage:
        """The canvas as the user sees it, at logical size (for saving as PNG)."""
        return render.render_picture(self.content, self.size())

    def sizeHint(self) -> QSize:
        return QSize(520, 520)

    # ------------------------------------------------------------ edits

    @property
    def _eraser_selected(self) -> bool:
        return self._tool == ERASER

    def _cancel_gesture(self) -> None:
        self._boxes.cancel()
        self._gesture.cancel()

    def _commit(self, content: CanvasContent) -> None:
        self._history.push(content)
        self._content_replaced()

    def _content_replaced(self) -> None:
        self._rerender()
        self._emit_timer.stop()
        self.contentChanged.emit()
        self.historyChanged.emit()

    def _schedule_emit(self) -> None:
        if not self._emit_timer.isActive():
            self._emit_timer.start()

    # ------------------------------------------------------------ painting

    def _paint_incrementally(self, a: tuple, b: tuple) -> None:
        if self._ink.stale(self.devicePixelRatioF()):
            self._rerender()
        self.update(self._ink.paint_segment(a, b))
        self._schedule_emit()

    def _rerender(self) -> None:
        self._ink.render(self.content, self.size(), self.devicePixelRatioF())
        self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Scale the ink with the canvas, so a dock opening beside it hides nothing."""
        old, new = event.oldSize(), event.size()
        if old.width() > 0 and old.height() > 0 and not new.isEmpty():
            self._fit((old.width(), old.height()), (new.width(), new.height()))
        self._rerender()
        super().resizeEvent(event)

    def _fit(self, old: tuple[int, int], new: tuple[int, int]) -> None:
        """Move the ink from the ``old`` view of the page to the ``new`` one.

        See ``core.ink.canvas_page``: no ink is ever out of view, and shrinking then
        growing back returns every stroke to where it was drawn.
        """
        states = [*self._history.states, self.content]
        self._page, (scale, dx, dy) = refit_page(self._page, old, new, states)
        self._history.transform(scale, dx, dy)
        self._gesture.transform(scale, dx, dy)
        if not self.content.is_empty:
            self._schedule_emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._ink.stale(self.devicePixelRatioF()):
            self._rerender()
        painter = QPainter(self)
        self._ink.blit(painter, event.rect())
        self._boxes.paint(painter, self.rect())
        render.paint_overlay(
            painter,
            self.rect(),
            hint=self.content.is_empty and not self._gesture.active,
            eraser_at=self._hover if self._tool == ERASER else None,
            eraser_radius=self._pen_width / 2,
            frame=self.palette().mid().color(),
        )
        painter.end()
