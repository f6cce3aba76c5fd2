"""DigitPad's architectures as they were hand-written before network specs (the
reference the presets must equal: same layers, names and parameter counts).

The original module docstring:
The network architectures DigitPad can train, by name.

The registry itself is plain data so the GUI can list names, descriptions and parameter
counts without importing TensorFlow; ``build_model`` imports Keras only when called.
Layers get short, explicit names because the activation viewer shows them to students.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import keras

INPUT_SHAPE = (28, 28, 1)
NUM_CLASSES = 10


@dataclass(frozen=True)
class Architecture:
    """A named architecture; tests check ``parameters`` against the built model."""

    name: str
    title: str
    description: str
    parameters: int
    builder: Callable[[], keras.Model]


def _tutorial() -> keras.Model:
    from keras import Input, Sequential, layers

    return Sequential(
        [
            Input(INPUT_SHAPE, name="image"),
            layers.Conv2D(32, 3, activation="relu", name="conv1"),
            layers.MaxPooling2D(name="pool1"),
            layers.Conv2D(64, 3, activation="relu", name="conv2"),
            layers.MaxPooling2D(name="pool2"),
            layers.Conv2D(64, 3, activation="relu", name="conv3"),
            layers.Flatten(name="flatten"),
            layers.Dense(64, activation="relu", name="dense"),
            layers.Dense(NUM_CLASSES, activation="softmax", name="softmax"),
        ],
        name="tutorial",
    )


def _conv_bn_relu(x, filters: int, name: str):
    """Convolution, batch norm, ReLU: the block every stronger net here is made of."""
    from keras import layers

    x = layers.Conv2D(filters, 3, padding="same", use_bias=False, name=name)(x)
    x = layers.BatchNormalization(name=f"{name}_bn")(x)
    return layers.ReLU(name=f"{name}_relu")(x)


def _head(x, units: int):
    from keras import layers

    x = layers.Dense(units, activation="relu", name="dense")(x)
    x = layers.Dropout(0.4, name="dropout")(x)
    return layers.Dense(NUM_CLASSES, activation="softmax", name="softmax")(x)


def _compact() -> keras.Model:
    import keras
    from keras import layers

    inputs = keras.Input(INPUT_SHAPE, name="image")
    x = _conv_bn_relu(inputs, 32, "conv1")
    x = layers.MaxPooling2D(name="pool1")(x)
    x = _conv_bn_relu(x, 48, "conv2")
    x = layers.MaxPooling2D(name="pool2")(x)
    x = _conv_bn_relu(x, 96, "conv3")
    x = layers.Flatten(name="flatten")(x)
    return keras.Model(inputs, _head(x, 128), name="compact")


def _vgg() -> keras.Model:
    import keras
    from keras import layers

    inputs = keras.Input(INPUT_SHAPE, name="image")
    x = _conv_bn_relu(inputs, 32, "conv1a")
    x = _conv_bn_relu(x, 32, "conv1b")
    x = layers.MaxPooling2D(name="pool1")(x)
    x = _conv_bn_relu(x, 64, "conv2a")
    x = _conv_bn_relu(x, 64, "conv2b")
    x = layers.MaxPooling2D(name="pool2")(x)
    x = _conv_bn_relu(x, 128, "conv3")
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    return keras.Model(inputs, _head(x, 128), name="vgg")


def _residual_block(x, filters: int, name: str):
    """Two 3x3 convolutions plus an identity (or 1x1) shortcut, ResNet style."""
    from keras import layers

    shortcut = x
    if x.shape[-1] != filters:
        shortcut = layers.Conv2D(filters, 1, use_bias=False, name=f"{name}_proj")(x)
    y = _conv_bn_relu(x, filters, f"{name}_a")
    y = layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"{name}_b")(y)
    y = layers.BatchNormalization(name=f"{name}_b_bn")(y)
    y = layers.Add(name=f"{name}_add")([shortcut, y])
    return layers.ReLU(name=f"{name}_out")(y)


def _resnet() -> keras.Model:
    import keras
    from keras import layers

    inputs = keras.Input(INPUT_SHAPE, name="image")
    x = _conv_bn_relu(inputs, 32, "stem")
    x = _residual_block(x, 32, "res1")
    x = layers.MaxPooling2D(name="pool1")(x)
    x = _residual_block(x, 64, "res2")
    x = layers.MaxPooling2D(name="pool2")(x)
    x = _residual_block(x, 96, "res3")
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    return keras.Model(inputs, _head(x, 96), name="resnet")


ARCHITECTURES: dict[str, Architecture] = {
    arch.name: arch
    for arch in (
        Architecture(
            "tutorial",
            "Tutorial CNN",
            "The classic Keras MNIST tutorial: three convolutions, two poolings, "
            "two dense layers.",
            93322,
            _tutorial,
        ),
        Architecture(
            "compact",
            "Compact CNN (batch norm)",
            "Tutorial-sized CNN with batch norm and dropout: fast live, more robust.",
            659818,
            _compact,
        ),
        Architecture(
            "vgg",
            "Small VGG",
            "VGG-style stacks of 3x3 convolutions with batch norm: deeper, "
            "slower, strong.",
            157610,
            _vgg,
        ),
        Architecture(
            "resnet",
            "Small ResNet",
            "Residual blocks whose shortcuts let gradients skip layers, as in ResNet.",
            232394,
            _resnet,
        ),
    )
}

DEFAULT_ARCHITECTURE = "tutorial"


def get_architecture(name: str) -> Architecture:
    """Look an architecture up by name, with the valid names in the error."""
    try:
        return ARCHITECTURES[name]
    except KeyError:
        valid = ", ".join(ARCHITECTURES)
        raise ValueError(
            f"unknown architecture {name!r} (choose from {valid})"
        ) from None


def build_model(name: str) -> keras.Model:
    """A fresh, uncompiled Keras model of the named architecture."""
    return get_architecture(name).builder()
