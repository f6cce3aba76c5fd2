"""The networks DigitPad offers ready-made, as specs: starting points, no special cases.

The first four are the architectures DigitPad has always trained (same layer names and
parameter counts, so models trained before specs existed, the shipped ``compact`` one
among them, still load and read as before); LeNet-5, a small AlexNet and a small
Inception follow the history a student reads about. Editing a preset makes a design.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from digitpad.core.networks.spec import LayerSpec, NetworkSpec, SpecError


@dataclass(frozen=True)
class Preset:
    name: str
    title: str
    description: str
    spec: NetworkSpec


def _layer(kind: str, name: str | None = None, **args: Any) -> LayerSpec:
    return LayerSpec(kind, args, name)


def _conv_bn_relu(filters: int, name: str) -> list[LayerSpec]:
    """Convolution, batch norm, ReLU: the unit every stronger preset is made of."""
    return [
        _layer(
            "Conv2D",
            name,
            filters=filters,
            kernel_size=3,
            padding="same",
            use_bias=False,
        ),
        _layer("BatchNormalization", f"{name}_bn"),
        _layer("ReLU", f"{name}_relu"),
    ]


def _head(units: int) -> list[LayerSpec]:
    return [
        _layer("Dense", units=units, activation="relu"),
        _layer("Dropout", rate=0.4),
    ]


def _pool() -> LayerSpec:
    return _layer("MaxPooling2D")


_TUTORIAL = [
    _layer("Conv2D", filters=32, kernel_size=3, activation="relu"),
    _pool(),
    _layer("Conv2D", filters=64, kernel_size=3, activation="relu"),
    _pool(),
    _layer("Conv2D", filters=64, kernel_size=3, activation="relu"),
    _layer("Flatten"),
    _layer("Dense", units=64, activation="relu"),
]
_COMPACT = [
    *_conv_bn_relu(32, "conv1"),
    _pool(),
    *_conv_bn_relu(48, "conv2"),
    _pool(),
    *_conv_bn_relu(96, "conv3"),
    _layer("Flatten"),
    *_head(128),
]
_VGG = [
    *_conv_bn_relu(32, "conv1a"),
    *_conv_bn_relu(32, "conv1b"),
    _pool(),
    *_conv_bn_relu(64, "conv2a"),
    *_conv_bn_relu(64, "conv2b"),
    _pool(),
    *_conv_bn_relu(128, "conv3"),
    _layer("GlobalAveragePooling2D"),
    *_head(128),
]
_RESNET = [
    *_conv_bn_relu(32, "stem"),
    _layer("ResidualBlock", filters=32),
    _pool(),
    _layer("ResidualBlock", filters=64),
    _pool(),
    _layer("ResidualBlock", filters=96),
    _layer("GlobalAveragePooling2D"),
    *_head(96),
]
# LeNet-5 (LeCun et al. 1998) on 28x28 instead of 32x32: C1 pads to keep 28x28, so C3
# sees the 14x14 maps the paper's C3 saw; C5 (a 5x5 convolution on 5x5 maps) is the
# Dense it amounts to. Tanh and average pooling, as in the paper.
_LENET5 = [
    _layer("Conv2D", filters=6, kernel_size=5, padding="same", activation="tanh"),
    _layer("AveragePooling2D", pool_size=2),
    _layer("Conv2D", filters=16, kernel_size=5, activation="tanh"),
    _layer("AveragePooling2D", pool_size=2),
    _layer("Flatten"),
    _layer("Dense", units=120, activation="tanh"),
    _layer("Dense", units=84, activation="tanh"),
]
# AlexNet's recipe at MNIST size: a large first kernel, overlapping 3x3 max pooling
# with stride 2, three 3x3 convolutions in a row, two wide dense layers with dropout.
_ALEXNET_SMALL = [
    _layer("Conv2D", filters=32, kernel_size=5, padding="same", activation="relu"),
    _layer("MaxPooling2D", pool_size=3, strides=2),
    _layer("Conv2D", filters=64, kernel_size=3, padding="same", activation="relu"),
    _layer("MaxPooling2D", pool_size=3, strides=2),
    _layer("Conv2D", filters=96, kernel_size=3, padding="same", activation="relu"),
    _layer("Conv2D", filters=96, kernel_size=3, padding="same", activation="relu"),
    _layer("Conv2D", filters=64, kernel_size=3, padding="same", activation="relu"),
    _layer("MaxPooling2D", pool_size=3, strides=2),
    _layer("Flatten"),
    _layer("Dense", units=256, activation="relu"),
    _layer("Dropout", rate=0.5),
    _layer("Dense", units=256, activation="relu"),
    _layer("Dropout", rate=0.5),
]
# GoogLeNet's idea, small: a convolution stem, then blocks that look through 1x1, 3x3
# and 5x5 windows at once and let training choose; global pooling instead of Flatten.
_INCEPTION_SMALL = [
    _layer("Conv2D", filters=32, kernel_size=3, padding="same", activation="relu"),
    _pool(),
    _layer(
        "InceptionBlock", filters_1x1=16, filters_3x3=32, filters_5x5=8, filters_pool=8
    ),
    _layer(
        "InceptionBlock",
        filters_1x1=32,
        filters_3x3=48,
        filters_5x5=16,
        filters_pool=16,
    ),
    _pool(),
    _layer(
        "InceptionBlock",
        filters_1x1=48,
        filters_3x3=64,
        filters_5x5=16,
        filters_pool=16,
    ),
    _layer("GlobalAveragePooling2D"),
    _layer("Dropout", rate=0.3),
]

PRESETS: dict[str, Preset] = {
    preset.name: preset
    for preset in (
        Preset(
            "tutorial",
            "Tutorial CNN",
            "The classic Keras MNIST tutorial: three "
            "convolutions, two poolings, two dense layers.",
            NetworkSpec("tutorial", tuple(_TUTORIAL)),
        ),
        Preset(
            "compact",
            "Compact CNN (batch norm)",
            "Tutorial-sized CNN with batch norm and dropout: fast live, more robust.",
            NetworkSpec("compact", tuple(_COMPACT)),
        ),
        Preset(
            "vgg",
            "Small VGG",
            "VGG-style stacks of 3x3 convolutions with batch "
            "norm: deeper, slower, strong.",
            NetworkSpec("vgg", tuple(_VGG)),
        ),
        Preset(
            "resnet",
            "Small ResNet",
            "Residual blocks whose shortcuts let gradients skip layers, as in ResNet.",
            NetworkSpec("resnet", tuple(_RESNET)),
        ),
        Preset(
            "lenet5",
            "LeNet-5 (1998)",
            "LeCun's digit network: two tanh "
            "convolutions with average pooling, then 120 and 84 units.",
            NetworkSpec("lenet5", tuple(_LENET5)),
        ),
        Preset(
            "alexnet_small",
            "Small AlexNet",
            "AlexNet's recipe at MNIST size: "
            "overlapping max pooling, three 3x3 convolutions in a row, wide dense "
            "layers with dropout.",
            NetworkSpec("alexnet_small", tuple(_ALEXNET_SMALL)),
        ),
        Preset(
            "inception_small",
            "Small Inception",
            "GoogLeNet-style blocks that "
            "look through 1x1, 3x3 and 5x5 windows at once, then global pooling.",
            NetworkSpec("inception_small", tuple(_INCEPTION_SMALL)),
        ),
    )
}
DEFAULT_PRESET = "tutorial"


def get_preset(name: str) -> Preset:
    """A preset by name; ``SpecError`` lists the valid names."""
    try:
        return PRESETS[name]
    except KeyError:
        valid = ", ".join(PRESETS)
        raise SpecError(
            f"unknown architecture {name!r} (choose from {valid})"
        ) from None


def preset_spec(name: str) -> NetworkSpec:
    return get_preset(name).spec


def architecture_title(name: str) -> str:
    """A preset's title, or the name itself (a design's name is its title)."""
    preset = PRESETS.get(name)
    return preset.title if preset else name
