"""Training off the GUI thread: ``core.training.train`` as a job of ``threads.Runner``.

``run`` is the job: it runs on a worker thread (TensorFlow is imported there, on first
use) and hands every report to the GUI thread with ``task.post``, where this object,
which lives there, emits its signals. Keras reports every batch; ``ThrottledReporter``
collects those reports and hands them on in chunks at most 5 times a second, so the
curves still get every batch while the GUI thread, which shares the cores with
TensorFlow, spends under 2% of one core redrawing them. Cancel is a
``threading.Event`` that ``train`` polls after each batch.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from digitpad.core.errors import DigitPadError, TrainingCancelled
from digitpad.core.progress_throttle import ThrottledReporter
from digitpad.core.thread_priority import lower_thread_priority
from digitpad.core.training import EpochProgress, TrainConfig
from digitpad.core.training_preview import TrainingPreviews
from digitpad.gui.threads import Task


@dataclass(frozen=True)
class TrainingOutcome:
    """A finished run plus the misclassified test digits for the gallery."""

    result: Any  # core.training.TrainResult
    wrong_images: np.ndarray  # (N, 28, 28) uint8, MNIST style (white on black)
    wrong_true: np.ndarray  # (N,) true labels
    wrong_predicted: np.ndarray  # (N,) predicted labels


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
        self._ended = False  # the run is over: late previews are dropped
        self._task: Task | None = None

    def request_stop(self) -> None:
        """Thread-safe: ``train`` sees it after the current batch."""
        self._stop.set()

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set() or (self._task is not None and self._task.cancelled)

    def run(self, task: Task) -> None:
        """The job: train, then report exactly one of finished, cancelled, failed."""
        self._task = task
        lower_thread_priority()
        try:
            outcome = self._train()
        except TrainingCancelled:
            self._post(self.trainingCancelled.emit)
        except DigitPadError as error:
            self._post(self.trainingFailed.emit, str(error))
        except (ValueError, MemoryError, OSError) as error:
            self._post(self.trainingFailed.emit, f"Training failed: {error}")
        except Exception as error:  # TensorFlow raises a zoo of types; never crash
            message = f"Training failed: {type(error).__name__}: {error}"
            self._post(self.trainingFailed.emit, message)
        else:
            self._post(self.trainingFinished.emit, outcome)

    def _post(self, emit: Callable[..., Any], *args: Any) -> None:
        assert self._task is not None
        self._task.post(lambda: emit(*args))

    def _train(self) -> TrainingOutcome:
        from digitpad.core.data import load_mnist
        from digitpad.core.training import train

        data = load_mnist(self.config.data_path)
        if self.stop_requested:  # cancelled while TensorFlow was still loading
            raise TrainingCancelled("training was cancelled")
        reporter = ThrottledReporter(
            lambda chunk: self._post(self.batchesEnded.emit, chunk), self._epoch_ended
        )
        self._previews = TrainingPreviews(
            self.config,
            self._deliver_preview,
            lambda message: self._post(self.previewFailed.emit, message),
        )
        should_stop = lambda: self.stop_requested  # noqa: E731
        try:
            if self.preview_enabled:
                self._previews.start()
            result = train(self.config, reporter, should_stop, data=data)
            if self.preview_enabled:
                if self.config.weight_averaging:  # fit() swapped in the averages
                    self._previews.snapshot(result.model, self.config.epochs)
                self._previews.finish(should_stop)
            if self.stop_requested:  # cancelled while the last preview was made
                raise TrainingCancelled("training was cancelled")
        finally:
            self._previews.close()  # after this no preview can arrive
            self._ended = True
        wrong = np.flatnonzero(result.test_predictions != data.y_test)
        return TrainingOutcome(
            result,
            data.x_test[wrong],
            data.y_test[wrong],
            result.test_predictions[wrong],
        )

    def _epoch_ended(self, progress: EpochProgress) -> None:
        self._post(self.epochEnded.emit, replace(progress, model=None))
        if self.preview_enabled and not self.stop_requested:
            self._previews.snapshot(progress.model, progress.epoch)

    def _deliver_preview(self, predictor: Any) -> None:
        if self.preview_enabled and not self.stop_requested and not self._ended:
            self._post(self.previewReady.emit, predictor)
