"""A training run for the panel: ``helpers.tensorflow_process`` run from a job thread.

``run`` is a ``threads.Runner`` job: it starts the training helper process, relays its
events to the GUI thread with ``task.post`` (where this object, which lives there,
emits its signals) and turns each epoch's LiteRT export into a preview predictor.
TensorFlow never runs in the app's process, so neither its import nor the exports can
freeze the window; the helper already throttles batch reports to 5 a second. Cancel
(``request_stop``, or the task being cancelled) reaches the helper within 0.1 s and
lands after its current batch; the run's scratch folder is removed unless a finished
model is handed over, and Keep or Discard then owns it. The results arrive before the
helper has written the model file (``SavedLater``); Keep waits for it, off the GUI
thread. The helper is the app's one TensorFlow helper (``core.tensorflow_helper``): it
stays up after a run, so the next one starts at once, and exits when idle.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from digitpad.core import paths
from digitpad.core.errors import DigitPadError, one_line
from digitpad.core.helpers.availability import tensorflow_missing
from digitpad.core.helpers.process import helper_supported
from digitpad.core.training.trainer import TrainConfig
from digitpad.gui.threads import Task

SAVE_TIMEOUT_S = 120.0  # how long Keep waits for the helper to write the model
# how a user names a data file in the app (the offline MNIST advice, core.data)
CHOOSE_IN_PANEL = (
    "choose it with Choose file… next to Data in the Training panel's set-up"
)
NO_HELPER = (
    "Training needs TensorFlow in a helper process, which this installation cannot "
    "start; install DigitPad with pipx (see the README) to train."
)
OUTSIDE_SCRATCH = (
    "Training failed: the helper named a model file outside its scratch folder; "
    "nothing was kept."
)


class SavedLater:
    """The model file a helper writes after sending the results; Keep waits for it."""

    def __init__(self) -> None:
        self._done = threading.Event()
        self._problem: str | None = None

    def mark(self, problem: str | None = None) -> None:
        """Written (or not: ``problem``); the first word counts."""
        if not self._done.is_set():
            self._problem = problem
            self._done.set()

    def wait(self, timeout: float = SAVE_TIMEOUT_S) -> None:
        """Block until the file is written; ``DigitPadError`` if it was not."""
        if not self._done.wait(timeout):
            raise DigitPadError("the model is still being written; try again")
        if self._problem is not None:
            raise DigitPadError(self._problem)


@dataclass(frozen=True)
class TrainingOutcome:
    """A finished run: its result, where its model waits, the misclassified digits."""

    result: Any  # core.training.trainer.TrainResult, without the live model
    path: Path  # the saved model in its scratch folder, until kept or discarded
    wrong_images: np.ndarray  # (N, 28, 28) uint8, MNIST style (white on black)
    wrong_true: np.ndarray  # (N,) true labels
    wrong_predicted: np.ndarray  # (N,) predicted labels
    saving: SavedLater = field(default_factory=SavedLater, repr=False)

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
    run_name = "Training"  # what the status line and dialogs call this kind of run

    def __init__(self, config: TrainConfig, preview: bool = False) -> None:
        super().__init__()
        self.config = config
        self.preview_enabled = preview  # read per epoch; set from the GUI thread
        self._stop = threading.Event()
        self._task: Task | None = None
        self._outcome: Any = None  # the finished run's outcome, once it arrived
        self._scratch: Path | None = None  # the run's folder, where its model must be

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
            self._post(self.trainingFailed.emit, tensorflow_missing() or NO_HELPER)
            return
        from digitpad.core.helpers.tensorflow_helper import shared_helper

        try:
            scratch = self._scratch = _scratch_folder()
        except OSError as error:  # an unwritable or missing data folder
            where = getattr(error, "filename", None) or paths.user_models_dir()
            reason = getattr(error, "strerror", None) or one_line(error)
            self._post(
                self.trainingFailed.emit,
                f"Training needs a folder it can write its model to; {where}: {reason}",
            )
            return
        try:
            run = shared_helper().run(self.make_job(scratch))
        except (OSError, DigitPadError) as error:
            shutil.rmtree(scratch, ignore_errors=True)
            self._post(self.trainingFailed.emit, f"{self.run_name} failed: {error}")
            return
        try:
            for event in run.events(lambda: self.stop_requested, self._previewing):
                self._handle(event)
        finally:
            run.close()  # the helper stays for the next job, until it idles
            if self._outcome is None:
                shutil.rmtree(scratch, ignore_errors=True)
            else:  # the helper ended without saying: Keep must not wait for ever
                self._outcome.saving.mark("the training process stopped unexpectedly")

    def make_job(self, scratch: Path) -> Any:
        """What the helper process runs (a subclass sends another kind of job)."""
        from digitpad.core.training.job import TrainJob

        return TrainJob(
            self.config, str(scratch), self.preview_enabled, CHOOSE_IN_PANEL
        )

    def make_outcome(self, run: Any) -> Any:
        """The helper's finished run as the panel's outcome (owning its folder)."""
        return TrainingOutcome(
            run.result,
            Path(run.path),
            run.wrong_images,
            run.wrong_true,
            run.wrong_predicted,
        )

    def _inside_scratch(self, path: str) -> bool:
        """Keep renames and Discard deletes the model's folder: only the scratch."""
        return self._scratch is not None and paths.is_inside(self._scratch, path)

    def _previewing(self) -> bool:
        return self.preview_enabled and not self.stop_requested

    def _handle(self, event: tuple) -> None:
        """Relay one event to the GUI thread."""
        kind, outcome = event[0], self._outcome
        if kind == "batches":
            self._post(self.batchesEnded.emit, event[1])
        elif kind == "epoch":
            self._post(self.epochEnded.emit, event[1])
        elif kind == "preview":
            self._preview(*event[1:])
        elif kind == "preview_failed":
            self._post(self.previewFailed.emit, event[1])
        elif kind == "finished" and not self._inside_scratch(event[1].path):
            self._post(self.trainingFailed.emit, OUTSIDE_SCRATCH)
        elif kind == "finished" and not self.stop_requested:
            self._outcome = self.make_outcome(event[1])
            self._post(self.trainingFinished.emit, self._outcome)
        elif kind in ("saved", "save_failed") and outcome is not None:
            outcome.saving.mark(event[1] if kind == "save_failed" else None)
            averaged = getattr(self.config, "weight_averaging", False)
            if kind == "saved" and self._previewing() and averaged:
                self._final_preview(outcome.path)  # averaged, unlike the last epoch
        elif kind == "failed" and outcome is not None:
            outcome.saving.mark(event[1])  # the results stand; Keep will say why not
        elif kind in ("cancelled", "finished"):  # finished: stopped as it ended
            self._post(self.trainingCancelled.emit)
        elif kind == "failed":
            self._post(self.trainingFailed.emit, event[1])

    def _preview(
        self,
        epoch: int,
        tflite: bytes,
        metadata: dict,
        kernels: Any,
        weights: bytes | None = None,
    ) -> None:
        if not self._previewing():
            return
        from digitpad.core.models.inference import LiteRtPredictor, litert_available

        if not litert_available():
            return  # previews are LiteRT exports; without LiteRT there are none
        try:
            predictor = LiteRtPredictor(tflite, None, metadata, kernels, weights)
            predictor.unit_weights()  # decoded here, off the GUI thread
        except DigitPadError as problem:
            self._post(
                self.previewFailed.emit, f"No preview of epoch {epoch}: {problem}"
            )
            return
        self._post(self.previewReady.emit, predictor)

    def _final_preview(self, path: Path) -> None:
        from digitpad.core.models.inference import load_predictor

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
