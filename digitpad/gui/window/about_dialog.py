"""Help > About: what this is, which model is answering, and whose work it stands on."""

from __future__ import annotations

import html

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from digitpad import __version__
from digitpad.core.models.inference import Predictor


def model_rows(predictor: Predictor | None) -> list[tuple[str, str]]:
    """The facts about the model in use, as (label, value) rows."""
    if predictor is None:
        return [("Model", "none loaded")]
    meta = predictor.metadata
    accuracy = meta.get("mnist_test_accuracy")
    return [
        ("Model", predictor.name),
        ("Architecture", str(meta.get("architecture") or "custom")),
        (
            "MNIST test accuracy",
            f"{accuracy:.2%}" if isinstance(accuracy, int | float) else "not measured",
        ),
        ("Runs on", predictor.backend),
        ("File", str(predictor.path) if predictor.path else "in memory (not saved)"),
    ]


LICENCES = (
    "<b>DigitPad</b> is free software under the MIT licence.<br>"
    "The shipped model is trained on <b>MNIST</b> (Y. LeCun, C. Cortes, C. J. C. "
    "Burges), licensed CC BY-SA 3.0; its weights are shared under the same licence.<br>"
    "Built with <b>Qt</b> {qt} and <b>PySide6</b> {pyside} (LGPL v3), TensorFlow and "
    "Keras (Apache 2.0), LiteRT (Apache 2.0), NumPy, Pillow and pyqtgraph."
)


class AboutDialog(QDialog):
    def __init__(
        self, predictor: Predictor | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("About DigitPad")
        icon = QLabel()
        window_icon = parent.windowIcon() if parent is not None else QIcon()
        icon.setPixmap(window_icon.pixmap(96, 96))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        title = QLabel(
            f"<h2 style='margin-bottom:2px'>DigitPad {html.escape(__version__)}</h2>"
            "Draw a digit and watch a convolutional neural network read it."
        )
        title.setWordWrap(True)
        rows = "".join(
            f"<tr><td style='padding-right:12px; color:#6b7280'>{html.escape(k)}</td>"
            f"<td>{html.escape(v)}</td></tr>"
            for k, v in model_rows(predictor)
        )
        self.model_label = QLabel(f"<b>Model in use</b><table>{rows}</table>")
        self.model_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.model_label.setWordWrap(True)
        licences = QLabel(LICENCES.format(qt=qVersion(), pyside=PySide6.__version__))
        licences.setWordWrap(True)
        text = QVBoxLayout()
        text.setSpacing(12)
        for label in (title, self.model_label, licences):
            text.addWidget(label)
        top = QHBoxLayout()
        top.setSpacing(18)
        top.addWidget(icon)
        top.addLayout(text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 20, 20, 14)
        layout.addLayout(top)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
