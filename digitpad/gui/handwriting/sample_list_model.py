"""The thumbnails grid's model: icons made only for the rows on screen.

A ``QListWidget`` would turn all 1,000 thumbnails into pixmaps and items in one slot
(tens of ms, every time a sample is added); a ``QListView`` with uniform item sizes
asks only for the visible rows, and each pixmap is made once, when first shown.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPixmap

from digitpad.core.handwriting.samples import Sample
from digitpad.core.handwriting.teach_plan import a_digit

SAMPLE_ID = Qt.ItemDataRole.UserRole
Index = QModelIndex | QPersistentModelIndex


class SampleListModel(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self._samples: list[Sample] = []
        self._thumbnails: dict[str, Any] = {}  # id -> QImage
        self._misread: dict[str, int] = {}
        self._pixmaps: dict[str, QPixmap] = {}

    def set_samples(
        self, samples: list[Sample], thumbnails: dict, misread: dict[str, int]
    ) -> None:
        self.beginResetModel()
        self._samples = samples
        if thumbnails is not self._thumbnails:
            self._pixmaps = {}
        self._thumbnails, self._misread = thumbnails, misread
        self.endResetModel()

    def sample(self, row: int) -> Sample:
        return self._samples[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._samples)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        sample = self._samples[index.row()]
        if role == Qt.ItemDataRole.DecorationRole:
            pixmap = self._pixmaps.get(sample.id)
            if pixmap is None:
                pixmap = QPixmap.fromImage(self._thumbnails[sample.id])
                self._pixmaps[sample.id] = pixmap
            return pixmap
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            tip = a_digit(sample.label).capitalize()
            read_as = self._misread.get(sample.id)
            if read_as is not None:
                tip += f", read as {read_as} by the current model"
            return tip
        if role == SAMPLE_ID:
            return sample.id
        return None
