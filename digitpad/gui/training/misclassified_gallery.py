"""A gallery of test digits the new model got wrong; click one to draw it on the canvas.

Thumbnails are the MNIST images themselves (white on black), captioned "true → said".
At most ``MAX_SHOWN`` are built so a weak model with thousands of mistakes stays fast;
a confusion-matrix cell narrows the gallery to one (true, predicted) pair.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from digitpad.gui.widgets.qimage_array import grey_to_qimage

MAX_SHOWN = 200
THUMB = 56


def digit_pixmap(image: np.ndarray, size: int = THUMB) -> QPixmap:
    """A crisp (nearest-neighbour) pixmap of a 28x28 uint8 digit."""
    qimage = grey_to_qimage(np.asarray(image, dtype=np.uint8))
    return QPixmap.fromImage(qimage).scaled(
        size, size, Qt.KeepAspectRatio, Qt.FastTransformation
    )


class MisclassifiedGallery(QWidget):
    """Misclassified thumbnails; ``digitChosen`` carries a 28x28 float image."""

    digitChosen = Signal(object)  # np.ndarray (28, 28) float32 0..1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._images = np.zeros((0, 28, 28), np.uint8)
        self._true = np.zeros(0, np.int64)
        self._predicted = np.zeros(0, np.int64)
        self._filter: tuple[int, int] | None = None

        self.caption = QLabel(wordWrap=True)
        self.show_all = QPushButton("Show all")
        self.show_all.setAccessibleName("Show all misclassified digits")
        self.show_all.clicked.connect(lambda: self.set_filter(None))
        self.list = QListWidget()
        self.list.setAccessibleName("Misclassified test digits")
        self.list.setViewMode(QListView.IconMode)
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setGridSize(QSize(THUMB + 18, THUMB + 26))
        self.list.setResizeMode(QListView.Adjust)
        self.list.setMovement(QListView.Static)
        self.list.setUniformItemSizes(True)
        self.list.setMinimumHeight(THUMB + 40)
        self.list.itemClicked.connect(self._chosen)
        self.list.itemActivated.connect(self._chosen)

        header = QHBoxLayout()
        header.addWidget(self.caption, 1)
        header.addWidget(self.show_all)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.list, 1)
        self._rebuild()

    def set_mistakes(
        self, images: np.ndarray, true: np.ndarray, predicted: np.ndarray
    ) -> None:
        self._images = np.asarray(images, np.uint8)
        self._true = np.asarray(true, np.int64)
        self._predicted = np.asarray(predicted, np.int64)
        self._filter = None
        self._rebuild()

    def set_filter(self, pair: tuple[int, int] | None) -> None:
        """Show only true=pair[0] read as pair[1]; None shows every mistake."""
        self._filter = None if pair is None or pair[0] == pair[1] else pair
        self._rebuild()

    def shown_count(self) -> int:
        return self.list.count()

    def _rebuild(self) -> None:
        self.list.clear()
        index = np.arange(len(self._images))
        if self._filter is not None:
            true, pred = self._filter
            index = index[(self._true == true) & (self._predicted == pred)]
        for i in index[:MAX_SHOWN]:
            true, pred = int(self._true[i]), int(self._predicted[i])
            item = QListWidgetItem(
                QIcon(digit_pixmap(self._images[i])), f"{true} → {pred}"
            )
            item.setData(Qt.UserRole, int(i))
            item.setToolTip(
                f"A {true} the model read as {pred}. Click to put it on the canvas."
            )
            item.setData(Qt.AccessibleTextRole, f"true {true}, predicted {pred}")
            self.list.addItem(item)
        self.show_all.setVisible(self._filter is not None)
        self.caption.setText(self._caption(len(index)))

    def _caption(self, matching: int) -> str:
        total = len(self._images)
        if total == 0:
            return "No misclassified test digits to show yet."
        if self._filter is not None:
            what = f"true {self._filter[0]}s read as {self._filter[1]}"
        else:
            what = "misclassified test digits"
        shown = f" (first {MAX_SHOWN} shown)" if matching > MAX_SHOWN else ""
        return f"{matching:,} {what}{shown}. Click one to put it on the canvas."

    def _chosen(self, item: QListWidgetItem) -> None:
        image = self._images[item.data(Qt.UserRole)].astype(np.float32) / 255.0
        self.digitChosen.emit(image)
