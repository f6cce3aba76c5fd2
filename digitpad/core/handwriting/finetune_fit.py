"""The training loop behind ``finetune``: one compiled copy of the base model, reused.

Cross-validation trains k+1 models from the same base. Compiling (and tracing) a model
costs more than a short fine-tune, so one copy is compiled once and every stage starts
by restoring the base weights and zeroing the optimizer's state.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from digitpad.core.errors import TrainingCancelled
from digitpad.core.models import modelfile
from digitpad.core.quiet import import_tensorflow_quietly
from digitpad.core.training.data import MnistData
from digitpad.core.training.progress import (
    BatchProgress,
    EpochProgress,
    ProgressReporter,
)


@dataclass(frozen=True)
class FitPlan:
    """The shape of a whole run, so one progress bar spans every stage."""

    epochs: int  # per stage
    stages: int  # 1 (the final model) + cross-validation folds
    batches: int  # per epoch (folds have a few less: they see fewer drawings)


class Trainer:
    def __init__(
        self,
        base: Any,
        config: Any,
        plan: FitPlan,
        data: MnistData,
        reporter: ProgressReporter | None,
        should_stop: Callable[[], bool],
    ) -> None:
        import_tensorflow_quietly()
        import keras

        keras.utils.set_random_seed(config.seed)
        self.config, self.plan, self.data = config, plan, data
        self.reporter, self.should_stop = reporter, should_stop
        self.model = modelfile.detached_copy(base)
        self.frozen = []
        if config.freeze_batchnorm:
            for layer in self.model.layers:
                if isinstance(layer, keras.layers.BatchNormalization):
                    layer.trainable = False  # also runs it in inference mode
                    self.frozen.append(layer.name)
        self.model.compile(
            optimizer=keras.optimizers.Adam(config.learning_rate),
            loss=keras.losses.CategoricalCrossentropy(
                label_smoothing=config.label_smoothing
            ),
            metrics=["accuracy"],
        )
        self.base_weights = self.model.get_weights()
        self.model.optimizer.build(self.model.trainable_variables)
        # zeros for moments and step count, but the learning rate is a variable too
        self.optimizer_start = [v.numpy() for v in self.model.optimizer.variables]
        self.done_batches = 0
        self.started = time.monotonic()

    def weights(self) -> list[np.ndarray]:
        return self.model.get_weights()

    def predict(self, weights: list[np.ndarray] | None, images: np.ndarray) -> Any:
        """Predicted digits for float (N, 28, 28) images, with ``weights`` if given."""
        if weights is not None:
            self.model.set_weights(weights)
        batch = images.reshape(-1, 28, 28, 1)
        probabilities = self.model.predict(batch, batch_size=512, verbose=0)
        return np.argmax(probabilities, axis=1)

    def detached_model(self) -> Any:
        """An uncompiled copy of the current weights, batch norm trainable again."""
        copy = modelfile.detached_copy(self.model)
        for layer in copy.layers:
            if layer.name in self.frozen:
                layer.trainable = True
        return copy

    def fit(
        self,
        stage: int,
        variants: np.ndarray,
        labels: np.ndarray,
        samples: np.ndarray,
        rng: np.random.Generator,
        live: bool,
    ) -> dict[str, list[float]]:
        """Train from the base weights on the variants of ``samples`` (indices)."""
        import keras

        self.model.set_weights(self.base_weights)
        for variable, value in zip(
            self.model.optimizer.variables, self.optimizer_start, strict=True
        ):
            variable.assign(value)
        repeats = self.config.repeats
        rows = (samples[:, None] * repeats + np.arange(repeats)).ravel()
        own_x, own_y = variants[rows], np.repeat(labels[samples], repeats)
        keep = own_x.reshape(len(own_x), -1).max(axis=1) > 0  # drop blank renders
        own_x, own_y = own_x[keep], own_y[keep]
        history: dict[str, list[float]] = {"loss": [], "accuracy": []}
        bridge = _bridge(self, stage, live)
        for epoch in range(self.plan.epochs):
            x, y = self._epoch_data(own_x, own_y, rng)
            bridge.epoch = epoch
            logs = self.model.fit(
                x[..., None],
                keras.utils.to_categorical(y, 10),
                batch_size=self.config.batch_size,
                epochs=1,
                shuffle=False,  # _epoch_data shuffled
                callbacks=[bridge],
                verbose=0,
            ).history
            for key in history:
                history[key].append(float(logs[key][-1]))
        return history

    def _epoch_data(
        self, own_x: np.ndarray, own_y: np.ndarray, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        """The user's variants plus a fresh draw of MNIST replay, shuffled together."""
        n_replay = int(len(own_x) * self.config.replay_ratio)
        pick = rng.integers(0, len(self.data.x_train), n_replay)
        replay_x = self.data.x_train[pick].astype(np.float32) / 255.0
        x = np.concatenate([own_x, replay_x])
        y = np.concatenate([own_y, self.data.y_train[pick].astype(np.int64)])
        order = rng.permutation(len(x))
        return x[order], y[order]

    def batch_ended(self, stage: int, epoch: int, batch: int, logs: dict) -> None:
        self.done_batches += 1
        if self.should_stop():
            raise TrainingCancelled("fine-tuning was cancelled")
        if self.reporter is None:
            return
        plan = self.plan
        total = plan.stages * plan.epochs * plan.batches
        elapsed = time.monotonic() - self.started
        eta = elapsed / self.done_batches * max(total - self.done_batches, 0)
        self.reporter.batch_ended(
            BatchProgress(
                epoch=stage * plan.epochs + epoch + 1,
                epochs=plan.stages * plan.epochs,
                batch=min(batch + 1, plan.batches),
                batches=plan.batches,
                loss=float(logs.get("loss", np.nan)),
                accuracy=float(logs.get("accuracy", np.nan)),
                eta_seconds=eta,
            )
        )

    def epoch_ended(self, stage: int, epoch: int, logs: dict) -> None:
        if self.reporter is None:
            return
        plan = self.plan
        self.reporter.epoch_ended(
            EpochProgress(
                epoch=stage * plan.epochs + epoch + 1,
                epochs=plan.stages * plan.epochs,
                loss=float(logs.get("loss", np.nan)),
                accuracy=float(logs.get("accuracy", np.nan)),
                val_loss=None,
                val_accuracy=None,
                eta_seconds=0.0,
                model=self.model,
            )
        )


def _bridge(trainer: Trainer, stage: int, live: bool) -> Any:
    """A Keras callback built on first use, so importing this module needs no Keras."""
    import keras

    class FitBridge(keras.callbacks.Callback):
        epoch = 0

        def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
            trainer.batch_ended(stage, self.epoch, batch, logs or {})

        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            if live:  # only the final model's epochs are worth watching
                trainer.epoch_ended(stage, self.epoch, logs or {})

    return FitBridge()
