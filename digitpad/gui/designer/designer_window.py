"""The network designer ("Network designer"): build a CNN layer by layer, see it live.

A non-modal window: the palette and the layer list on the left, each layer's output
shape and parameters beside them, the volume diagram, the totals and the Keras code
below. The spec on top of ``SpecHistory`` is the one truth; every edit is a pure
function of it (``networks.editing``) and ``_refresh`` brings the views in line,
changing only what changed (``analyze`` is plain Python, well under a millisecond for
any network a student designs), so a view is up to date within the frame of the edit.
Saving, files and training are ``DesignFiles``' job.
"""

from __future__ import annotations

from collections.abc import Hashable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from digitpad.core.networks import editing
from digitpad.core.networks.designs import unique_name
from digitpad.core.networks.diagram import diagram
from digitpad.core.networks.presets import DEFAULT_PRESET, PRESETS, preset_spec
from digitpad.core.networks.shapes import analyze
from digitpad.core.networks.spec import NetworkSpec, layer_names, name_problem
from digitpad.gui.designer import panes
from digitpad.gui.designer.design_files import DesignFiles
from digitpad.gui.designer.keras_code_view import code_text
from digitpad.gui.designer.spec_history import SpecHistory
from digitpad.gui.state import AppState

PROBLEM_STYLE = "color: #c62828;"


