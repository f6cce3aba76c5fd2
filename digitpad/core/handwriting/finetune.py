"""Fine-tuning the current model on the user's own drawings, measured honestly.

``finetune(base, drawings, labels, config, reporter, should_stop)`` follows
``training.trainer.train``: a plain function the CLI wraps in a progress bar and the GUI
in a
worker thread, polling ``should_stop`` after every batch (``TrainingCancelled`` then,
never a half-trained model). The recipe, and why:

- each drawing becomes ``repeats`` variants distorted in stroke space and rendered by
  the app's own preprocessing (``stroke_augment``), so 50 drawings are 600 images;
- MNIST training images are mixed in (``replay_ratio`` per user image, fresh each
  epoch) so the network keeps reading other people's digits;
- batch-norm layers are frozen (their statistics stay MNIST's): with 50 drawings a
  batch's statistics are mostly the user's, and updating them shifts every layer's
  input for everyone else's digits;
- a small learning rate and a few epochs keep the steps gentle. (Label smoothing
  was tried and hurt: on a confident base model it pulls every MNIST answer too.)

Honest numbers: the user's digits "before" are read by the base model (which never saw
them); "after" by k-fold cross-validation, each fold's drawings read by a model
fine-tuned on the other folds only (``cross_validation_folds``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from digitpad.core.errors import InputError
from digitpad.core.handwriting.finetune_fit import FitPlan, Trainer
from digitpad.core.handwriting.labelled import check_label
from digitpad.core.handwriting.samples import missing_digits
from digitpad.core.ink.drawing import Drawing
from digitpad.core.training.data import MnistData, load_mnist
from digitpad.core.training.evaluation import Evaluation, evaluate_predictions
from digitpad.core.training.progress import ProgressReporter
from digitpad.core.training.stroke_augment import (
    StrokeAugmentConfig,
    render_plain,
    render_variants,
)

MAX_REPLAY = 100.0  # MNIST images per user image; more is MNIST training, not tuning


@dataclass(frozen=True)
class FinetuneConfig:
    """Everything that decides a fine-tuning run."""

    epochs: int = 3
    learning_rate: float = 3e-4
    batch_size: int = 64
    repeats: int = 12  # variants of each user drawing per epoch
    replay_ratio: float = 3.0  # MNIST images per user image
    label_smoothing: float = 0.0
    freeze_batchnorm: bool = True
    folds: int = 5  # cross-validation folds for the honest "after"; 0 skips it
    mnist_test_limit: int | None = None  # None: the whole MNIST test set
    seed: int = 0
    data_path: str | None = None
    augmentation: StrokeAugmentConfig = field(default_factory=StrokeAugmentConfig)

    def __post_init__(self) -> None:
        """Every value checked here, where CLI and GUI runs both pass: a NaN or a
        negative seed once ended in a traceback from deep inside numpy."""
        if self.epochs < 1:
            raise ValueError("epochs must be at least 1")
        if self.batch_size < 1 or self.repeats < 1:
            raise ValueError("batch size and repeats must be at least 1")
        if not 0 < self.learning_rate < 1:  # also refuses NaN
            raise ValueError("learning rate must be between 0 and 1")
        if not 0 <= self.replay_ratio <= MAX_REPLAY:  # also refuses NaN, infinity
            raise ValueError(f"replay ratio must be a number from 0 to {MAX_REPLAY}")
        if self.folds == 1 or self.folds < 0:
            raise ValueError("cross-validation needs 0 (off) or at least 2 folds")
        if not 0 <= self.seed < 2**32:
            raise ValueError("seed must be a whole number from 0 to 4294967295")
        if self.mnist_test_limit is not None and self.mnist_test_limit < 1:
            raise ValueError("the MNIST test needs at least 1 image")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class FinetuneResult:
    """The fine-tuned model and what changed, measured on data it never trained on."""

    model: Any
    config: FinetuneConfig
    sample_count: int
    labels: np.ndarray  # the user's labels, in the order of the drawings
    history: dict[str, list[float]]
    own_before: Evaluation  # the base model on every user drawing
    own_after: Evaluation | None  # cross-validated; None when folds == 0
    before_predictions: np.ndarray
    after_predictions: np.ndarray | None  # each from the fold model that left it out
    folds: list[np.ndarray]  # the held-out indices of each fold, as used
    mnist_before: Evaluation
    mnist_after: Evaluation
    seconds: float
    data_source: str

    @property
    def now_reads(self) -> list[int]:
        """Indices of the user's drawings the base misread and fine-tuning reads."""
        return self._changed(lambda before, after: not before and after)

    @property
    def no_longer_reads(self) -> list[int]:
        return self._changed(lambda before, after: before and not after)

    def _changed(self, rule: Callable[[bool, bool], bool]) -> list[int]:
        if self.after_predictions is None:
            return []
        labels = self.labels
        return [
            i
            for i, (b, a) in enumerate(
                zip(self.before_predictions, self.after_predictions, strict=True)
            )
            if rule(bool(b == labels[i]), bool(a == labels[i]))
        ]


def check_samples(drawings: Sequence[Drawing], labels: Sequence[Any]) -> np.ndarray:
    """Labels as an array, or an ``InputError`` saying what stops a fine-tune."""
    if len(drawings) != len(labels):
        raise InputError(None, "need exactly one label per drawing")
    checked = []
    for index, (drawing, label) in enumerate(zip(drawings, labels, strict=True)):
        checked.append(check_label(label, f"sample {index}"))
        if drawing.is_empty:
            raise InputError(f"sample {index}", "drawing has no ink")
    missing = missing_digits(checked)
    if missing:
        digits = ", ".join(map(str, missing))
        raise InputError(
            None, f"no sample of {digits}: fine-tuning needs one of every digit"
        )
    return np.asarray(checked, dtype=np.int64)


