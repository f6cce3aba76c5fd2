"""Exactly what the network sees: the 28x28 input, enlarged so every pixel shows.

Underneath, the preprocessing stages (crop to the ink, scale into a 20 px box, centre
by mass) explain why a small digit drawn in a corner still reads correctly.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from digitpad.gui.state import AppState, LiveResult
from digitpad.gui.widgets.qimage_array import grey_to_qimage

STAGES = (("cropped", "Cropped"), ("scaled", "20 px box"), ("centred", "Centred"))


class PixelImage(QWidget):
    """A small grey image scaled up without smoothing, square pixels, optional grid."""

    def __init__(
        self,
        side: int,
        grid: bool,
        minimum: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._array: np.ndarray | None = None
        self._grid = grid
        self._side = side
        self.setMinimumSize(minimum or side, minimum or side)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def array(self) -> np.ndarray | None:
        return self._array

    def set_array(self, array: np.ndarray | None) -> None:
        self._array = None if array is None else np.asarray(array, np.float32)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(self._side, self._side)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return width

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        side = min(self.width(), self.height())
        frame = QRectF(
            (self.width() - side) / 2, (self.height() - side) / 2, side, side
        )
        painter.fillRect(frame, QColor("black"))
        array = self._array
        if array is not None and array.size:
            h, w = array.shape
            scale = side / max(h, w)
            target = QRectF(
                frame.x() + (side - w * scale) / 2,
                frame.y() + (side - h * scale) / 2,
                w * scale,
                h * scale,
            )
            # enlarge with square pixels; shrink (big canvas crops) smoothly
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, scale < 1)
            painter.drawImage(target, grey_to_qimage(array))
            if self._grid and scale >= 4:
                painter.setPen(QPen(QColor(255, 255, 255, 28), 1))
                for i in range(1, w):
                    x = target.x() + i * scale
                    painter.drawLine(
                        QPointF(x, target.top()), QPointF(x, target.bottom())
                    )
                for i in range(1, h):
                    y = target.y() + i * scale
                    painter.drawLine(
                        QPointF(target.left(), y), QPointF(target.right(), y)
                    )
        painter.setPen(QPen(self.palette().mid().color(), 1))
        painter.drawRect(frame.adjusted(0.5, 0.5, -0.5, -0.5))
        painter.end()


class InputPreview(QWidget):
    """The network input (28x28) plus the stages that produced it."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pixels = PixelImage(224, grid=True, minimum=112)
        self.pixels.setAccessibleName("Network input preview")
        self.pixels.setToolTip(
            "The 28×28 image the network reads: your ink cropped, scaled into a 20 px "
            "box and centred by its centre of mass, as in MNIST"
        )
        caption = QLabel("What the network sees (28 × 28)")
        caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        stages = QGridLayout()
        stages.setHorizontalSpacing(8)
        stages.setVerticalSpacing(2)
        self.stage_views: dict[str, PixelImage] = {}
        for column, (key, title) in enumerate(STAGES):
            view = PixelImage(56, grid=False)
            view.setToolTip(f"Preprocessing stage: {title.lower()}")
            self.stage_views[key] = view
            label = QLabel(title)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setStyleSheet("color: #6b7280;")
            stages.addWidget(view, 0, column)
            stages.addWidget(label, 1, column)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(6)
        layout.addWidget(caption)
        layout.addWidget(self.pixels, 1)
        layout.addLayout(stages)
        state.resultChanged.connect(self.show_result)

    def show_result(self, result: LiveResult) -> None:
        stages = result.preprocessed.stages
        self.pixels.set_array(result.preprocessed.image)
        for key, view in self.stage_views.items():
            view.set_array(None if result.preprocessed.is_empty else stages.get(key))
