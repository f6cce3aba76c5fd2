"""One layer of the designer's list: its name and type, its argument editors and, in
red under them, the sentence saying why it cannot be built (if it cannot).

A row is updated in place when its layer changes but keeps its type, so the editor
the user is typing in keeps its focus and the list never flickers.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from digitpad.core.networks.schema import LAYER_ARGS
from digitpad.core.networks.spec import LayerSpec
from digitpad.gui.designer.arg_editors import ArgEditor

PROBLEM_STYLE = (
    "color: #b71c1c; background: #fdecea; border-radius: 3px; padding: 1px 4px;"
)


class LayerRow(QFrame):
    """The editors of one spec layer; ``edited(key, value)`` for each change."""

    edited = Signal(str, object)

    def __init__(
        self, layer: LayerSpec, name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.layer = layer
        self.layer_name = name
        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.kind = QLabel(layer.type)
        small = self.kind.font()
        small.setPointSizeF(small.pointSizeF() * 0.85)
        self.kind.setFont(small)
        self.kind.setStyleSheet("color: palette(placeholder-text);")
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(self.title)
        names.addWidget(self.kind)
        title_box = QWidget()
        title_box.setLayout(names)
        names.setContentsMargins(0, 0, 0, 0)
        title_box.setFixedWidth(
            QFontMetrics(small).horizontalAdvance("GlobalAveragePooling2D") + 2
        )
        self.editors: dict[str, ArgEditor] = {}
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.setSpacing(6)
        top.addWidget(title_box)
        for key, rule in LAYER_ARGS[layer.type].items():
            editor = ArgEditor(key, rule, layer.args.get(key))
            editor.edited.connect(self.edited)
            self.editors[key] = editor
            top.addWidget(editor)
        top.addStretch(1)
        self.problem = QLabel(wordWrap=True)
        self.problem.setStyleSheet(PROBLEM_STYLE)
        self.problem.setAccessibleName("Layer problem")
        self.problem.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(1)
        layout.addLayout(top)
        layout.addWidget(self.problem)
        self._show_name(name)

    def update_layer(self, layer: LayerSpec, name: str) -> None:
        """Show ``layer`` (of this row's type) without emitting ``edited``."""
        if layer.args != self.layer.args:
            for key, editor in self.editors.items():
                if layer.args.get(key) != self.layer.args.get(key):
                    editor.set_value(layer.args.get(key))
        self.layer = layer
        if name != self.layer_name:
            self._show_name(name)

    def set_problem(self, message: str | None) -> bool:
        """Show (or hide) the layer's problem; True if the row's height changed."""
        text = message or ""
        if text == self.problem.text():
            return False
        was_visible = not self.problem.isHidden()
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
        self.setToolTip(text)
        return was_visible != bool(text) or bool(text)

    def _show_name(self, name: str) -> None:
        self.layer_name = name
        self.title.setText(name)
