"""Where two compared models differ digit by digit: confusion difference, thumbnails.

The confusion difference is B's matrix minus A's (rows: true digit): on the
diagonal green means B reads more of that digit right, off it red means B makes
that mistake more often. The thumbnails are the test digits the two read
differently, captioned "true: A's answer | B's answer"; clicking one emits
``digitChosen`` (the window puts it on the canvas through the app state).
Thumbnails are added a slice per event-loop turn (``Steps``).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QListView,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
)

from digitpad.gui.threads import Steps
from digitpad.gui.training.misclassified_gallery import THUMB, digit_pixmap

BETTER = QColor(46, 160, 67)
WORSE = QColor(214, 39, 40)
MAX_SHOWN = 200
PER_STEP = 20


class ConfusionDifference(QTableWidget):
    """A 10x10 table of count differences, tinted by whether B does better."""

    def __init__(self, parent=None) -> None:
        super().__init__(10, 10, parent)
        self.setAccessibleName("Confusion difference")
        self.setHorizontalHeaderLabels([str(d) for d in range(10)])
        self.setVerticalHeaderLabels([str(d) for d in range(10)])
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        for header in (self.horizontalHeader(), self.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.Stretch)
            header.setMinimumSectionSize(18)
        self.setMinimumSize(330, 230)
        self.setTextElideMode(Qt.ElideNone)
        self.setWordWrap(False)
        self.setStyleSheet("QTableView::item { padding: 0px; }")
        small = self.font()
        small.setPointSizeF(max(small.pointSizeF() * 0.8, 7.0))
        self.setFont(small)
        self.difference = np.zeros((10, 10), np.int64)

    def set_difference(self, difference: np.ndarray, a: str, b: str) -> None:
        self.difference = np.asarray(difference, np.int64)
        scale = max(int(np.abs(self.difference).max()), 1)
        for true in range(10):
            for said in range(10):
                value = int(self.difference[true, said])
                item = QTableWidgetItem(f"{value:+d}" if value else "")
                item.setTextAlignment(Qt.AlignCenter)
                better = value > 0 if true == said else value < 0
                if value:
                    tint = QColor(BETTER if better else WORSE)
                    tint.setAlphaF(0.15 + 0.7 * abs(value) / scale)
                    item.setBackground(tint)
                if true == said:
                    tip = f"{b} reads {value:+d} more true {true}s right than {a}"
                else:
                    tip = f"{b} reads {value:+d} more true {true}s as {said} than {a}"
                item.setToolTip(tip)
                item.setData(Qt.AccessibleTextRole, tip)
                self.setItem(true, said, item)


class DisagreementGallery(QListWidget):
    """Thumbnails of the test digits two models read differently."""

    digitChosen = Signal(int)  # index into the test set

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Digits the models read differently")
        self.setViewMode(QListView.IconMode)
        self.setIconSize(QSize(THUMB - 8, THUMB - 8))
        self.setGridSize(QSize(THUMB + 22, THUMB + 18))
        self.setResizeMode(QListView.Adjust)
        self.setMovement(QListView.Static)
        self.setUniformItemSizes(True)
        self.setMinimumHeight(THUMB + 30)
        self.itemClicked.connect(self._chosen)
        self.itemActivated.connect(self._chosen)
        self._steps = Steps(self)

    def set_digits(
        self,
        images: np.ndarray,
        labels: np.ndarray,
        index: np.ndarray,
        first: np.ndarray,
        second: np.ndarray,
        letters: tuple[str, str] = ("A", "B"),
    ) -> None:
        """Show test digits ``index`` (the first ``MAX_SHOWN``), a slice per turn."""
        self.clear()
        shown = index[:MAX_SHOWN]
        self._steps.start(self._add(images, labels, shown, first, second, letters))

    def finish(self) -> None:
        """Add every remaining thumbnail now (tests)."""
        self._steps.finish()

    def _add(self, images, labels, index, first, second, letters) -> Iterator[None]:
        x, y = letters
        for start in range(0, len(index), PER_STEP):
            for i in index[start : start + PER_STEP]:
                true, a, b = int(labels[i]), int(first[i]), int(second[i])
                item = QListWidgetItem(
                    QIcon(digit_pixmap(images[i], THUMB - 8)), f"{true}: {a} | {b}"
                )
                item.setData(Qt.UserRole, int(i))
                tip = f"A {true}: {x} read {a}, {y} read {b}. Click: onto the canvas."
                item.setToolTip(tip)
                item.setData(Qt.AccessibleTextRole, f"true {true}, {x} {a}, {y} {b}")
                self.addItem(item)
            yield

    def _chosen(self, item: QListWidgetItem) -> None:
        self.digitChosen.emit(int(item.data(Qt.UserRole)))
