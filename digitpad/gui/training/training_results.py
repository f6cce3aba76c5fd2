"""What a finished run shows: test accuracy, confusion matrix, mistakes, Keep/Discard.

The view only displays an outcome and reports the user's decision; the panel does the
saving (on a worker thread) and the predictor swapping.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.networks.presets import architecture_title
from digitpad.gui.training.confusion_view import ConfusionView
from digitpad.gui.training.decision_view import DecisionView
from digitpad.gui.training.misclassified_gallery import MisclassifiedGallery
from digitpad.gui.training.training_worker import TrainingOutcome


class TrainingResults(DecisionView):
    """Results of the last run, with Keep and Discard while it is undecided."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Train a model to see how it does on the test set.", "trained", parent
        )
        self.headline.setTextFormat(Qt.RichText)
        self.headline.setAccessibleName("Test accuracy")
        self.confusion = ConfusionView()
        self.gallery = MisclassifiedGallery()
        self.confusion.cellChosen.connect(self._cell_chosen)

        confusion_box = QWidget()
        confusion_layout = QVBoxLayout(confusion_box)
        confusion_layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("Confusion matrix (rows: true digit, columns: predicted)")
        title.setWordWrap(True)
        confusion_layout.addWidget(title)
        confusion_layout.addWidget(self.confusion, 1)
        splitter = QSplitter(Qt.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(confusion_box)
        splitter.addWidget(self.gallery)
        splitter.setStretchFactor(0, 3)  # the matrix needs room for 4-digit counts
        splitter.setStretchFactor(1, 2)

        self.body.addWidget(splitter, 1)

    def show_outcome(self, outcome: TrainingOutcome) -> None:
        result = outcome.result
        arch = html.escape(architecture_title(result.config.architecture))
        minutes, seconds = divmod(round(result.seconds), 60)
        self.headline.setText(
            f"<b>{result.test.accuracy:.2%}</b> test accuracy "
            f"({result.test.count:,} digits) · {arch}, {result.config.epochs} "
            f"epoch{'s' if result.config.epochs != 1 else ''}, {minutes}:{seconds:02d}"
        )
        self.confusion.set_confusion(result.test.confusion)
        self.gallery.set_mistakes(
            outcome.wrong_images, outcome.wrong_true, outcome.wrong_predicted
        )
        self.set_undecided(True)

    def _cell_chosen(self, true: int, predicted: int) -> None:
        self.gallery.set_filter((true, predicted))
