"""The design's Keras code ("Keras code"): read-only, monospace, one click to copy.

The text is ``networks.keras_code``'s script, which builds exactly the designed
network when pasted into Python; while the design cannot be built, it says why as a
comment instead. The text is replaced only when it changed, keeping the scroll place.
"""

from __future__ import annotations

import textwrap

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.networks.keras_code import keras_code
from digitpad.core.networks.spec import NetworkSpec, SpecError


def code_text(spec: NetworkSpec) -> str:
    """The script, or a comment with the first problem while it cannot be built."""
    try:
        return keras_code(spec)
    except SpecError as error:
        lines = textwrap.wrap(str(error), 72)
        return "# This network cannot be built yet:\n" + "".join(
            f"# {line}\n" for line in lines
        )


class KerasCodeView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._code = ""
        self.text = QPlainTextEdit(readOnly=True)
        self.text.setAccessibleName("Keras code")
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.copy_button = QPushButton("&Copy")
        self.copy_button.setAccessibleName("Copy Keras code")
        self.copy_button.setToolTip("Copy the code; paste it into Python to build it")
        self.copy_button.clicked.connect(self.copy)
        heading = QHBoxLayout()
        heading.addWidget(QLabel("Keras code that builds this network:"))
        heading.addStretch(1)
        heading.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(heading)
        layout.addWidget(self.text, 1)

    def show_code(self, code: str) -> None:
        if code != self._code:
            self._code = code
            bar = self.text.verticalScrollBar()
            place = bar.value()
            self.text.setPlainText(code)
            bar.setValue(place)

    def code(self) -> str:
        return self._code

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.code())
