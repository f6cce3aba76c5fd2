"""A training run as a job for the TensorFlow helper (``tensorflow_process``).

``run_training`` runs in the helper: it trains with ``core.training.trainer.train``,
sends
progress and, with "watch it learn", each epoch's LiteRT export as events, and returns
the results (``TrainedRun``, without the live model) plus the function that writes the
model to the scratch folder the app chose, so the app can show results first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from digitpad.core.errors import TrainingCancelled
from digitpad.core.paths import child_path, safe_stem
from digitpad.core.training.data import CHOOSE_ON_COMMAND_LINE
from digitpad.core.training.trainer import TrainConfig, TrainResult


@dataclass(frozen=True)
class TrainJob:
    config: TrainConfig
    scratch: str  # folder for the finished model (created by the parent)
    previews: bool
    choose_data: str = CHOOSE_ON_COMMAND_LINE  # how the user names a data file

    def run(
        self,
        send: Callable[[tuple], None],
        should_stop: Callable[[], bool],
        previews: Callable[[], bool],
    ) -> tuple[Any, Callable[[], None]]:
        """In the helper: the run's result and the function that saves its model."""
        return run_training(self, send, should_stop, previews)


@dataclass(frozen=True)
class TrainedRun:
    """What the parent gets back: the result without the live model, and the file."""

    result: TrainResult  # ``model`` is None: the model is at ``path``
    path: str  # the saved .keras (LiteRT export and sidecars beside it)
    wrong_images: np.ndarray  # (N, 28, 28) uint8 misclassified test digits
    wrong_true: np.ndarray
    wrong_predicted: np.ndarray


def run_training(
    job: TrainJob,
    send: Callable[[tuple], None],
    should_stop: Callable[[], bool],
    previews: Callable[[], bool],
) -> tuple[TrainedRun, Callable[[], None]]:
    """The run's result, and the function that saves its model to the scratch path."""
    from digitpad.core.models import modelfile
    from digitpad.core.models.library import training_metadata
    from digitpad.core.models.unit_weights import weights_bytes
    from digitpad.core.training.data import load_mnist
    from digitpad.core.training.progress_throttle import ThrottledReporter
    from digitpad.core.training.trainer import train

    config = job.config
    data = load_mnist(config.data_path, choose=job.choose_data)
    if should_stop():
        raise TrainingCancelled("training was cancelled")

    def epoch_ended(progress: Any) -> None:
        send(("epoch", replace(progress, model=None)))
        if not previews() or should_stop():
            return
        model = progress.model
        try:  # holds this process's lock for a moment; the app does not notice
            tflite = modelfile.export_tflite(model)
        except Exception as error:
            send(("preview_failed", f"No preview of epoch {progress.epoch}: {error}"))
            return
        metadata = preview_metadata(model, config, progress.epoch)
        kernels = modelfile.conv_kernels(model)
        weights = weights_bytes(progress.model)
        send(("preview", progress.epoch, tflite, metadata, kernels, weights))

    reporter = ThrottledReporter(lambda chunk: send(("batches", chunk)), epoch_ended)
    result = train(config, reporter, should_stop, data=data)
    if should_stop():
        raise TrainingCancelled("training was cancelled")
    path = child_path(job.scratch, f"{safe_stem(config.architecture)}.keras")
    metadata = training_metadata(result)
    wrong = np.flatnonzero(result.test_predictions != data.y_test)
    run = TrainedRun(
        replace(result, model=None),
        str(path),
        data.x_test[wrong],
        data.y_test[wrong],
        result.test_predictions[wrong],
    )
    return run, lambda: modelfile.save_model(result.model, path, metadata)


def preview_metadata(model: Any, config: TrainConfig, epoch: int) -> dict[str, Any]:
    from digitpad.core.models import modelfile

    return {
        "name": f"training preview, epoch {epoch} of {config.epochs}",
        "architecture": config.architecture,
        "layers": modelfile.describe_layers(model),
        "preview": True,
    }
