"""The Keras code of a spec: a script that builds exactly this network when pasted.

What the designer shows and ``digitpad arch --keras`` prints, so a student can take a
design out of DigitPad into plain Keras. The script is self-contained (it imports
keras and defines ``model``); blocks become small helper functions in it, written as
the builder writes them. Every value comes from a checked spec and is written as a
Python literal, so the text can hold nothing but what the spec says.
"""

from __future__ import annotations

import json
from typing import Any

from digitpad.core.networks.shapes import analyze
from digitpad.core.networks.spec import (
    INPUT_NAME,
    OUTPUT_NAME,
    NetworkSpec,
    SpecError,
    keras_model_name,
)

# Arguments written without their name, as the Keras tutorial writes them.
_POSITIONAL = {
    "Conv2D": ("filters", "kernel_size"),
    "Dense": ("units",),
    "Dropout": ("rate",),
    "Activation": ("activation",),
    "AveragePooling2D": ("pool_size",),
}

_RESIDUAL = '''
def residual_block(x, name, filters, kernel_size=3):
    """conv-BN-ReLU, conv-BN, plus the input (1x1-projected if needed), then ReLU."""
    shortcut = x
    if x.shape[-1] != filters:
        shortcut = layers.Conv2D(filters, 1, use_bias=False, name=f"{name}_proj")(x)
    y = layers.Conv2D(
        filters, kernel_size, padding="same", use_bias=False, name=f"{name}_a"
    )(x)
    y = layers.BatchNormalization(name=f"{name}_a_bn")(y)
    y = layers.ReLU(name=f"{name}_a_relu")(y)
    y = layers.Conv2D(
        filters, kernel_size, padding="same", use_bias=False, name=f"{name}_b"
    )(y)
    y = layers.BatchNormalization(name=f"{name}_b_bn")(y)
    y = layers.Add(name=f"{name}_add")([shortcut, y])
    return layers.ReLU(name=f"{name}_out")(y)
'''

_INCEPTION = '''
def inception_block(x, name, filters_1x1, filters_3x3, filters_5x5, filters_pool):
    """Four branches on one input (1x1, 3x3, 5x5, pool then 1x1), concatenated."""

    def conv(filters, size, suffix, inputs):
        return layers.Conv2D(
            filters, size, padding="same", activation="relu", name=name + suffix
        )(inputs)

    b1 = conv(filters_1x1, 1, "_1x1", x)
    b3 = conv(filters_3x3, 3, "_3x3", x)
    b5 = conv(filters_5x5, 5, "_5x5", x)
    pooled = layers.MaxPooling2D(3, strides=1, padding="same", name=f"{name}_pool")(x)
    bp = conv(filters_pool, 1, "_pool_proj", pooled)
    return layers.Concatenate(name=f"{name}_concat")([b1, b3, b5, bp])
'''


def keras_code(spec: NetworkSpec) -> str:
    """A Python script that builds ``spec`` with Keras (``SpecError`` if it cannot)."""
    analysis = analyze(spec)
    if analysis.problems:
        first = analysis.problems[0]
        raise SpecError(str(first), first.layer_index)
    types = {layer.type for layer in spec.layers}
    model_name = keras_model_name(spec.name)
    lines = [
        f'"""The network {_py(spec.name)}, designed in DigitPad: '
        f'{analysis.total_params:,} parameters."""',
        "",
        "import keras",
        "from keras import layers",
        "",
    ]
    if "ResidualBlock" in types:
        lines += [_RESIDUAL.strip("\n"), "", ""]
    if "InceptionBlock" in types:
        lines += [_INCEPTION.strip("\n"), "", ""]
    lines.append(f"inputs = keras.Input((28, 28, 1), name={_py(INPUT_NAME)})")
    source = "inputs"
    for layer, row in zip(spec.layers, analysis.rows, strict=False):
        lines.append(f"x = {_call(layer.type, layer.args, row.name, source)}")
        source = "x"
    if len(analysis.rows) > len(spec.layers) + 1:  # DigitPad added a Flatten
        flatten = analysis.rows[-2].name
        lines.append(f"x = layers.Flatten(name={_py(flatten)})({source})")
        source = "x"
    lines += [
        f'outputs = layers.Dense(10, activation="softmax", name={_py(OUTPUT_NAME)})'
        f"({source})",
        f"model = keras.Model(inputs, outputs, name={_py(model_name)})",
        "",
    ]
    return "\n".join(lines)


def _call(kind: str, args: dict[str, Any], name: str, source: str) -> str:
    if kind == "ResidualBlock":
        return f"residual_block({source}, {_py(name)}{_keywords(args, ())})"
    if kind == "InceptionBlock":
        return f"inception_block({source}, {_py(name)}{_keywords(args, ())})"
    positional = [key for key in _POSITIONAL.get(kind, ()) if key in args]
    parts = [_py(args[key]) for key in positional]
    parts += [
        f"{key}={_py(value)}" for key, value in args.items() if key not in positional
    ]
    parts.append(f"name={_py(name)}")
    return f"layers.{kind}({', '.join(parts)})({source})"


def _keywords(args: dict[str, Any], skip: tuple[str, ...]) -> str:
    return "".join(
        f", {key}={_py(value)}" for key, value in args.items() if key not in skip
    )


def _py(value: Any) -> str:
    """A Python literal for a checked spec value (str, bool, None, number, pair)."""
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list | tuple):
        return "(" + ", ".join(_py(v) for v in value) + ")"
    return repr(value)
