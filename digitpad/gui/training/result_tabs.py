"""The training panel's four tabs: Curves, Results, Your digits and Models.

A finished training run is shown on Results, a finished fine-tuning on Your digits;
``view_of`` says which, so keeping or discarding speaks on the tab the user sees.
"""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget

from digitpad.gui.training.finetune_results import FinetuneResults
from digitpad.gui.training.finetune_worker import FinetuneOutcome
from digitpad.gui.training.model_list import ModelList
from digitpad.gui.training.training_curves import TrainingCurves
from digitpad.gui.training.training_results import TrainingResults


class ResultTabs(QTabWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.curves = TrainingCurves()
        self.results = TrainingResults()
        self.finetune_results = FinetuneResults()
        self.models = ModelList()
        self.addTab(self.curves, "&Curves")
        self.addTab(self.results, "&Results")
        self.addTab(self.finetune_results, "&Your digits")
        self.addTab(self.models, "&Models")

    def view_of(self, outcome: object) -> TrainingResults | FinetuneResults:
        """The tab that shows ``outcome`` and its Keep/Discard buttons."""
        if isinstance(outcome, FinetuneOutcome):
            return self.finetune_results
        return self.results
