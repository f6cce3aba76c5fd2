"""The training panel's "Fine-tune on my handwriting" box, beside the full run.

It knows how many of the user's digits there are (read off the GUI thread whenever
they change) and offers the run only once every digit has a sample; until then it
says which digits are missing. The panel runs the fine-tune; this box only asks.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QWidget

from digitpad.core.handwriting.finetune import FinetuneConfig
from digitpad.core.handwriting.samples import Sample, missing_digits
from digitpad.core.helpers.availability import tensorflow_missing
from digitpad.core.models.inference import Predictor
from digitpad.gui.latest_request import LatestRequestRunner
from digitpad.gui.state import AppState
from digitpad.gui.training.finetune_worker import FinetuneWorker


class FinetuneSection(QGroupBox):
    """Status line, "Fine-tune on my handwriting" and "Teach it my handwriting…"."""

    startRequested = Signal()

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__("Fine-tune on my handwriting", parent)
        self.state = state
        self.config = FinetuneConfig()  # the recipe; tests make it tiny
        self.samples: list[Sample] = []
        self._running = False
        self._loader: LatestRequestRunner[list[Sample]] = LatestRequestRunner(
            self, "finetune-samples"
        )
        self.status = QLabel("Counting your digits…")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Fine-tuning status")
        self.start_button = QPushButton("Fine-tune")
        self.start_button.setAccessibleName("Fine-tune on my handwriting")
        self.start_button.setToolTip(
            "Start from the current model and train it on your own digits, with "
            "MNIST mixed in so it keeps reading everyone else's"
        )
        self.start_button.setEnabled(False)  # until the samples are counted
        self.unavailable = tensorflow_missing()  # the lean bundle: never enabled
        if self.unavailable is not None:
            self.start_button.setToolTip(self.unavailable)
        self.start_button.clicked.connect(self.startRequested)
        self.teach_button = QPushButton("Teach it my handwriting…")
        self.teach_button.setAccessibleName("Teach it my handwriting")
        self.teach_button.clicked.connect(state.request_teach)
        layout = QHBoxLayout(self)
        layout.addWidget(self.status, 1)
        layout.addWidget(self.teach_button)
        layout.addWidget(self.start_button)
        state.samplesChanged.connect(self.reload)
        self.reload()

    @property
    def loading(self) -> bool:
        return self._loader.busy

    def reload(self) -> None:
        store = self.state.handwriting
        self.start_button.setEnabled(False)  # until the new count is in
        self._loader.request(
            lambda _task: store.load()[0],
            self._loaded,
            lambda message: self.status.setText(f"Cannot read your digits: {message}"),
        )

    def worker(
        self, predictor: Predictor | None, preview: bool, data_path: str | None = None
    ) -> FinetuneWorker:
        """A run from ``predictor``'s .keras file, mixing in MNIST from ``data_path``
        (the panel's chosen data file; None: the recipe's, by default Keras's);
        ValueError says why there is no run."""
        base = predictor.path if predictor is not None else None
        if base is None or base.suffix != ".keras":
            raise ValueError(
                "Fine-tuning starts from the current model's .keras file, and this "
                "model has none: open a .keras model first."
            )
        if missing_digits(s.label for s in self.samples):
            raise ValueError("Fine-tuning needs at least one sample of every digit.")
        config = self.config
        if data_path is not None:
            config = replace(config, data_path=data_path)
        return FinetuneWorker(base, self.samples, config, preview)

    def set_running(self, running: bool) -> None:
        self._running = running
        self._update()

    def _loaded(self, samples: list[Sample]) -> None:
        self.samples = samples
        self._update()

    def _update(self) -> None:
        missing = missing_digits(s.label for s in self.samples)
        count = len(self.samples)
        if not count:
            text = "Teach it your handwriting first: it needs a sample of every digit."
        elif missing:
            text = (
                f"{count} of your digits; still missing: "
                f"{', '.join(map(str, missing))}."
            )
        else:
            text = f"Ready: {count} of your digits, every digit 0-9."
        self.status.setText(text)
        self.start_button.setEnabled(
            self.unavailable is None and not missing and not self._running
        )