def cross_validation_folds(labels: np.ndarray, k: int, seed: int) -> list[np.ndarray]:
    """k disjoint held-out index sets covering every sample, each digit spread evenly.

    With fewer samples than folds, there are as many folds as samples (leave-one-out).
    """
    k = min(k, len(labels))
    rng = np.random.default_rng(seed)
    assignment = np.empty(len(labels), dtype=np.int64)
    offset = 0
    for digit in range(10):
        members = rng.permutation(np.flatnonzero(labels == digit))
        assignment[members] = (np.arange(len(members)) + offset) % k
        offset += len(members)  # digits with few samples do not all land in fold 0
    return [np.flatnonzero(assignment == fold) for fold in range(k)]


def finetune(
    base: Any,
    drawings: Sequence[Drawing],
    labels: Sequence[int],
    config: FinetuneConfig | None = None,
    reporter: ProgressReporter | None = None,
    should_stop: Callable[[], bool] | None = None,
    data: MnistData | None = None,
) -> FinetuneResult:
    """Fine-tune a copy of the Keras model ``base`` (left unchanged) on the drawings.

    The final model trains first (its epochs reach ``reporter.epoch_ended`` with the
    live model, for "watch it learn"), then one model per cross-validation fold; the
    progress bar covers all of them.
    """
    config = config or FinetuneConfig()
    started = time.monotonic()
    y = check_samples(drawings, labels)
    data = data or load_mnist(config.data_path)
    rng = np.random.default_rng(config.seed)
    plain = render_plain(drawings)
    variants = render_variants(drawings, config.repeats, rng, config.augmentation)
    folds = cross_validation_folds(y, config.folds, config.seed) if config.folds else []
    plan = FitPlan(
        epochs=config.epochs,
        stages=1 + len(folds),
        batches=_batches(len(drawings), config),
    )
    stop = should_stop or (lambda: False)
    trainer = Trainer(base, config, plan, data, reporter, stop)
    mnist_x, mnist_y = _mnist_test(data, config)
    before = trainer.predict(trainer.base_weights, plain)
    mnist_before = trainer.predict(trainer.base_weights, mnist_x)

    everyone = np.arange(len(drawings))
    history = trainer.fit(0, variants, y, everyone, rng, live=True)
    mnist_after = trainer.predict(None, mnist_x)
    model = trainer.detached_model()
    after = None
    if folds:
        after = np.empty(len(drawings), dtype=np.int64)
        for stage, held_out in enumerate(folds, start=1):
            kept = np.setdiff1d(everyone, held_out)
            trainer.fit(stage, variants, y, kept, rng, live=False)
            after[held_out] = trainer.predict(None, plain[held_out])
    return FinetuneResult(
        model=model,
        config=config,
        sample_count=len(drawings),
        labels=y,
        history=history,
        own_before=evaluate_predictions(y, before),
        own_after=None if after is None else evaluate_predictions(y, after),
        before_predictions=before,
        after_predictions=after,
        folds=folds,
        mnist_before=evaluate_predictions(mnist_y, mnist_before),
        mnist_after=evaluate_predictions(mnist_y, mnist_after),
        seconds=time.monotonic() - started,
        data_source=data.source,
    )


def _batches(samples: int, config: FinetuneConfig) -> int:
    own = samples * config.repeats
    return -(-(own + int(own * config.replay_ratio)) // config.batch_size)


def _mnist_test(data: MnistData, config: FinetuneConfig) -> tuple[np.ndarray, Any]:
    x, y = data.x_test, data.y_test
    if config.mnist_test_limit is not None and config.mnist_test_limit < len(x):
        index = np.random.default_rng(config.seed).permutation(len(x))
        index = np.sort(index[: config.mnist_test_limit])
        x, y = x[index], y[index]
    return x.astype(np.float32) / 255.0, y


def finetune_metadata(
    result: FinetuneResult, base_path: Any, base_metadata: dict[str, Any]
) -> dict[str, Any]:
    """Metadata for a kept fine-tuned model: its base, the recipe, what it saw."""
    from pathlib import Path

    from digitpad.core.models import modelfile

    mnist = result.mnist_after
    architecture = str(base_metadata.get("architecture") or result.model.name)
    base_name = base_metadata.get("display_name") or Path(str(base_path)).stem
    own = result.own_after
    training = {
        "kind": "finetune",
        **result.config.to_dict(),
        "base_model": str(base_name),
        "data_source": result.data_source,
        "seconds": round(float(result.seconds), 1),
        "history": result.history,
        "test_accuracy": mnist.accuracy,
        "test_count": mnist.count,
        "base_test_accuracy": result.mnist_before.accuracy,
        "user_accuracy_before": result.own_before.accuracy,
        "user_accuracy_after_cross_validated": None if own is None else own.accuracy,
    }
    return modelfile.make_metadata(
        result.model,
        architecture=architecture,
        training=training,
        # an MNIST figure only when measured on the whole MNIST test set
        mnist_test_accuracy=mnist.accuracy if mnist.count == 10_000 else None,
        extra={
            "display_name": f"{base_name}, fine-tuned on "
            f"{result.sample_count} of your drawings",
            "user_samples": result.sample_count,
            # fine-tuning changes the weights, not the network: keep the base's spec
            **(
                {"network": base_metadata["network"]}
                if "network" in base_metadata
                else {}
            ),
        },
    )
