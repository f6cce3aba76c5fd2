"""The confusion matrix as a 10x10 table: rows are true digits, columns predictions.

A table rather than a plot keeps every count readable, selectable and reachable by
keyboard and screen reader. Correct cells are tinted green by per-class accuracy,
mistakes red by how common they are; clicking a cell asks for those test digits.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
)

CORRECT = QColor(46, 160, 67)
WRONG = QColor(214, 39, 40)


class ConfusionView(QTableWidget):
    """Counts of (true, predicted) pairs on the test set."""

    cellChosen = Signal(int, int)  # true digit, predicted digit

    def __init__(self, parent=None) -> None:
        super().__init__(10, 10, parent)
        self.setAccessibleName("Confusion matrix")
        self.setToolTip(
            "Rows: true digit · columns: predicted digit. Click a cell to "
            "see those test digits."
        )
        self.setHorizontalHeaderLabels([str(d) for d in range(10)])
        self.setVerticalHeaderLabels([str(d) for d in range(10)])
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        for header in (self.horizontalHeader(), self.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.Stretch)
            header.setMinimumSectionSize(20)
        self.horizontalHeader().setToolTip("Predicted digit")
        self.verticalHeader().setToolTip("True digit")
        # no scroll bars: the widget must never be shorter than ten rows + header
        self.verticalHeader().setMinimumSectionSize(18)
        self.setMinimumWidth(240)
        header = self.horizontalHeader().sizeHint().height()
        self.setMinimumHeight(header + 10 * 18 + 2 * self.frameWidth())
        # Counts up to 4 digits must fit narrow cells: no "..." eliding, tight padding.
        self.setTextElideMode(Qt.ElideNone)
        self.setWordWrap(False)
        self.setStyleSheet("QTableView::item { padding: 0px; }")
        small = self.font()
        small.setPointSizeF(max(small.pointSizeF() * 0.85, 7.0))
        self.setFont(small)
        self._confusion = np.zeros((10, 10), np.int64)
        self.cellClicked.connect(self.cellChosen.emit)

    @property
    def confusion(self) -> np.ndarray:
        return self._confusion.copy()

    def set_confusion(self, confusion: np.ndarray) -> None:
        """Show a (10, 10) count matrix, rows true labels."""
        self._confusion = np.asarray(confusion, np.int64)
        totals = self._confusion.sum(axis=1)
        off = self._confusion.copy()
        np.fill_diagonal(off, 0)
        worst = max(int(off.max()), 1)
        for true in range(10):
            for pred in range(10):
                count = int(self._confusion[true, pred])
                item = QTableWidgetItem(str(count) if count else "")
                item.setTextAlignment(Qt.AlignCenter)
                if true == pred:
                    share = count / totals[true] if totals[true] else 0.0
                    colour, strength = CORRECT, share
                    tip = f"{count} of {totals[true]} true {true}s right ({share:.1%})"
                else:
                    colour, strength = WRONG, count / worst
                    tip = f"{count} true {true}s read as {pred}"
                if count:
                    tint = QColor(colour)
                    tint.setAlphaF(0.15 + 0.75 * strength)
                    item.setBackground(tint)
                item.setToolTip(tip)
                item.setData(Qt.AccessibleTextRole, tip)
                self.setItem(true, pred, item)
