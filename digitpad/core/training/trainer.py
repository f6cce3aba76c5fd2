"""Training as a plain function: config in, model out, progress reported, stoppable.

``train(config, reporter, should_stop)`` is the one way DigitPad trains: the CLI wraps
it in a progress bar and the GUI in a worker thread. ``should_stop`` is polled after
every batch, so a cancel is felt within one batch; a cancelled run raises
``TrainingCancelled`` and returns nothing, so no caller can mistake a half-trained model
for a finished one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from digitpad.core.errors import TrainingCancelled
from digitpad.core.networks.presets import DEFAULT_PRESET, preset_spec
from digitpad.core.networks.spec import NetworkSpec, SpecError, spec_to_dict
from digitpad.core.quiet import import_tensorflow_quietly
from digitpad.core.training.augment import AugmentConfig, augment_batch
from digitpad.core.training.data import MnistData, load_mnist
from digitpad.core.training.evaluation import Evaluation, evaluate_predictions
from digitpad.core.training.progress import ProgressReporter, progress_bridge
from digitpad.core.training.stroke_digits import stroke_digit_images
from digitpad.core.training.styles import add_handwriting_styles

MAX_SEED = 2**32 - 1  # what NumPy's and TensorFlow's seeding accept


@dataclass(frozen=True)
class TrainConfig:
    """Everything that decides a training run; defaults reproduce the Keras tutorial.

    The network is ``spec``; given only ``architecture`` (a preset's name) it is that
    preset's spec, and given a spec, ``architecture`` becomes the spec's name (the name
    files and titles use). Plain data all through, so a job pickles to the helper.
    """

    architecture: str = DEFAULT_PRESET
    epochs: int = 5
    batch_size: int = 64
    learning_rate: float = 1e-3
    cosine_decay: bool = False
    weight_averaging: bool = False  # keep an exponential moving average of the weights
    augment: bool = False
    augmentation: AugmentConfig = field(default_factory=AugmentConfig)
    validation_split: float = 0.1
    seed: int = 0
    limit: int | None = None
    data_path: str | None = None
    # the file name of the model whose weights training continued from (None: fresh)
    start_from: str | None = None
    spec: NetworkSpec | None = field(default=None, compare=True)

    def __post_init__(self) -> None:
        if self.spec is None:
            object.__setattr__(self, "spec", preset_spec(self.architecture))
        elif not isinstance(self.spec, NetworkSpec):
            raise SpecError("the network must be a NetworkSpec")
        object.__setattr__(self, "architecture", self.spec.name)
        from digitpad.core.networks.shapes import analyze

        problems = analyze(self.spec).problems
        if problems:
            raise SpecError(str(problems[0]), problems[0].layer_index)
        if self.epochs < 1:
            raise ValueError("epochs must be at least 1")
        if self.batch_size < 1:
            raise ValueError("batch size must be at least 1")
        if not 0 < self.learning_rate < 1:
            raise ValueError("learning rate must be between 0 and 1")
        if not 0 <= self.validation_split < 0.5:
            raise ValueError("validation split must be in [0, 0.5)")
        seed = self.seed
        if not isinstance(seed, int | np.integer) or not 0 <= seed <= MAX_SEED:
            raise ValueError(f"seed must be a whole number from 0 to {MAX_SEED}")
        if self.limit is not None and self.limit < 10:
            raise ValueError("limit must be at least 10 images")

    def to_dict(self) -> dict[str, Any]:
        """The settings as JSON-ready data; the network as a spec document."""
        data = asdict(self)
        data["spec"] = spec_to_dict(self.spec)
        return data


@dataclass
class TrainResult:
    model: Any
    config: TrainConfig
    history: dict[str, list[float]]
    test: Evaluation
    test_predictions: np.ndarray
    seconds: float
    data_source: str
    # what one epoch saw: training images (styled copies included) and held-out ones
    train_images: int = 0
    validation_images: int = 0


def train(
    config: TrainConfig,
    reporter: ProgressReporter | None = None,
    should_stop: Callable[[], bool] | None = None,
    data: MnistData | None = None,
    start_model: Any = None,
) -> TrainResult:
    """Train a fresh model, or go on training ``start_model`` (a Keras model of
    ``config.architecture``, e.g. to add training data to a trained network without
    unlearning what it knows); ``TrainingCancelled`` if ``should_stop()`` turned true.
    """
    import_tensorflow_quietly()
    import keras

    started = time.monotonic()
    data = (data or load_mnist(config.data_path)).subset(config.limit, config.seed)
    keras.utils.set_random_seed(config.seed)
    train_ds, val_ds, batches, counts = _datasets(data, config)
    if start_model is not None:
        model = start_model
    else:
        from digitpad.core.networks.builder import build_keras_model

        model = build_keras_model(config.spec)
    model.compile(
        optimizer=keras.optimizers.Adam(
            _learning_rate(config, batches), use_ema=config.weight_averaging
        ),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    bridge = progress_bridge(
        config.epochs, batches, reporter, should_stop or (lambda: False)
    )
    history = model.fit(
        train_ds,
        validation_data=val_ds,
        epochs=config.epochs,
        callbacks=[bridge],
        shuffle=False,  # the dataset reshuffles itself every epoch
        verbose=0,
    )
    if bridge.cancelled or bridge.should_stop():  # a stop during the last batch
        raise TrainingCancelled("training was cancelled")
    x_test = data.x_test.astype(np.float32)[..., None] / 255.0
    probabilities = model.predict(x_test, batch_size=512, verbose=0)
    if bridge.should_stop():  # a stop during the final evaluation: still nothing
        raise TrainingCancelled("training was cancelled")
    predictions = np.argmax(probabilities, axis=1)
    return TrainResult(
        model=model,
        config=config,
        history={k: [float(v) for v in vs] for k, vs in history.history.items()},
        test=evaluate_predictions(data.y_test, predictions),
        test_predictions=predictions,
        seconds=time.monotonic() - started,
        data_source=data.source,
        train_images=counts[0],
        validation_images=counts[1],
    )


def _learning_rate(config: TrainConfig, batches: int) -> Any:
    if not config.cosine_decay:
        return config.learning_rate
    import keras

    return keras.optimizers.schedules.CosineDecay(
        config.learning_rate, decay_steps=batches * config.epochs, alpha=0.01
    )


def _datasets(
    data: MnistData, config: TrainConfig
) -> tuple[Any, Any, int, tuple[int, int]]:
    """Shuffled, batched (augmented) training data plus a held-out validation set,
    the batches per epoch and how many training and validation images there are."""
    import tensorflow as tf

    rng = np.random.default_rng(config.seed)
    order = rng.permutation(len(data.x_train))
    n_val = int(len(order) * config.validation_split)
    val_idx, train_idx = order[:n_val], order[n_val:]

    def to_float(x: np.ndarray) -> np.ndarray:
        return x.astype(np.float32)[..., None] / 255.0

    x_train, y_train = data.x_train[train_idx], data.y_train[train_idx]
    if config.augment:
        x_train, y_train = add_handwriting_styles(
            x_train, y_train, config.augmentation.styles, config.seed
        )
        if config.augmentation.stroke_digits > 0:
            count = round(len(train_idx) * config.augmentation.stroke_digits)
            strokes_x, strokes_y = stroke_digit_images(count, config.seed)
            x_train = np.concatenate([x_train, strokes_x])
            y_train = np.concatenate([y_train, strokes_y.astype(y_train.dtype)])
    x_train = to_float(x_train)
    train_ds = (
        tf.data.Dataset.from_tensor_slices((x_train, y_train.astype(np.int32)))
        .shuffle(len(x_train), seed=config.seed, reshuffle_each_iteration=True)
        .batch(config.batch_size)
    )
    if config.augment:
        strength = config.augmentation
        train_ds = train_ds.map(
            lambda x, y: (augment_batch(x, strength), y),
            num_parallel_calls=tf.data.AUTOTUNE,
        )
    train_ds = train_ds.prefetch(tf.data.AUTOTUNE)
    val_ds = None
    if n_val:
        val_ds = tf.data.Dataset.from_tensor_slices(
            (to_float(data.x_train[val_idx]), data.y_train[val_idx].astype(np.int32))
        ).batch(512)
    batches = -(-len(x_train) // config.batch_size)
    return train_ds, val_ds, batches, (len(x_train), n_val)
