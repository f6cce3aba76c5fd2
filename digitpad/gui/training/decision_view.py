"""A finished model's result view: a headline beside Discard and Keep.

Training and fine-tuning end the same way: the panel shows what the run measured and
waits for the user's decision. The buttons are offered only while a model awaits
one; the view reports the choice and the panel does the saving or the swapping back.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class DecisionView(QWidget):
    """The headline and Keep/Discard row; subclasses add what they measured below."""

    keepRequested = Signal()
    discardRequested = Signal()

    def __init__(
        self, headline: str, model: str, parent: QWidget | None = None
    ) -> None:
        """``model`` names the kind of model for screen readers ("trained")."""
        super().__init__(parent)
        self.headline = QLabel(headline)
        self.headline.setWordWrap(True)
        self.keep_button = QPushButton("Keep")
        self.keep_button.setAccessibleName(f"Keep the {model} model")
        self.keep_button.setToolTip("Save it to your models and make it current")
        self.keep_button.clicked.connect(self.keepRequested)
        self.discard_button = QPushButton("Discard")
        self.discard_button.setAccessibleName(f"Discard the {model} model")
        self.discard_button.setToolTip("Forget it and go back to the previous model")
        self.discard_button.clicked.connect(self.discardRequested)
        decision = QHBoxLayout()
        decision.addWidget(self.headline, 1)
        decision.addWidget(self.discard_button)
        decision.addWidget(self.keep_button)
        self.body = QVBoxLayout(self)
        self.body.addLayout(decision)
        self.set_undecided(False)

    def set_undecided(self, undecided: bool) -> None:
        """Keep/Discard are offered only while a finished model awaits a decision."""
        self.keep_button.setEnabled(undecided)
        self.discard_button.setEnabled(undecided)
        self.keep_button.setDefault(undecided)

    def note(self, text: str) -> None:
        """Replace the headline with a one-line message (kept, discarded, ...)."""
        self.headline.setText(text)
