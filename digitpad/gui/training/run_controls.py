"""The row under the set-up: "Watch it learn", Cancel and Start training."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QPushButton, QWidget


class RunControls(QWidget):
    """The buttons only; the panel connects them and enables them per run state."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.start_button = QPushButton("Start training")
        self.start_button.setAccessibleName("Start training")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel training")
        self.cancel_button.setEnabled(False)
        self.watch = QCheckBox("Watch it learn")
        self.watch.setAccessibleName("Watch it learn")
        self.watch.setToolTip(
            "After each epoch, predict with the new weights, so you see the network "
            "improve on what you draw; cancel or discard brings the old model back"
        )
        self.watch.setChecked(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.watch, 1)
        layout.addWidget(self.cancel_button)
        layout.addWidget(self.start_button)
