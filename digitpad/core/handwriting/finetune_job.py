"""Fine-tuning in the training helper process, the same way a training run goes.

The parent sends a ``FinetuneJob`` instead of a ``TrainJob`` to
``python -m digitpad.core.helpers.tensorflow_process`` (whose ``_serve`` hands it
here); the events are a training run's: ("ready",) (from the helper), ("batches", ...),
("epoch", ...),
("preview", ...) for the final model's epochs, then one of ("finished",
``FinetunedRun``), ("cancelled",) or ("failed", text). The base model is read from
its ``.keras`` file in the helper, so the app never loads TensorFlow, and the result
is saved with ``finetune_metadata`` to the parent's scratch folder: keeping it is a
rename, as for any run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from digitpad.core.errors import TrainingCancelled
from digitpad.core.handwriting.finetune import FinetuneConfig
from digitpad.core.ink.drawing import Drawing
from digitpad.core.paths import child_path, safe_stem
from digitpad.core.training.data import CHOOSE_ON_COMMAND_LINE
from digitpad.core.training.evaluation import Evaluation


@dataclass(frozen=True)
class FinetuneJob:
    base_path: str  # the current model's .keras
    drawings: list[Drawing]
    labels: list[int]
    sample_ids: list[str]  # to name the samples that changed, in the same order
    config: FinetuneConfig
    scratch: str
    previews: bool
    choose_data: str = CHOOSE_ON_COMMAND_LINE  # how the user names a data file

    def run(
        self,
        send: Callable[[tuple], None],
        should_stop: Callable[[], bool],
        previews: Callable[[], bool],
    ) -> tuple[Any, Callable[[], None]]:
        """In the helper: the run's result and the function that saves its model."""
        return run_finetune(self, send, should_stop, previews)


@dataclass(frozen=True)
class FinetunedRun:
    """What changed, measured honestly (``core.handwriting.finetune``); where it is."""

    path: str
    base_name: str
    sample_count: int
    own_before: Evaluation
    own_after: Evaluation | None  # cross-validated
    mnist_before: Evaluation
    mnist_after: Evaluation
    now_reads: list[str]  # sample ids the base misread and the fine-tuned model reads
    no_longer_reads: list[str]
    seconds: float
    history: dict[str, list[float]]


def run_finetune(
    job: FinetuneJob,
    send: Callable[[tuple], None],
    should_stop: Callable[[], bool],
    previews: Callable[[], bool],
) -> tuple[FinetunedRun, Callable[[], None]]:
    """In the helper: fine-tune; return the summary and the function that saves the
    model to the scratch folder (called right after the summary is sent)."""
    from digitpad.core.handwriting.finetune import finetune, finetune_metadata
    from digitpad.core.models import modelfile
    from digitpad.core.models.unit_weights import weights_bytes
    from digitpad.core.quiet import import_tensorflow_quietly
    from digitpad.core.training.data import load_mnist
    from digitpad.core.training.progress_throttle import ThrottledReporter

    import_tensorflow_quietly()  # loaded already in the helper: a no-op there
    config = job.config
    data = load_mnist(config.data_path, choose=job.choose_data)
    base_metadata = modelfile.read_metadata(job.base_path)
    base = modelfile.load_keras_model(job.base_path)
    architecture = str(base_metadata.get("architecture") or base.name)
    if should_stop():
        raise TrainingCancelled("fine-tuning was cancelled")

    def epoch_ended(progress: Any) -> None:
        send(("epoch", replace(progress, model=None)))
        if not previews() or should_stop() or progress.model is None:
            return
        try:
            tflite = modelfile.export_tflite(progress.model)
        except Exception as error:
            send(("preview_failed", f"No preview of epoch {progress.epoch}: {error}"))
            return
        metadata = {
            "name": f"fine-tuning preview, epoch {progress.epoch}",
            "architecture": architecture,
            "layers": modelfile.describe_layers(progress.model),
            "preview": True,
        }
        kernels = modelfile.conv_kernels(progress.model)
        weights = weights_bytes(progress.model)
        send(("preview", progress.epoch, tflite, metadata, kernels, weights))

    reporter = ThrottledReporter(lambda chunk: send(("batches", chunk)), epoch_ended)
    result = finetune(
        base, job.drawings, job.labels, config, reporter, should_stop, data=data
    )
    if should_stop():
        raise TrainingCancelled("fine-tuning was cancelled")
    metadata = finetune_metadata(result, job.base_path, base_metadata)
    # the architecture is metadata, i.e. data: "../../x" must not leave the scratch
    path = child_path(job.scratch, f"{safe_stem(architecture)}-finetuned.keras")
    ids = job.sample_ids
    run = FinetunedRun(
        path=str(path),
        base_name=str(base_metadata.get("display_name") or Path(job.base_path).stem),
        sample_count=result.sample_count,
        own_before=result.own_before,
        own_after=result.own_after,
        mnist_before=result.mnist_before,
        mnist_after=result.mnist_after,
        now_reads=[ids[i] for i in result.now_reads],
        no_longer_reads=[ids[i] for i in result.no_longer_reads],
        seconds=float(result.seconds),
        history=result.history,
    )
    return run, lambda: modelfile.save_model(result.model, path, metadata)
