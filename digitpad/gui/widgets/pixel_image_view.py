"""A small image (a 28x28 input, a feature map, a stage) shown large in a square box.

Tiny images must stay crisp when enlarged, so they are drawn with nearest-neighbour
scaling, square pixels and the aspect ratio kept; an image shrunk to fit (a whole
canvas) is smoothed instead. The prediction panel's preview and every view in the
activation viewer use this one widget.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from digitpad.gui.widgets.qimage_array import grey_to_qimage

DARK_FRAME = QColor(90, 90, 90)
GRID = QColor(255, 255, 255, 28)


class PixelImageView(QWidget):
    """An image or grey array fitted into a black square, with a thin frame.

    ``resizable`` lets a layout grow the square from ``minimum`` (else ``side``);
    otherwise it is fixed at ``side``. ``smooth`` smooths enlargements too (for
    pictures, not pixels); ``grid`` outlines each pixel once they are 4 px or more;
    ``frame`` is the border colour, None for the palette's. A left click on the
    image reports the pixel under it (``pixelClicked(row, column)``).
    """

    pixelClicked = Signal(int, int)

    def __init__(
        self,
        side: int = 140,
        *,
        resizable: bool = False,
        minimum: int | None = None,
        smooth: bool = False,
        grid: bool = False,
        frame: QColor | None = DARK_FRAME,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._image = QImage()
        self._array: np.ndarray | None = None
        self._placeholder = ""
        self._side = side
        self._resizable = resizable
        self._smooth = smooth
        self._grid = grid
        self._frame = frame
        self.setMinimumSize(minimum or side, minimum or side)
        policy = QSizePolicy.Policy.Preferred if resizable else QSizePolicy.Policy.Fixed
        self.setSizePolicy(policy, policy)

    @property
    def image(self) -> QImage:
        return self._image

    @property
    def array(self) -> np.ndarray | None:
        """The grey array last given to ``set_array`` (None after ``set_image``)."""
        return self._array

    def set_image(self, image: QImage | None, placeholder: str = "") -> None:
        """Show ``image``; with None, a black box with ``placeholder`` in it."""
        self._image = image if image is not None else QImage()
        self._array = None
        self._placeholder = placeholder
        self.update()

    def set_array(self, array: np.ndarray | None, placeholder: str = "") -> None:
        """Show a grey image (float in [0, 1] or uint8); None or empty clears it."""
        grey = None if array is None else np.asarray(array, np.float32)
        if grey is None or grey.size == 0:
            self.set_image(None, placeholder)
        else:
            self.set_image(grey_to_qimage(grey))
        self._array = grey

    def sizeHint(self) -> QSize:
        return QSize(self._side, self._side)

    def hasHeightForWidth(self) -> bool:
        return self._resizable

    def heightForWidth(self, width: int) -> int:
        return width

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        side = min(self.width(), self.height())
        # whole pixels: a frame or image at a half pixel smears over its neighbour
        frame = QRectF(
            (self.width() - side) // 2, (self.height() - side) // 2, side, side
        )
        painter.fillRect(frame, QColor(0, 0, 0))
        if self._image.isNull():
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(
                frame,
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self._placeholder,
            )
        else:  # inside the 1 px frame, never under or over it
            self._draw_image(painter, frame.adjusted(1, 1, -1, -1))
        colour = self._frame or self.palette().mid().color()
        painter.setPen(QPen(colour, 1))
        painter.drawRect(frame.adjusted(0.5, 0.5, -0.5, -0.5))
        painter.end()

    def image_rect(self) -> QRectF:
        """Where the image is drawn, in widget coordinates (empty without one)."""
        if self._image.isNull():
            return QRectF()
        w, h = self._image.width(), self._image.height()
        side = min(self.width(), self.height())
        # the frame's whole pixels, the image inside its 1 px border (see paintEvent)
        frame = QRectF(
            (self.width() - side) // 2, (self.height() - side) // 2, side, side
        ).adjusted(1, 1, -1, -1)
        scale = frame.width() / max(h, w)
        left = math.ceil(frame.x() + (frame.width() - w * scale) / 2)
        top = math.ceil(frame.y() + (frame.height() - h * scale) / 2)
        right = math.floor(frame.x() + (frame.width() + w * scale) / 2)
        bottom = math.floor(frame.y() + (frame.height() + h * scale) / 2)
        return QRectF(left, top, max(1, right - left), max(1, bottom - top))

    def pixel_center(self, row: int, column: int) -> QPointF:
        """The widget point at the centre of image pixel (row, column)."""
        rect = self.image_rect()
        scale = rect.width() / self._image.width()
        return QPointF(
            rect.x() + (column + 0.5) * scale, rect.y() + (row + 0.5) * scale
        )

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        rect = self.image_rect()
        point = event.position()
        if event.button() != Qt.MouseButton.LeftButton or not rect.contains(point):
            return
        scale = rect.width() / self._image.width()
        row = min(self._image.height() - 1, int((point.y() - rect.y()) / scale))
        column = min(self._image.width() - 1, int((point.x() - rect.x()) / scale))
        self.pixelClicked.emit(row, column)

    def _draw_image(self, painter: QPainter, frame: QRectF) -> None:
        w, h = self._image.width(), self._image.height()
        scale = frame.width() / max(h, w)
        target = self.image_rect()
        # enlarge with square pixels; shrink (big canvas crops) smoothly
        painter.setRenderHint(
            QPainter.RenderHint.SmoothPixmapTransform, self._smooth or scale < 1
        )
        painter.drawImage(target, self._image)
        if not self._grid or scale < 4:
            return
        painter.setPen(QPen(GRID, 1))
        for i in range(1, w):
            x = target.x() + i * target.width() / w
            painter.drawLine(QPointF(x, target.top()), QPointF(x, target.bottom()))
        for i in range(1, h):
            y = target.y() + i * target.height() / h
            painter.drawLine(QPointF(target.left(), y), QPointF(target.right(), y))
