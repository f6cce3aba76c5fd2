"""Training off the GUI thread: ``core.training.train`` inside a QObject worker.

The worker is moved to a QThread and started by its ``started`` signal, so TensorFlow
is imported there, on first use. Keras reports every batch; ``ThrottledReporter``
collects those reports and hands them on in chunks at most 5 times a second, so the
curves still get every batch while the GUI thread, which shares the cores with
TensorFlow, spends under 2% of one core redrawing them. Cancel is a
``threading.Event`` that ``train`` polls after each batch.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from digitpad.core.errors import DigitPadError, TrainingCancelled
from digitpad.core.training import BatchProgress, EpochProgress, TrainConfig
from digitpad.core.training_preview import TrainingPreviews

SIGNAL_INTERVAL = 0.2  # seconds between progress signals: at most 5 per second
TRAINING_NICENESS = 10  # how much lower than the GUI the training threads run


class ThrottledReporter:
    """A ``ProgressReporter`` that batches per-batch reports into timed chunks."""

    def __init__(
        self,
        emit_batches: Callable[[list[BatchProgress]], None],
        emit_epoch: Callable[[EpochProgress], None],
        interval: float = SIGNAL_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._emit_batches = emit_batches
        self._emit_epoch = emit_epoch
        self._interval = interval
        self._clock = clock
        self._pending: list[BatchProgress] = []
        self._last = -float("inf")

    def batch_ended(self, progress: BatchProgress) -> None:
        self._pending.append(progress)
        now = self._clock()
        if now - self._last >= self._interval or progress.batch == progress.batches:
            self.flush(now)

    def epoch_ended(self, progress: EpochProgress) -> None:
        self.flush()
        self._emit_epoch(progress)

    def flush(self, now: float | None = None) -> None:
        if self._pending:
            chunk, self._pending = self._pending, []
            self._emit_batches(chunk)
        self._last = self._clock() if now is None else now


@dataclass(frozen=True)
class TrainingOutcome:
    """A finished run plus the misclassified test digits for the gallery."""

    result: Any  # core.training.TrainResult
    wrong_images: np.ndarray  # (N, 28, 28) uint8, MNIST style (white on black)
    wrong_true: np.ndarray  # (N,) true labels
    wrong_predicted: np.ndarray  # (N,) predicted labels


class TrainingWorker(QObject):
    """Runs one training run; lives on a worker thread, talks only through signals."""

    batchesEnded = Signal(object)  # list[BatchProgress], every batch since the last
    epochEnded = Signal(object)  # EpochProgress (without the live model)
    previewReady = Signal(object)  # Predictor built from this epoch's weights
    previewFailed = Signal(str)  # one line: why an epoch has no preview
    trainingFinished = Signal(object)  # TrainingOutcome
    trainingCancelled = Signal()
    trainingFailed = Signal(str)  # one-line, user-facing message
    done = Signal()  # after any of the three above: time to quit the thread

    def __init__(self, config: TrainConfig, preview: bool = False) -> None:
        super().__init__()
        self.config = config
        self.preview_enabled = preview  # read per epoch; set from the GUI thread
        self._stop = threading.Event()
        self._ended = False  # the run is over: late previews are dropped

    def request_stop(self) -> None:
        """Thread-safe: ``train`` sees it after the current batch."""
        self._stop.set()

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set()

    @Slot()
    def run(self) -> None:
        lower_thread_priority()
        try:
            outcome = self._train()
        except TrainingCancelled:
            self.trainingCancelled.emit()
        except DigitPadError as error:
            self.trainingFailed.emit(str(error))
        except (ValueError, MemoryError, OSError) as error:
            self.trainingFailed.emit(f"Training failed: {error}")
        except Exception as error:  # TensorFlow raises a zoo of types; never crash
            self.trainingFailed.emit(
                f"Training failed: {type(error).__name__}: {error}"
            )
        else:
            self.trainingFinished.emit(outcome)
        self.done.emit()

    def _train(self) -> TrainingOutcome:
        from digitpad.core.data import load_mnist
        from digitpad.core.training import train

        data = load_mnist(self.config.data_path)
        if self.stop_requested:  # cancelled while TensorFlow was still loading
            raise TrainingCancelled("training was cancelled")
        reporter = ThrottledReporter(self.batchesEnded.emit, self._epoch_ended)
        self._previews = TrainingPreviews(
            self.config, self._deliver_preview, self.previewFailed.emit
        )
        try:
            if self.preview_enabled:
                self._previews.start()
            result = train(self.config, reporter, self._stop.is_set, data=data)
            if self.preview_enabled:
                if self.config.weight_averaging:  # fit() swapped in the averages
                    self._previews.snapshot(result.model, self.config.epochs)
                self._previews.finish(self._stop.is_set)
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
        self.epochEnded.emit(replace(progress, model=None))
        if self.preview_enabled and not self.stop_requested:
            self._previews.snapshot(progress.model, progress.epoch)

    def _deliver_preview(self, predictor: Any) -> None:
        if self.preview_enabled and not self.stop_requested and not self._ended:
            self.previewReady.emit(predictor)


def lower_thread_priority(niceness: int | None = None) -> None:
    """Make this thread, and every thread it starts, yield the CPU to the GUI thread.

    Linux keeps a nice value per thread and new threads inherit it, so the TensorFlow
    and tf.data thread pools created by this (training) thread inherit it as well. On
    an idle machine this costs no speed; when the cores are busy, drawing wins. Where
    per-thread priorities do not exist this quietly does nothing.
    """
    niceness = TRAINING_NICENESS if niceness is None else niceness
    if not sys.platform.startswith("linux") or niceness <= 0:
        return
    try:
        thread = threading.get_native_id()
        current = os.getpriority(os.PRIO_PROCESS, thread)
        os.setpriority(os.PRIO_PROCESS, thread, min(current + niceness, 19))
    except (AttributeError, OSError):
        pass
