"""Each layer's output shape and parameters ("Layer shapes"), like ``model.summary()``.

One row per layer Keras would build, DigitPad's added Flatten and softmax in grey, a
block's inner layers under it, a layer that cannot be built in red with its sentence
as tooltip. Rows are reused and only texts that changed are set, so an edit costs a
few label updates, not a rebuilt tree.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from digitpad.core.networks.shapes import Analysis, LayerRow

PROBLEM_COLOUR = QColor("#c62828")
COLUMNS = ("Layer", "Output shape", "Params")


def shape_text(shape: tuple[int, ...]) -> str:
    return "x".join(str(d) for d in shape)


class ShapesView(QTreeWidget):
    """The analysis as a table; ``show_analysis`` after each edit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Layer shapes")
        self.setColumnCount(len(COLUMNS))
        self.setHeaderLabels(COLUMNS)
        self.setRootIsDecorated(True)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        header = self.header()
        header.setStretchLastSection(False)
        # fixed widths: sizing columns to their contents measures every row on
        # every edit
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        for column, widest in ((1, "Output shape "), (2, "5,000,000 ")):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, metrics.horizontalAdvance(widest) + 16)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M" * 20))
        self.headerItem().setTextAlignment(2, Qt.AlignmentFlag.AlignRight)
        self._muted = QBrush(self.palette().color(QPalette.ColorRole.PlaceholderText))
        self._normal = QBrush(self.palette().color(QPalette.ColorRole.Text))
        self._problem = QBrush(PROBLEM_COLOUR)

    def show_analysis(self, analysis: Analysis, problems: dict[str, str]) -> None:
        """``problems``: each broken layer's sentence, by layer name."""
        rows = analysis.rows
        while self.topLevelItemCount() > len(rows):
            self.takeTopLevelItem(self.topLevelItemCount() - 1)
        while self.topLevelItemCount() < len(rows):
            self.addTopLevelItem(QTreeWidgetItem())
        for index, row in enumerate(rows):
            item = self.topLevelItem(index)
            self._fill(item, row, problems.get(row.name))
            self._fill_inner(item, row.inner)

    def row_texts(self) -> list[tuple[str, str, str]]:
        """What the table shows, top-level rows only (for tests and the benchmark)."""
        return [
            tuple(self.topLevelItem(i).text(c) for c in range(3))
            for i in range(self.topLevelItemCount())
        ]

    def _fill_inner(self, item: QTreeWidgetItem, inner: tuple[LayerRow, ...]) -> None:
        while item.childCount() > len(inner):
            item.takeChild(item.childCount() - 1)
        while item.childCount() < len(inner):
            item.addChild(QTreeWidgetItem())
        for index, row in enumerate(inner):
            self._fill(item.child(index), row, None)

    def _fill(self, item: QTreeWidgetItem, row: LayerRow, problem: str | None) -> None:
        name = row.name
        if problem:
            shape, params = "cannot be built", "—"
        else:
            shape, params = shape_text(row.output_shape), f"{row.params:,}"
        for column, text in enumerate((name, shape, params)):
            if item.text(column) != text:
                item.setText(column, text)
        item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight)
        brush = self._problem if problem else self._muted if row.added else self._normal
        if item.foreground(0) != brush:
            for column in range(3):
                item.setForeground(column, brush)
            font = item.font(0)
            font.setItalic(row.added)  # DigitPad's own: the added Flatten, softmax
            item.setFont(0, font)
        tip = problem or f"{row.name}: {row.type}" + (
            ", added by DigitPad" if row.added else ""
        )
        if item.toolTip(0) != tip:
            for column in range(3):
                item.setToolTip(column, tip)
