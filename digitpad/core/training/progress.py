"""What a training run reports while it runs, and the Keras callback that reports it.

``BatchProgress`` after every batch and ``EpochProgress`` after every epoch go to a
``ProgressReporter`` (the CLI's progress bar, the GUI's worker, fine-tuning's own
loop). The callback also polls ``should_stop`` after every batch: raising there leaves
``fit()`` at once, so a cancel is felt within one batch.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from digitpad.core.errors import TrainingCancelled


@dataclass(frozen=True)
class BatchProgress:
    epoch: int  # 1-based
    epochs: int
    batch: int  # 1-based within the epoch
    batches: int
    loss: float
    accuracy: float
    eta_seconds: float

    @property
    def fraction(self) -> float:
        """How much of the whole run is done, 0..1."""
        return ((self.epoch - 1) * self.batches + self.batch) / (
            self.epochs * self.batches
        )


@dataclass(frozen=True)
class EpochProgress:
    epoch: int
    epochs: int
    loss: float
    accuracy: float
    val_loss: float | None
    val_accuracy: float | None
    eta_seconds: float
    model: Any = field(repr=False, default=None)  # the live Keras model, for previews


class ProgressReporter(Protocol):
    def batch_ended(self, progress: BatchProgress) -> None: ...

    def epoch_ended(self, progress: EpochProgress) -> None: ...


def progress_bridge(
    epochs: int,
    batches: int,
    reporter: ProgressReporter | None,
    should_stop: Callable[[], bool],
) -> Any:
    """A Keras callback built on first use, so importing this module needs no Keras."""
    import keras

    class ProgressBridge(_BridgeMixin, keras.callbacks.Callback):
        pass

    return ProgressBridge(epochs, batches, reporter, should_stop)


class _BridgeMixin:
    """Forwards progress to the reporter and polls ``should_stop`` after every batch."""

    def __init__(
        self,
        epochs: int,
        batches: int,
        reporter: ProgressReporter | None,
        should_stop: Callable[[], bool],
    ) -> None:
        super().__init__()
        self.epochs = epochs
        self.batches = batches
        self.reporter = reporter
        self.should_stop = should_stop
        self.cancelled = False
        self.epoch = 0
        self.started = time.monotonic()
        self.done_batches = 0

    def _eta(self) -> float:
        elapsed = time.monotonic() - self.started
        total = self.epochs * self.batches
        return elapsed / max(self.done_batches, 1) * (total - self.done_batches)

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self.epoch = epoch + 1

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self.done_batches += 1
        if self.should_stop():
            self.cancelled = True
            # raising leaves fit() at once; stop_training would still run validation
            raise TrainingCancelled("training was cancelled")
        if self.reporter is not None:
            logs = logs or {}
            self.reporter.batch_ended(
                BatchProgress(
                    epoch=self.epoch,
                    epochs=self.epochs,
                    batch=batch + 1,
                    batches=self.batches,
                    loss=float(logs.get("loss", np.nan)),
                    accuracy=float(logs.get("accuracy", np.nan)),
                    eta_seconds=self._eta(),
                )
            )

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if self.cancelled or self.reporter is None:
            return
        logs = logs or {}
        val_loss, val_acc = logs.get("val_loss"), logs.get("val_accuracy")
        self.reporter.epoch_ended(
            EpochProgress(
                epoch=epoch + 1,
                epochs=self.epochs,
                loss=float(logs.get("loss", np.nan)),
                accuracy=float(logs.get("accuracy", np.nan)),
                val_loss=None if val_loss is None else float(val_loss),
                val_accuracy=None if val_acc is None else float(val_acc),
                eta_seconds=self._eta(),
                model=self.model,
            )
        )
