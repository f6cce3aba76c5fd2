"""Checks that a weights file's graph is self-consistent before any unit is explained.

The explanation indexes arrays by the graph's shapes and configs; a hostile or stale
file must be refused here with a reason rather than fail (or read out of bounds)
later. Each kind's weights must have the shapes Keras gives that layer, and each
spatial layer's recorded output size must follow from its input, kernel, strides and
padding (the formulas of Keras's ``compute_output_shape``).
"""

from __future__ import annotations

import math
from typing import Any

SPATIAL_KINDS = ("Conv2D", "MaxPooling2D", "AveragePooling2D")


def pair(value: Any, name: str) -> tuple[int, int]:
    """A Keras size argument (int or 2 ints, 1..64) as a pair; ValueError if not."""
    if type(value) is int:
        value = (value, value)
    if (
        not isinstance(value, list | tuple)
        or len(value) != 2
        or not all(type(v) is int and 0 < v <= 64 for v in value)
    ):
        raise ValueError(f"{name} {value!r} is not two sizes")
    return int(value[0]), int(value[1])


def window_geometry(layer: Any, weights: dict) -> dict[str, tuple[int, int]]:
    """Kernel (or pool) size, strides, dilation and padding before, per axis."""
    config = layer.config
    if layer.kind == "Conv2D":
        kernel = tuple(int(d) for d in weights["kernel"].shape[:2])
        dilation = pair(config.get("dilation_rate", 1), "dilation_rate")
        strides = pair(config.get("strides", 1), "strides")
    else:
        kernel = pair(config.get("pool_size", 2), "pool_size")
        dilation = (1, 1)
        strides = pair(config.get("strides") or kernel, "strides")
    return {"kernel": kernel, "strides": strides, "dilation": dilation}


def padding_before(
    in_size: int, out_size: int, kernel: int, stride: int, dilation: int, same: bool
) -> int:
    """TensorFlow's SAME padding puts the smaller half before; VALID pads nothing."""
    if not same:
        return 0
    effective = (kernel - 1) * dilation + 1
    total = max((out_size - 1) * stride + effective - in_size, 0)
    return total // 2


def output_size(
    in_size: int, kernel: int, stride: int, dilation: int, same: bool
) -> int:
    if same:
        return math.ceil(in_size / stride)
    effective = (kernel - 1) * dilation + 1
    return (in_size - effective) // stride + 1


def check_shapes(network: Any) -> str | None:
    """None when every layer's weights and shapes agree, else the first problem."""
    shapes = {layer.name: layer.output_shape for layer in network.layers}
    for layer in network.layers:
        try:
            _check_layer(layer, [shapes[i] for i in layer.inputs], network.weights)
        except (ValueError, KeyError, TypeError) as error:
            return f"layer {layer.name!r}: {error}"
    return None


def _check_layer(layer: Any, inputs: list[tuple], all_weights: dict) -> None:
    kind, out = layer.kind, layer.output_shape
    weights = all_weights.get(layer.name, {})
    if kind == "InputLayer":
        if inputs or out != (28, 28, 1):
            raise ValueError("the input must be 28x28x1")
        return
    if len(inputs) != 1 and kind not in ("Add", "Concatenate"):
        raise ValueError("takes one input")
    if not inputs:
        raise ValueError("has no input")
    shape = inputs[0]
    if kind in SPATIAL_KINDS:
        _check_spatial(layer, shape, weights)
    elif kind == "Dense":
        kernel = weights["kernel"]
        if len(shape) != 1 or kernel.shape != (shape[0], out[-1]) or len(out) != 1:
            raise ValueError("kernel does not fit its input and units")
        _check_bias(layer, weights, out[-1])
    elif kind == "BatchNormalization":
        if out != shape or layer.config.get("axis", -1) not in (-1, [-1], len(out)):
            raise ValueError("normalises another axis than the channels")
        if set(weights) - {"gamma", "beta", "moving_mean", "moving_variance"}:
            raise ValueError("unknown weights")
        if any(w.shape != (out[-1],) for w in weights.values()):
            raise ValueError("weights do not have one value per channel")
        for needed in ("moving_mean", "moving_variance"):
            weights[needed]
    elif kind in ("GlobalAveragePooling2D", "GlobalMaxPooling2D"):
        if len(shape) != 3 or out not in ((shape[-1],), (1, 1, shape[-1])):
            raise ValueError("output is not one value per channel")
    elif kind == "Flatten":
        if math.prod(shape) != math.prod(out) or len(out) != 1:
            raise ValueError("output is not its input flattened")
    elif kind == "Add":
        if any(s != out for s in inputs):
            raise ValueError("inputs and output differ in shape")
    elif kind == "Concatenate":
        if layer.config.get("axis", -1) not in (-1, len(out)):
            raise ValueError("concatenates another axis than the channels")
        if (
            any(s[:-1] != out[:-1] for s in inputs)
            or sum(s[-1] for s in inputs) != out[-1]
        ):
            raise ValueError("output is not its inputs side by side")
    elif out != shape:  # activations, dropout: elementwise
        raise ValueError("output shape differs from its input")


def _check_spatial(layer: Any, shape: tuple, weights: dict) -> None:
    out = layer.output_shape
    if len(shape) != 3 or len(out) != 3:
        raise ValueError("input and output must be maps")
    padding = layer.config.get("padding", "valid")
    if padding not in ("valid", "same"):
        raise ValueError(f"padding {padding!r}")
    geometry = window_geometry(layer, weights)
    for axis in (0, 1):
        expected = output_size(
            shape[axis],
            geometry["kernel"][axis],
            geometry["strides"][axis],
            geometry["dilation"][axis],
            padding == "same",
        )
        if expected != out[axis]:
            raise ValueError("output size does not follow from its window")
    if layer.kind == "Conv2D":
        kernel = weights["kernel"]
        if kernel.ndim != 4 or kernel.shape[2:] != (shape[-1], out[-1]):
            raise ValueError("kernel does not fit its input and filters")
        _check_bias(layer, weights, out[-1])
    elif out[-1] != shape[-1]:
        raise ValueError("pooling changes the number of maps")


def _check_bias(layer: Any, weights: dict, units: int) -> None:
    bias = weights.get("bias")
    if bias is not None and bias.shape != (units,):
        raise ValueError("bias does not have one value per unit")
    if set(weights) - {"kernel", "bias"}:
        raise ValueError("unknown weights")
