"""Small trained models for the unit-explanation tests, saved as the app saves them.

Each preset (and a designed network with branches, strided and padded convolutions,
average pooling and a separate softmax) is trained for a few batches on the MNIST
subset, so batch-norm statistics and weights are no longer their initial values,
then saved with ``modelfile.save_model``: the ``.tflite`` and ``.weights.npz`` the
app would use.
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from tests.support.data import MNIST_SUBSET

TRAIN_IMAGES = 192


def designed_network() -> Any:
    """A network the presets do not have: Inception-style concatenation, a strided
    'same' convolution, average pooling, tanh, a dense layer and a softmax layer."""
    import keras
    from keras import layers

    inputs = keras.Input((28, 28, 1), name="image")
    x = layers.Conv2D(8, 5, strides=2, padding="same", name="stem")(inputs)
    x = layers.Activation("tanh", name="stem_tanh")(x)
    a = layers.Conv2D(6, 1, activation="relu", name="branch_1x1")(x)
    b = layers.Conv2D(4, 3, padding="same", name="branch_3x3")(x)
    b = layers.BatchNormalization(name="branch_3x3_bn")(b)
    c = layers.MaxPooling2D(3, strides=1, padding="same", name="branch_pool")(x)
    x = layers.Concatenate(name="mix")([a, b, c])
    x = layers.AveragePooling2D(3, strides=2, padding="same", name="avg")(x)
    x = layers.LeakyReLU(0.1, name="leaky")(x)
    g = layers.GlobalMaxPooling2D(name="gmp")(x)
    f = layers.Flatten(name="flatten")(x)
    f = layers.Dropout(0.3, name="drop")(f)
    f = layers.Dense(16, activation="elu", name="dense")(f)
    x = layers.Concatenate(name="joined")([f, g])
    x = layers.Dense(10, name="logits")(x)
    outputs = layers.Activation("softmax", name="softmax")(x)
    return keras.Model(inputs, outputs, name="designed")


def preset_names() -> tuple[str, ...]:
    """Every preset the app can train (the network designer's presets where it is
    merged, else the architecture registry)."""
    try:
        from digitpad.core.networks.presets import PRESETS
    except ImportError:
        from digitpad.core.networks.architectures import ARCHITECTURES as PRESETS
    return tuple(PRESETS)


def build(name: str) -> Any:
    if name == "designed":
        return designed_network()
    try:
        from digitpad.core.networks.builder import build_preset
    except ImportError:
        from digitpad.core.networks.architectures import build_model as build_preset
    return build_preset(name)


@functools.cache
def trained_model(name: str) -> tuple[Any, Path]:
    """(Keras model, saved ``.keras`` path) after a few batches of training."""
    import keras

    from digitpad.core.models import modelfile

    with np.load(MNIST_SUBSET) as data:
        x = data["x_train"][:TRAIN_IMAGES, ..., None].astype(np.float32) / 255.0
        y = data["y_train"][:TRAIN_IMAGES]
    keras.utils.set_random_seed(1)
    model = build(name)
    model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(x, y, batch_size=64, epochs=1, verbose=0)
    folder = Path(tempfile.mkdtemp(prefix="digitpad-unit-"))
    meta = modelfile.make_metadata(model, architecture=name)
    return model, modelfile.save_model(model, folder / f"{name}.keras", meta)
