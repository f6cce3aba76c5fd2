"""What differs between the compared models, and what they score: one column each.

Rows are the network (parameters, multiply-adds), the recipe (epochs, batch size,
learning rate and schedule, augmentation, training images, time) and the scores
(MNIST test, per digit, My handwriting). A row whose values differ is bold; a
value a model's files do not record reads "n/a", and the last row says what each
model lacks.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
)

from digitpad.core.handwriting.handwriting_score import HandwritingScore
from digitpad.core.models.model_facts import ModelFacts
from digitpad.core.training.comparison import ScoredModel
from digitpad.gui.training.comparison_curves import LETTERS, MODEL_COLOURS

ROWS = (
    ("network", "Network"),
    ("params", "Parameters"),
    ("macs", "Multiply-adds"),
    ("epochs", "Epochs"),
    ("batch_size", "Batch size"),
    ("learning_rate", "Learning rate"),
    ("schedule", "Schedule"),
    ("augmentation", "Augmentation"),
    ("train_images", "Training images"),
    ("seconds", "Training time"),
    ("test", "MNIST test"),
    *((f"digit{d}", f"  digit {d}") for d in range(10)),
    ("handwriting", "My handwriting"),
    ("lacks", "Lacks"),
)
_ROW = {key: row for row, (key, _) in enumerate(ROWS)}


def _count(value: int | None) -> str:
    return "n/a" if value is None else f"{value:,}"


def _percent(value: float | None) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value:.2%}"


def fact_cells(facts: ModelFacts) -> dict[str, str]:
    """The table's text for what a model's files say."""
    s: dict[str, Any] = facts.settings
    images = s.get("train_images")
    if images is None and "images_note" in s:
        images = s["images_note"]
    elif images is None and "images_asked" in s:
        asked = s["images_asked"]
        images = f"{asked:,} asked" if isinstance(asked, int) else f"{asked} (asked)"
    elif images is not None:
        images = f"{images:,}"
    seconds = s.get("seconds")
    cells = {
        "network": facts.network,
        "params": _count(facts.params),
        "macs": _count(facts.multiply_adds),
        "epochs": str(s.get("epochs", "n/a")),
        "batch_size": str(s.get("batch_size", "n/a")),
        "learning_rate": f"{s['learning_rate']:g}" if "learning_rate" in s else "n/a",
        "schedule": s.get("schedule", "n/a"),
        "augmentation": s.get("augmentation", "n/a"),
        "train_images": images or "n/a",
        "seconds": "n/a" if seconds is None else f"{seconds:.0f} s",
        "lacks": "; ".join(facts.lacks) or "nothing",
    }
    if "started_from" in s:
        cells["epochs"] += f" (after {s['started_from']})"
    if "kind" in s:
        cells["network"] += f", {s['kind']}"
    return cells


class ComparisonTable(QTableWidget):
    """One column per model, one row per fact or score."""

    def __init__(self, models: int, parent=None) -> None:
        super().__init__(len(ROWS), models, parent)
        self.setAccessibleName("What differs")
        self.setVerticalHeaderLabels([label for _, label in ROWS])
        self.setHorizontalHeaderLabels(list(LETTERS[:models]))
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setWordWrap(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.verticalHeader().setDefaultSectionSize(20)
        self._cells: list[dict[str, str]] = [{} for _ in range(models)]

    def set_facts(self, index: int, facts: ModelFacts) -> None:
        header = QTableWidgetItem(LETTERS[index])
        header.setToolTip(f"{facts.name}\n{facts.path}")
        header.setForeground(QColor(*MODEL_COLOURS[index]))
        self.setHorizontalHeaderItem(index, header)
        self._put(index, fact_cells(facts))

    def set_scores(
        self, index: int, scored: ScoredModel, handwriting: HandwritingScore
    ) -> None:
        cells = {"test": _percent(scored.accuracy)}
        for digit, value in enumerate(scored.evaluation.per_class_accuracy):
            cells[f"digit{digit}"] = _percent(value)
        cells["handwriting"] = handwriting.text()
        self._put(index, cells)

    def text(self, key: str, index: int) -> str:
        return self._cells[index].get(key, "")

    def _put(self, index: int, cells: dict[str, str]) -> None:
        self._cells[index].update(cells)
        for key, value in cells.items():
            item = QTableWidgetItem(value)
            item.setToolTip(value)
            self.setItem(_ROW[key], index, item)
            self._mark_difference(key)

    def _mark_difference(self, key: str) -> None:
        """Bold a row once its values are known for every model and differ."""
        values = [cells.get(key) for cells in self._cells]
        differ = None not in values and len(set(values)) > 1
        row = _ROW[key]
        for column in range(self.columnCount()):
            item = self.item(row, column)
            if item is not None:
                font = QFont(item.font())
                font.setBold(differ)
                item.setFont(font)
        header = self.verticalHeaderItem(row)
        if header is not None:
            font = QFont(header.font())
            font.setBold(differ)
            header.setFont(font)
