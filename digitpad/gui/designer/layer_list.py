"""The designer's list of layers ("Network layers"): one editable row per spec layer.

The spec is the truth and the list only shows it: a drop, Alt+Up/Down, Delete or
Ctrl+D asks for an edit (a signal) and the window answers with a new spec, which
``show_layers`` brings in by changing only the rows that differ (a diff of the layer
lists), so an edit of one argument touches one row and a move two.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QDropEvent, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from digitpad.core.networks.spec import LayerSpec
from digitpad.gui.designer.layer_row import LayerRow
from digitpad.gui.threads import Steps

# New rows are built one per event-loop turn, after the edit's own turn: a row's
# editors take about 6 ms (CPU) to make, so the shapes, diagram and code show an edit
# at once and twenty new rows (a preset chosen) never freeze the window.
BUILD_AT_ONCE = 0

_ALT = Qt.KeyboardModifier.AltModifier
_CTRL = Qt.KeyboardModifier.ControlModifier


def _key(layer: LayerSpec) -> tuple:
    return (layer.type, layer.name, tuple(sorted(layer.args.items())))


class _PendingRow:
    """A row whose editors are still to be built: what it will show, meanwhile."""

    def __init__(self, layer: LayerSpec, name: str) -> None:
        self.layer = layer
        self.layer_name = name
        self.message: str | None = None

    def update_layer(self, layer: LayerSpec, name: str) -> None:
        self.layer, self.layer_name = layer, name

    def set_problem(self, message: str | None) -> bool:
        self.message = message
        return False


class LayerList(QListWidget):
    """Rows of argument editors; every change is asked for, never made here."""

    argumentEdited = Signal(int, str, object)  # layer index, key, value
    moveRequested = Signal(int, int)  # from, to
    removeRequested = Signal(int)
    duplicateRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Network layers")
        self.setToolTip(
            "Drag a layer, or press Alt+Up / Alt+Down, to move it; Delete removes it, "
            "Ctrl+D duplicates it"
        )
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setSpacing(1)
        self._rows: list[LayerRow | _PendingRow] = []
        self._building = Steps(self)
        self._lazy = False
        app = QApplication.instance()
        if app is not None:
            app.focusChanged.connect(self._focus_changed)

    # ------------------------------------------------------------------ showing

    def rows(self) -> list[LayerRow]:
        """The rows (all built: call ``finish_building`` first if ``building``)."""
        return list(self._rows)  # type: ignore[arg-type]

    @property
    def building(self) -> bool:
        return any(isinstance(row, _PendingRow) for row in self._rows)

    def finish_building(self) -> None:
        self._building.finish()

    def show_layers(self, layers: tuple[LayerSpec, ...], names: list[str]) -> None:
        """Make the rows show ``layers``, rebuilding only the rows that changed."""
        old = [_key(row.layer) for row in self._rows]
        new = [_key(layer) for layer in layers]
        opcodes = SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
        new_rows = sum(j2 - j1 for tag, _, _, j1, j2 in opcodes if tag != "equal")
        self._lazy = new_rows > BUILD_AT_ONCE
        for tag, i1, i2, j1, j2 in reversed(opcodes):
            if tag == "equal":
                continue
            if tag == "replace" and i2 - i1 == j2 - j1:
                for offset in range(i2 - i1):
                    self._replace(i1 + offset, layers[j1 + offset], names[j1 + offset])
                continue
            for index in reversed(range(i1, i2)):
                self._take(index)
            for offset, j in enumerate(range(j1, j2)):
                self._insert(i1 + offset, layers[j], names[j])
        for index, (layer, name) in enumerate(zip(layers, names, strict=True)):
            row = self._rows[index]
            if row.layer_name != name or row.layer != layer:
                row.update_layer(layer, name)
        if self.building and not self._building.running:
            self._building.start(self._build_pending())

    def show_problems(self, problems: dict[int, str]) -> None:
        """The sentence of each layer that cannot be built, in red under it."""
        for index, row in enumerate(self._rows):
            if row.set_problem(problems.get(index)):
                self._fit(self.item(index), row)

    def _replace(self, index: int, layer: LayerSpec, name: str) -> None:
        row = self._rows[index]
        if row.layer.type == layer.type or isinstance(row, _PendingRow):
            row.update_layer(layer, name)
        else:
            self._take(index)
            self._insert(index, layer, name)

    def _insert(self, index: int, layer: LayerSpec, name: str) -> None:
        item = QListWidgetItem()
        item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{name} ({layer.type})")
        self.insertItem(index, item)
        if self._lazy:
            item.setText(f"{name}  {layer.type}")
            item.setSizeHint(QSize(200, 2 * self.fontMetrics().height() + 8))
            self._rows.insert(index, _PendingRow(layer, name))
        else:
            self._rows.insert(index, self._build(item, layer, name))

    def _build(self, item: QListWidgetItem, layer: LayerSpec, name: str) -> LayerRow:
        row = LayerRow(layer, name)
        item.setText("")
        self.setItemWidget(item, row)
        row.edited.connect(
            lambda key, value, item=item: self.argumentEdited.emit(
                self.row(item), key, value
            )
        )
        self._fit(item, row)
        return row

    def _build_pending(self):
        """One pending row per step, top first."""
        while True:
            index = next(
                (i for i, r in enumerate(self._rows) if isinstance(r, _PendingRow)),
                None,
            )
            if index is None:
                return
            pending = self._rows[index]
            row = self._build(self.item(index), pending.layer, pending.layer_name)
            self._rows[index] = row
            if row.set_problem(pending.message):
                self._fit(self.item(index), row)
            yield

    def _take(self, index: int) -> None:
        row = self._rows.pop(index)
        self.takeItem(index)
        if isinstance(row, LayerRow):
            row.deleteLater()

    def _fit(self, item: QListWidgetItem, row: LayerRow) -> None:
        width = max(self.viewport().width() - 4, row.minimumSizeHint().width())
        layout = row.layout()
        height = (
            layout.totalHeightForWidth(width)
            if layout.hasHeightForWidth()
            else row.sizeHint().height()
        )
        item.setSizeHint(QSize(row.minimumSizeHint().width(), height))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            for index, row in enumerate(self._rows):
                if isinstance(row, LayerRow) and not row.problem.isHidden():
                    self._fit(self.item(index), row)

    # ------------------------------------------------------------------ asking

    def keyPressEvent(self, event: QKeyEvent) -> None:
        row = self.currentRow()
        key, mods = event.key(), event.modifiers()
        if row >= 0 and mods & _ALT and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            target = row - 1 if key == Qt.Key.Key_Up else row + 1
            if 0 <= target < self.count():
                self.moveRequested.emit(row, target)
            event.accept()
            return
        if row >= 0 and key == Qt.Key.Key_Delete:
            self.removeRequested.emit(row)
            event.accept()
            return
        if row >= 0 and mods & _CTRL and key == Qt.Key.Key_D:
            self.duplicateRequested.emit(row)
            event.accept()
            return
        super().keyPressEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        """A dragged row asks to move; the list itself never moves items."""
        source = self.currentRow()
        if event.source() is not self or source < 0:
            event.ignore()
            return
        target = self._drop_row(event)
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()
        if target > source:
            target -= 1  # the row leaves its place before it is put down
        if target != source:
            self.moveRequested.emit(source, target)

    def _drop_row(self, event: QDropEvent) -> int:
        index = self.indexAt(event.position().toPoint())
        if not index.isValid():
            return self.count()
        position = self.dropIndicatorPosition()
        below = QAbstractItemView.DropIndicatorPosition.BelowItem
        return index.row() + 1 if position == below else index.row()

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Editing a row's argument makes it the current row (where *Add* inserts)."""
        for index, row in enumerate(self._rows):
            if new is not None and isinstance(row, LayerRow) and row.isAncestorOf(new):
                if self.currentRow() != index:
                    self.setCurrentRow(index)
                return
