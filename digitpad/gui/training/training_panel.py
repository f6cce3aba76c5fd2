"""The training panel: set up a run, watch it learn, keep or discard the result.

Composition and the run's life cycle only: the form builds a ``TrainConfig``, a
``TrainingWorker`` trains on its own thread, the curves, progress and result tabs
display what it reports. What "watch it learn" swaps in is temporary and the model
that was current before comes back on cancel, failure or discard (``WatchPreviews``).
The finished model waits for Keep or Discard in a ``KeepDecision``. Closing mid-run
is negotiated by a ``CloseGate`` and never waits in a slot.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QVBoxLayout,
    QWidget,
)

from digitpad.core.helpers.availability import tensorflow_missing
from digitpad.core.models.inference import Predictor
from digitpad.gui.state import AppState
from digitpad.gui.threads import Runner
from digitpad.gui.training.close_gate import CloseGate
from digitpad.gui.training.comparison_window import ComparisonWindow
from digitpad.gui.training.finetune_section import FinetuneSection
from digitpad.gui.training.finetune_worker import FinetuneOutcome
from digitpad.gui.training.keep_decision import KeepDecision
from digitpad.gui.training.library_jobs import LibraryJobs, load_chosen, model_title
from digitpad.gui.training.model_list import last_kept_history
from digitpad.gui.training.result_tabs import ResultTabs
from digitpad.gui.training.run_controls import RunControls
from digitpad.gui.training.score_ahead_runner import ScoreAheadRunner
from digitpad.gui.training.setup_area import setup_area
from digitpad.gui.training.training_form import TrainingForm
from digitpad.gui.training.training_progress import TrainingProgress
from digitpad.gui.training.training_worker import TrainingOutcome, TrainingWorker
from digitpad.gui.training.watch_previews import WatchPreviews
from digitpad.gui.widgets.message_boxes import ask, show_error
from digitpad.gui.widgets.unavailable import unavailable_notice

CLOSE_WAIT_MS = 10_000  # a cancel lands within a batch; then a close stops waiting


class TrainingPanel(QWidget):
    """Retrain the network from the GUI; see the module docstring for the rules."""

    runningChanged = Signal(bool)
    closeReady = Signal()  # a close put off by confirm_close() may go ahead now

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self._runner = Runner(self, "training")
        self._jobs = LibraryJobs(self)
        self._worker: TrainingWorker | None = None
        self._previews = WatchPreviews(state)
        self._gate = CloseGate(
            lambda: self.is_training() or self.is_saving(), CLOSE_WAIT_MS, self
        )
        self._gate.ready.connect(self.closeReady)

        self.form = TrainingForm(state.designs_dir)
        self.form.designRequested.connect(state.request_design)
        state.designsChanged.connect(
            lambda name: self.form.reload_architectures(state.designs_dir, name)
        )
        controls = RunControls()
        self.start_button = controls.start_button
        self.start_button.clicked.connect(self.start_training)
        self.cancel_button = controls.cancel_button
        self.cancel_button.clicked.connect(self.cancel_training)
        self.watch = controls.watch
        self.watch.toggled.connect(self._watch_toggled)
        self.progress = TrainingProgress()
        self.finetune = FinetuneSection(state)
        self.finetune.startRequested.connect(self.start_finetune)
        self.tabs = ResultTabs()
        self.curves, self.results = self.tabs.curves, self.tabs.results
        self.finetune_results, self.models = (
            self.tabs.finetune_results,
            self.tabs.models,
        )
        self._decision = KeepDecision(
            self,
            state,
            self._jobs,
            self.tabs,
            self.progress,
            self._previews,
            saving_changed=self._saving_changed,
            closing=lambda: self._gate.closing,
        )

        for view in (self.results, self.finetune_results):
            view.keepRequested.connect(self.keep)
            view.discardRequested.connect(self.discard)
        self.results.gallery.digitChosen.connect(self.state.request_image)
        self.models.modelChosen.connect(
            lambda entry: load_chosen(
                self._jobs, entry, state, self.progress.message, self
            )
        )
        self.models.compareRequested.connect(self.compare_models)
        self._score_ahead = ScoreAheadRunner(self)  # Compare's answers, scored early
        self._score_ahead.follow(
            self.tabs, self.models, self.is_training, self.form.data_path
        )
        state.modelChanged.connect(self._model_changed)

        # Without TensorFlow (the lean bundle) nothing here can run: say so up front.
        self.unavailable = tensorflow_missing()
        layout = QVBoxLayout(self)
        if self.unavailable is not None:
            layout.addWidget(unavailable_notice(self.unavailable))
            self.start_button.setToolTip(self.unavailable)
            self._update_start()
        layout.addWidget(setup_area(self.form))
        layout.addWidget(controls)
        layout.addWidget(self.finetune)
        layout.addWidget(self.progress)
        layout.addWidget(self.tabs, 1)
        if state.predictor is not None:
            self._model_changed(state.predictor)

    # ------------------------------------------------------------------ queries

    def is_training(self) -> bool:
        return self._worker is not None

    def has_undecided_model(self) -> bool:
        return self._decision.outcome is not None

    def is_saving(self) -> bool:
        """A kept model is still being written to the library."""
        return self._decision.saving

    # ------------------------------------------------------------------ run

    def start_training(self) -> None:
        if not self._may_start("Start training"):
            return
        try:
            config = self.form.config()
        except ValueError as error:
            show_error(self, "Cannot start training", str(error))
            return
        worker = TrainingWorker(config, preview=self.watch.isChecked())
        self._start(worker, "Loading the data and TensorFlow…")

    def start_finetune(self) -> None:
        """Fine-tune the current model (from its .keras file) on the user's digits."""
        if not self._may_start("Fine-tune"):
            return
        try:
            worker = self.finetune.worker(
                self.state.predictor, self.watch.isChecked(), self.form.data_path()
            )
        except ValueError as error:
            show_error(self, "Cannot fine-tune", str(error))
            return
        count = len(worker.samples)
        self._start(worker, f"Loading TensorFlow for {count} of your digits…")

    def _may_start(self, title: str) -> bool:
        if self.is_training() or self.is_saving():
            return False  # Start is disabled meanwhile; a kept model is not undecided
        if self.has_undecided_model():
            if not ask(self, title, "Discard the model you have not kept?"):
                return False
            self.discard()
        return True

    def _start(self, worker: TrainingWorker, message: str) -> None:
        worker.batchesEnded.connect(self._batches_ended)
        worker.epochEnded.connect(self._epoch_ended)
        worker.previewReady.connect(self._preview_ready)
        worker.previewFailed.connect(self.state.statusMessage)
        worker.trainingFinished.connect(self._finished)
        worker.trainingCancelled.connect(self._cancelled)
        worker.trainingFailed.connect(self._failed)
        self._worker = worker
        self._score_ahead.stop()  # the run needs the cores
        self.curves.clear()
        self.curves.set_reference(*last_kept_history(self.models.entries()))
        self.tabs.setCurrentWidget(self.curves)
        self.progress.start(message)
        self._set_running(True)
        self._runner.start(worker.run, lambda _: self._worker_done(), self._run_broke)

    def _run_broke(self, message: str) -> None:
        """The worker itself raised (it reports every expected failure as a signal):
        still one message, and the panel is ready for the next Start."""
        self._failed(message)
        self._worker_done()

    def cancel_training(self) -> None:
        """Ask the worker to stop; the current model stays as it was before the run."""
        if self._worker is not None:
            self._worker.request_stop()
            self.cancel_button.setEnabled(False)
            self.progress.message("Cancelling…")

    def _set_running(self, running: bool) -> None:
        self.form.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.models.setEnabled(not running)
        self._update_start()
        self.runningChanged.emit(running)

    def _update_start(self) -> None:
        saving = self.is_saving()
        self.start_button.setEnabled(
            self.unavailable is None and not self.is_training() and not saving
        )
        self.start_button.setText("Saving…" if saving else "Start training")
        self.finetune.set_running(self.is_training() or saving)

    def _batches_ended(self, batches: list) -> None:
        self.curves.add_batches(batches)
        if self._worker is not None and not self._worker.stop_requested:
            self.progress.show_batch(batches[-1])

    def _epoch_ended(self, epoch) -> None:
        self.curves.add_epoch(epoch)
        self.progress.show_epoch(epoch)

    def _preview_ready(self, predictor: Predictor) -> None:
        worker = self._worker
        if worker is None or worker.stop_requested or not self.watch.isChecked():
            return
        self._previews.show(predictor)

    def _finished(self, outcome: TrainingOutcome | FinetuneOutcome) -> None:
        self.cancel_button.setEnabled(False)  # nothing left to cancel: it is saving
        self._decision.offer(outcome)

    def _run_name(self) -> str:
        """What the run in progress is called in the status line and dialogs."""
        return self._worker.run_name if self._worker is not None else "Training"

    def _cancelled(self) -> None:
        self._previews.restore_base()
        self.progress.finish(
            f"{self._run_name()} cancelled; the previous model is current.", False
        )

    def _failed(self, message: str) -> None:
        self._previews.restore_base()
        what = self._run_name()
        self.progress.finish(f"{what} failed; the previous model is current.", False)
        if not self._gate.closing:
            show_error(self, f"{what} failed", message)

    def _worker_done(self) -> None:
        self._worker = None
        self._set_running(False)
        self._gate.work_ended()

    # ------------------------------------------------------------------ decide

    def keep(self) -> None:
        self._decision.keep()

    def discard(self) -> None:
        self._decision.discard()

    def _saving_changed(self) -> None:
        self._update_start()
        self._gate.work_ended()

    # ------------------------------------------------------------------ models

    def _model_changed(self, predictor: Predictor) -> None:
        preview = self._previews.is_preview(predictor)
        self._previews.model_changed(predictor)
        self.models.set_current(
            None if preview else predictor.path, model_title(predictor)
        )

    def compare_models(self, entries: list) -> ComparisonWindow:
        """Open a "Model comparison" window (non-modal) for 2-4 library entries."""
        self._score_ahead.stop()  # the comparison scores what is left itself
        window = ComparisonWindow(
            [(entry.path, entry.name) for entry in entries],
            self.state,
            data_path=self.form.data_path(),
            parent=self,
        )
        window.digitChosen.connect(self.state.request_image)
        window.show()
        return window

    def _watch_toggled(self, on: bool) -> None:
        if self._worker is not None:
            self._worker.preview_enabled = on
        if not on:
            self._previews.restore_base()

    # ------------------------------------------------------------------ closing

    def confirm_close(self) -> bool:
        """True: the panel may close now. Never waits for the training thread.

        Mid-run, the user is asked; if they choose to stop, the run is cancelled and
        False returned: ``closeReady`` follows once it has stopped (or after
        ``CLOSE_WAIT_MS``, when the window closes anyway). A model being kept is
        given the same moment to land.
        """
        if self._gate.forced:
            return True
        if self._gate.pending:
            return False
        if self.is_training() and not self.has_undecided_model():
            if not ask(self, "Training is running", "Stop training and close?"):
                return False
            self._gate.closing = True
            self.cancel_training()
        elif self.has_undecided_model() and not self.is_saving():
            if not ask(self, "Close", "Close without keeping the trained model?"):
                return False
            self._decision.outcome.discard()  # its files; the panel is going away
        if self._gate.close_when_idle():
            return True
        self.progress.message("Stopping; the window closes in a moment…")
        return False

    def shutdown(self, wait: float) -> bool:
        """Cancel everything and wait up to ``wait`` s (application quit, tests)."""
        self._gate.closing = True
        runs = (self._score_ahead, self._runner, self._jobs)
        return all([run.close(wait) for run in runs])  # a list: close every one