class DesignerWindow(QWidget):
    """The designer; ``open_spec`` shows a network (a preset, a design, a model's)."""

    trainRequested = Signal(str)  # the design (or preset) chosen for training

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.state = state
        self.setWindowTitle("Network designer")
        self.setAccessibleName("Network designer")
        self.setObjectName("NetworkDesigner")
        self.history = SpecHistory(preset_spec(DEFAULT_PRESET))
        self.files = DesignFiles(self)
        self.bar = panes.TopBar(self)
        self.palette_pane = panes.Palette()
        self.layers = panes.LayerList()
        self.layer_buttons = panes.LayerButtons()
        self.shapes = panes.ShapesView()
        self.diagram = panes.VolumeDiagram()
        self.totals = QLabel(wordWrap=True)
        self.totals.setAccessibleName("Network totals")
        self.problems = QLabel(wordWrap=True)
        self.problems.setAccessibleName("Network problems")
        self.problems.setStyleSheet(PROBLEM_STYLE)
        # fixed heights: a label whose text changes on every edit would otherwise
        # lay the whole window out again each time
        lines = self.fontMetrics().lineSpacing()
        self.totals.setFixedHeight(2 * lines + 4)
        self.problems.setFixedHeight(3 * lines + 4)
        self.problems.setAlignment(
            Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft
        )
        self.code = panes.KerasCodeView()
        self._build_layout()
        self._build_actions()
        self._wire()
        self.files.reload_start_choices()
        self._refresh()
        self.resize(1180, 800)

    # ------------------------------------------------------------------ building

    def _build_layout(self) -> None:
        left = panes.column(self.palette_pane)
        middle = panes.column(self.layers, self.layer_buttons)
        top = QSplitter(Qt.Orientation.Horizontal)
        for widget, stretch in ((left, 0), (middle, 3), (self.shapes, 2)):
            top.addWidget(widget)
            top.setStretchFactor(top.count() - 1, stretch)
        top.setSizes([160, 750, 270])
        summary = panes.column(self.diagram, self.totals, self.problems)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(summary)
        bottom.addWidget(self.code)
        bottom.setSizes([560, 600])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([470, 270])
        for splitter in (top, bottom, split):
            splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addWidget(split, 1)

    def _build_actions(self) -> None:
        self.undo_action = QAction("&Undo", self)
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.undo_action.triggered.connect(self.undo)
        self.redo_action = QAction("&Redo", self)
        self.redo_action.setShortcuts(
            [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")]
        )
        self.redo_action.triggered.connect(self.redo)
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)
        self.bar.undo.setDefaultAction(self.undo_action)
        self.bar.redo.setDefaultAction(self.redo_action)
        self.bar.undo.setAccessibleName("Undo")
        self.bar.redo.setAccessibleName("Redo")

    def _wire(self) -> None:
        self.palette_pane.addRequested.connect(self.add_layer)
        self.layers.argumentEdited.connect(self.set_argument)
        self.layers.moveRequested.connect(self.move_layer)
        self.layers.removeRequested.connect(self.remove_layer)
        self.layers.duplicateRequested.connect(self.duplicate_layer)
        buttons = self.layer_buttons
        buttons.remove.clicked.connect(lambda: self._on_current(self.remove_layer))
        buttons.duplicate.clicked.connect(
            lambda: self._on_current(self.duplicate_layer)
        )
        buttons.up.clicked.connect(lambda: self._on_current(self._move_by, -1))
        buttons.down.clicked.connect(lambda: self._on_current(self._move_by, 1))
        self.bar.name.editingFinished.connect(self._name_edited)
        self.bar.start.activated.connect(self.files.start_from_choice)
        self.bar.save.clicked.connect(self.files.save)
        self.bar.export.clicked.connect(self.files.export)
        self.bar.import_.clicked.connect(self.files.import_spec)
        self.bar.open_model.clicked.connect(self.files.open_model_network)
        self.bar.train.clicked.connect(self.files.train)
        self.state.designsChanged.connect(self.files.designs_changed)

    # ------------------------------------------------------------------ edits

    @property
    def spec(self) -> NetworkSpec:
        return self.history.current

    def edit(
        self, spec: NetworkSpec, select: int | None = None, merge: Hashable = None
    ) -> None:
        """Make ``spec`` the design (one undo step); editing a preset makes a design."""
        current = self.spec
        if current.name in PRESETS and spec.name == current.name:
            spec = editing.rename_network(
                spec, unique_name(f"my {current.name}", self.state.designs_dir)
            )
        if self.history.push(spec, merge):
            self._refresh(select)

    def open_spec(self, spec: NetworkSpec, saved: bool = False) -> None:
        """Show ``spec`` as the design (undoable); ``saved``: it is a saved design."""
        self.files.mark_saved(spec if saved else None)
        self.history.end_merge()
        if self.history.push(spec):
            self._refresh(0)
        else:
            self.refresh_title()

    def add_layer(self, layer_type: str) -> None:
        index = self.layers.currentRow() + 1 if self.layers.currentRow() >= 0 else None
        index = len(self.spec.layers) if index is None else index
        layer = editing.new_layer(layer_type)
        self.edit(editing.insert_layer(self.spec, index, layer), select=index)

    def set_argument(self, index: int, key: str, value: object) -> None:
        if 0 <= index < len(self.spec.layers):
            new = editing.set_argument(self.spec, index, key, value)
            self.edit(new, merge=("argument", index, key))

    def remove_layer(self, index: int) -> None:
        if 0 <= index < len(self.spec.layers):
            last = len(self.spec.layers) - 2
            self.edit(editing.remove_layer(self.spec, index), select=min(index, last))

    def duplicate_layer(self, index: int) -> None:
        if 0 <= index < len(self.spec.layers):
            self.edit(editing.duplicate_layer(self.spec, index), select=index + 1)

    def move_layer(self, source: int, target: int) -> None:
        count = len(self.spec.layers)
        if 0 <= source < count and 0 <= target < count and source != target:
            self.edit(editing.move_layer(self.spec, source, target), select=target)

    def _move_by(self, index: int, step: int) -> None:
        self.move_layer(index, index + step)

    def _on_current(self, action, *args: object) -> None:
        row = self.layers.currentRow()
        if row >= 0:
            action(row, *args)

    def undo(self) -> None:
        self.history.undo()
        self._refresh()

    def redo(self) -> None:
        self.history.redo()
        self._refresh()

    def _name_edited(self) -> None:
        name = self.bar.name.text().strip()
        if name == self.spec.name:
            return
        problem = name_problem(name)
        if problem:
            self.problems.setText(problem)
            self.bar.name.setText(self.spec.name)
            return
        self.history.end_merge()
        if self.history.push(editing.rename_network(self.spec, name)):
            self._refresh()

    # ------------------------------------------------------------------ views

    def _refresh(self, select: int | None = None) -> None:
        """Bring every view in line with the current spec (only what changed)."""
        spec = self.spec
        names = layer_names(spec)
        analysis = analyze(spec)
        by_index = {
            p.layer_index: p.message
            for p in reversed(analysis.problems)
            if p.layer_index is not None
        }
        by_name = {names[i]: message for i, message in by_index.items()}
        self.layers.show_layers(spec.layers, names)
        self.layers.show_problems(by_index)
        if select is not None and self.layers.count():
            self.layers.setCurrentRow(max(0, min(select, self.layers.count() - 1)))
        self.shapes.show_analysis(analysis, by_name)
        self.diagram.show_diagram(diagram(analysis))
        self.totals.setText(panes.totals_text(analysis))
        self.problems.setText("\n".join(str(p) for p in analysis.problems))
        self.code.show_code(code_text(spec))
        if self.bar.name.text() != spec.name and not self.bar.name.hasFocus():
            self.bar.name.setText(spec.name)
        self.undo_action.setEnabled(self.history.can_undo)
        self.redo_action.setEnabled(self.history.can_redo)
        self.bar.train.setEnabled(analysis.ok)
        self.refresh_title()

    def refresh_title(self) -> None:
        """The design's name in the title, and whether it is saved."""
        spec = self.spec
        state = "" if self.files.is_saved(spec) else " (not saved)"
        self.setWindowTitle(f"Network designer: {spec.name}{state}")

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing only hides it: the design stays for the next time it is opened."""
        self.history.end_merge()
        event.accept()
