"""The one builder: any checked spec to a fresh, uncompiled Keras model.

Layer names are the analysis's names (``shapes.analyze``), and a block's inner layers
are named ``<block>_...``, so the activation viewer shows every layer of a designed
network under the names the designer showed. Keras is imported only here, and only
when a model is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from digitpad.core.networks.schema import arg_value
from digitpad.core.networks.shapes import INPUT_SHAPE, NUM_CLASSES, analyze
from digitpad.core.networks.spec import (
    INPUT_NAME,
    OUTPUT_NAME,
    NetworkSpec,
    SpecError,
    keras_model_name,
)

if TYPE_CHECKING:
    import keras


def build_keras_model(spec: NetworkSpec) -> keras.Model:
    """A functional Keras model of ``spec``; ``SpecError`` if it cannot be built."""
    analysis = analyze(spec)
    if analysis.problems:
        first = analysis.problems[0]
        raise SpecError(str(first), first.layer_index)
    import keras
    from keras import layers

    inputs = keras.Input(INPUT_SHAPE, name=INPUT_NAME)
    x = inputs
    for layer, row in zip(spec.layers, analysis.rows, strict=False):
        x = _apply(layer.type, layer.args, row.name, x)
    if len(x.shape) == 4:
        x = layers.Flatten(name=analysis.rows[-2].name)(x)
    outputs = layers.Dense(NUM_CLASSES, activation="softmax", name=OUTPUT_NAME)(x)
    return keras.Model(inputs, outputs, name=keras_model_name(spec.name))


def _apply(kind: str, args: dict[str, Any], name: str, x: Any) -> Any:
    from keras import layers

    if kind == "ResidualBlock":
        return residual_block(x, name, **args)
    if kind == "InceptionBlock":
        return inception_block(x, name, **args)
    cls = getattr(layers, kind)  # the type is one of schema's allow-list
    return cls(**_keras_args(kind, args), name=name)(x)


def _keras_args(kind: str, args: dict[str, Any]) -> dict[str, Any]:
    """Only the arguments given, with pairs as tuples (what Keras's configs hold)."""
    return {
        key: tuple(value) if isinstance(value, list | tuple) else value
        for key, value in args.items()
    }


def residual_block(x: Any, name: str, filters: int, kernel_size: Any = 3) -> Any:
    """conv-BN-ReLU, conv-BN (both 'same', no bias), plus the input (a 1x1 convolution
    without bias when the channel count differs), then ReLU: ResNet's basic block."""
    from keras import layers

    kernel_size = arg_value(
        "ResidualBlock", {"kernel_size": kernel_size}, "kernel_size"
    )
    kernel = (
        tuple(kernel_size) if isinstance(kernel_size, list | tuple) else kernel_size
    )
    shortcut = x
    if x.shape[-1] != filters:
        shortcut = layers.Conv2D(filters, 1, use_bias=False, name=f"{name}_proj")(x)
    y = layers.Conv2D(
        filters, kernel, padding="same", use_bias=False, name=f"{name}_a"
    )(x)
    y = layers.BatchNormalization(name=f"{name}_a_bn")(y)
    y = layers.ReLU(name=f"{name}_a_relu")(y)
    y = layers.Conv2D(
        filters, kernel, padding="same", use_bias=False, name=f"{name}_b"
    )(y)
    y = layers.BatchNormalization(name=f"{name}_b_bn")(y)
    y = layers.Add(name=f"{name}_add")([shortcut, y])
    return layers.ReLU(name=f"{name}_out")(y)


def inception_block(
    x: Any,
    name: str,
    filters_1x1: int,
    filters_3x3: int,
    filters_5x5: int,
    filters_pool: int,
) -> Any:
    """Four branches on the same input, each convolution with ReLU, concatenated:
    1x1; 3x3 'same'; 5x5 'same'; 3x3 max-pool (stride 1, 'same') then 1x1."""
    from keras import layers

    def conv(filters: int, size: int, suffix: str, inputs: Any) -> Any:
        return layers.Conv2D(
            filters, size, padding="same", activation="relu", name=f"{name}{suffix}"
        )(inputs)

    b1 = conv(filters_1x1, 1, "_1x1", x)
    b3 = conv(filters_3x3, 3, "_3x3", x)
    b5 = conv(filters_5x5, 5, "_5x5", x)
    pooled = layers.MaxPooling2D(3, strides=1, padding="same", name=f"{name}_pool")(x)
    bp = conv(filters_pool, 1, "_pool_proj", pooled)
    return layers.Concatenate(name=f"{name}_concat")([b1, b3, b5, bp])


def build_preset(name: str) -> keras.Model:
    """A fresh model of the preset ``name`` (tests, benchmarks, the old model names)."""
    from digitpad.core.networks.presets import preset_spec

    return build_keras_model(preset_spec(name))
