"""The designer's smaller pieces: the top bar, the layer palette, the list's buttons,
the totals line, and the views the window is made of (gathered here for it).

Each is a plain widget with signals; the window connects them to its edits.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.networks.layer_explanations import EXPLANATIONS
from digitpad.core.networks.schema import LAYER_TYPES
from digitpad.core.networks.shapes import Analysis
from digitpad.gui.designer.keras_code_view import KerasCodeView
from digitpad.gui.designer.layer_list import LayerList
from digitpad.gui.designer.shapes_view import ShapesView
from digitpad.gui.designer.volume_diagram import VolumeDiagram

__all__ = [
    "KerasCodeView",
    "LayerButtons",
    "LayerList",
    "Palette",
    "ShapesView",
    "TopBar",
    "VolumeDiagram",
    "column",
    "totals_text",
]

BLOCK_HELP = {
    "ResidualBlock": "Two 3x3 convolutions with batch norm, plus a shortcut that adds "
    "the block's input back (ResNet).",
    "InceptionBlock": "1x1, 3x3 and 5x5 convolutions and a pooling side by side on "
    "one input, concatenated (GoogLeNet).",
    "GlobalMaxPooling2D": "Keeps each map's largest value: one number per channel.",
    "GlobalAveragePooling2D": "Averages each map: one number per channel.",
}


def column(*widgets: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget, 1 if isinstance(widget, QListWidget) else 0)
    return box


def totals_text(analysis: Analysis) -> str:
    """Parameters, multiply-adds and one epoch's estimated time, in one line."""
    seconds = analysis.epoch_seconds()
    when = f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min"
    trainable = sum(
        row.params if row.trainable_params is None else row.trainable_params
        for row in analysis.rows
    )
    kept = "" if trainable == analysis.total_params else f" ({trainable:,} trained)"
    return (
        f"<b>{analysis.total_params:,}</b> parameters{kept} · "
        f"<b>{analysis.total_macs / 1e6:,.1f} M</b> multiply-adds per image · "
        f"one epoch on 54,000 images ≈ <b>{when}</b> on this machine"
    )


class TopBar(QWidget):
    """Start from a preset or design, the design's name, undo/redo, files, train."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.start = QComboBox()
        self.start.setAccessibleName("Start from")
        self.start.setToolTip("Start from a preset or one of your saved designs")
        self.start.setMinimumContentsLength(18)
        self.start.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.name = QLineEdit()
        self.name.setAccessibleName("Design name")
        self.name.setMaxLength(64)
        self.name.setToolTip("The name the design is saved and listed under")
        self.undo = QToolButton()
        self.redo = QToolButton()
        self.save = _button("&Save", "Save design", "Keep the design under its name")
        self.export = _button(
            "&Export…", "Export spec", "Write the design as a spec file (JSON)"
        )
        self.import_ = _button(
            "&Import…", "Import spec", "Read a spec file and keep it as a design"
        )
        self.open_model = _button(
            "From &model…",
            "Open a model's network",
            "Open the network a DigitPad .keras model was built from, as a new design",
        )
        self.train = _button(
            "&Train this network",
            "Train this network",
            "Choose this network in the Training panel (saving it first)",
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        start_label = QLabel("Start &from:")
        start_label.setBuddy(self.start)
        name_label = QLabel("&Name:")
        name_label.setBuddy(self.name)
        for widget in (start_label, self.start, name_label):
            layout.addWidget(widget)
        layout.addWidget(self.name, 1)
        for widget in (
            self.undo,
            self.redo,
            self.save,
            self.export,
            self.import_,
            self.open_model,
            self.train,
        ):
            layout.addWidget(widget)


def _button(text: str, accessible: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(accessible)
    button.setToolTip(tip)
    return button


class Palette(QWidget):
    """The layer types to add: double-click, Enter or *Add* puts one after the
    current layer."""

    addRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setAccessibleName("Layer palette")
        for layer_type in LAYER_TYPES:
            item = QListWidgetItem(layer_type)
            item.setData(Qt.ItemDataRole.UserRole, layer_type)
            item.setToolTip(
                BLOCK_HELP.get(layer_type) or EXPLANATIONS.get(layer_type, "")
            )
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setMinimumWidth(self.list.sizeHintForColumn(0) + 8)
        self.list.itemActivated.connect(self._add)
        self.add = _button("&Add layer", "Add layer", "Add the chosen layer type")
        self.add.clicked.connect(lambda: self._add(self.list.currentItem()))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Layer palette:"))
        layout.addWidget(self.list, 1)
        layout.addWidget(self.add)

    def _add(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.addRequested.emit(item.data(Qt.ItemDataRole.UserRole))


class LayerButtons(QWidget):
    """Remove, duplicate, move up and down: what the keys do, as buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.remove = _button("Remove", "Remove layer", "Remove the layer (Delete)")
        self.duplicate = _button(
            "Duplicate", "Duplicate layer", "Copy the layer below it (Ctrl+D)"
        )
        self.up = _button("Move up", "Move layer up", "Move the layer up (Alt+Up)")
        self.down = _button(
            "Move down", "Move layer down", "Move the layer down (Alt+Down)"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for button in (self.remove, self.duplicate, self.up, self.down):
            layout.addWidget(button)
        layout.addStretch(1)
