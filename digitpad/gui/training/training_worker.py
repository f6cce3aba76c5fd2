"""A training run for the panel: ``core.training_process`` driven from a job thread.

``run`` is a ``threads.Runner`` job: it starts the training helper process, relays its
events to the GUI thread with ``task.post`` (where this object, which lives there,
emits its signals) and turns each epoch's LiteRT export into a preview predictor.
TensorFlow never runs in the app's process, so neither its import nor the exports can
freeze the window; the helper already throttles batch reports to 5 a second. Cancel
(``request_stop``, or the task being cancelled) reaches the helper within 0.1 s and
lands after its current batch; the run's scratch folder is removed unless a finished
model is handed over, and Keep or Discard then owns it.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from digitpad.core import paths
from digitpad.core.errors import DigitPadError
from digitpad.core.helper_process import helper_supported
from digitpad.core.training import TrainConfig
from digitpad.gui.threads import Task

NO_HELPER = (
    "Training needs TensorFlow in a helper process, which this installation cannot "
    "start; install DigitPad with pipx (see the README) to train."
)


@dataclass(frozen=True)
class TrainingOutcome:
    """A finished run: its result, where its model waits, the misclassified digits."""

    result: Any  # core.training.TrainResult, without the live model
    path: Path  # the saved model in its scratch folder, until kept or discarded
    wrong_images: np.ndarray  # (N, 28, 28) uint8, MNIST style (white on black)
    wrong_true: np.ndarray  # (N,) true labels
    wrong_predicted: np.ndarray  # (N,) predicted labels

    def discard(self) -> None:
        """Delete the model's scratch folder (after Discard, or a failed keep)."""
        shutil.rmtree(self.path.parent, ignore_errors=True)

    @property
    def summary(self) -> str:
        return f"{self.result.test.accuracy:.2%} test accuracy"


class TrainingWorker(QObject):
    """One training run; its signals are emitted on the GUI thread (see above)."""

    batchesEnded = Signal(object)  # list[BatchProgress], every batch since the last
    epochEnded = Signal(object)  # EpochProgress (without the live model)
    previewReady = Signal(object)  # Predictor built from this epoch's weights
    previewFailed = Signal(str)  # one line: why an epoch has no preview
    trainingFinished = Signal(object)  # TrainingOutcome
    trainingCancelled = Signal()
    trainingFailed = Signal(str)  # one-line, user-facing message

    def __init__(self, config: TrainConfig, preview: bool = False) -> None:
        super().__init__()
        self.config = config
        self.preview_enabled = preview  # read per epoch; set from the GUI thread
        self._stop = threading.Event()
        self._task: Task | None = None

    def request_stop(self) -> None:
        """Thread-safe: the helper hears it within 0.1 s, stops after its batch."""
        self._stop.set()

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set() or (self._task is not None and self._task.cancelled)

    def run(self, task: Task) -> None:
        """The job: train, then report exactly one of finished, cancelled, failed."""
        self._task = task
        if not helper_supported():
            self._post(self.trainingFailed.emit, NO_HELPER)
            return
        from digitpad.core.training_process import TrainingProcess

        scratch = _scratch_folder()
        finished = False
        try:
            process = TrainingProcess(self.make_job(scratch))
        except OSError as error:
            shutil.rmtree(scratch, ignore_errors=True)
            self._post(self.trainingFailed.emit, f"Training failed: {error}")
            return
        try:
            events = process.events(lambda: self.stop_requested, self._previewing)
            for event in events:
                finished = self._handle(event) or finished
        finally:
            process.close()
            if not finished:
                shutil.rmtree(scratch, ignore_errors=True)

    def make_job(self, scratch: Path) -> Any:
        """What the helper process runs (a subclass sends another kind of job)."""
        from digitpad.core.training_process import TrainJob

        return TrainJob(self.config, str(scratch), self.preview_enabled)

    def make_outcome(self, run: Any) -> Any:
        """The helper's finished run as the panel's outcome (owning its folder)."""
        return TrainingOutcome(
            run.result,
            Path(run.path),
            run.wrong_images,
            run.wrong_true,
            run.wrong_predicted,
        )

    def _previewing(self) -> bool:
        return self.preview_enabled and not self.stop_requested

    def _handle(self, event: tuple) -> bool:
        """Relay one event; True when it handed a finished model over."""
        kind = event[0]
        if kind == "batches":
            self._post(self.batchesEnded.emit, event[1])
        elif kind == "epoch":
            self._post(self.epochEnded.emit, event[1])
        elif kind == "preview":
            self._preview(*event[1:])
        elif kind == "preview_failed":
            self._post(self.previewFailed.emit, event[1])
        elif kind == "cancelled" or (kind == "finished" and self.stop_requested):
            self._post(self.trainingCancelled.emit)
        elif kind == "failed":
            self._post(self.trainingFailed.emit, event[1])
        elif kind == "finished":
            outcome = self.make_outcome(event[1])
            if self._previewing() and getattr(self.config, "weight_averaging", False):
                self._final_preview(outcome.path)  # averaged, unlike the last epoch
            self._post(self.trainingFinished.emit, outcome)
            return True
        return False

    def _preview(self, epoch: int, tflite: bytes, metadata: dict, kernels: Any) -> None:
        if not self._previewing():
            return
        from digitpad.core.inference import LiteRtPredictor, litert_available

        if not litert_available():
            return  # previews are LiteRT exports; without LiteRT there are none
        try:
            predictor = LiteRtPredictor(tflite, None, metadata, kernels)
        except DigitPadError as problem:
            self._post(
                self.previewFailed.emit, f"No preview of epoch {epoch}: {problem}"
            )
            return
        self._post(self.previewReady.emit, predictor)

    def _final_preview(self, path: Path) -> None:
        from digitpad.core.inference import load_predictor

        try:
            predictor = load_predictor(path)
        except DigitPadError as problem:
            self._post(self.previewFailed.emit, f"No preview of the result: {problem}")
            return
        self._post(self.previewReady.emit, predictor)

    def _post(self, emit: Callable[..., Any], *args: Any) -> None:
        assert self._task is not None
        self._task.post(lambda: emit(*args))


def _scratch_folder() -> Path:
    """A hidden folder beside the library, so keeping a model is a rename."""
    base = paths.user_models_dir()
    base.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=".training-", dir=base))
