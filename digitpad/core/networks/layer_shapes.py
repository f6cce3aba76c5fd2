"""Each layer's output shape, parameters and multiply-adds, by Keras's formulas.

``compute_output_shape``'s arithmetic ('same' keeps ceil(n / stride), 'valid' drops the
edges), weights = kernel + bias, batch norm = 4 x channels (gamma and beta trained, the
moving mean and variance not). Blocks list their inner layers under the builder's
names. Called by ``shapes.analyze`` for a layer it has checked fits its input.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from digitpad.core.networks.schema import arg_value, pair
from digitpad.core.networks.spec import LayerSpec

Shape = tuple[int, ...]


@dataclass(frozen=True)
class LayerRow:
    """One layer as Keras would build it; ``inner`` lists a block's inner layers."""

    name: str
    type: str
    output_shape: Shape
    params: int
    macs: int
    added: bool = (
        False  # put there by DigitPad (the Flatten before the output, softmax)
    )
    inner: tuple[LayerRow, ...] = ()
    trainable_params: int | None = None  # None: all of them


def layer_row(layer: LayerSpec, name: str, shape: Shape) -> LayerRow:
    kind, args = layer.type, layer.args
    if kind == "Conv2D":
        return conv_row(
            name,
            shape,
            args["filters"],
            pair(args["kernel_size"]),
            pair(arg_value(kind, args, "strides")),
            arg_value(kind, args, "padding"),
            arg_value(kind, args, "use_bias"),
        )
    if kind in ("MaxPooling2D", "AveragePooling2D"):
        size = pair(arg_value(kind, args, "pool_size"))
        strides = arg_value(kind, args, "strides")
        strides = size if strides is None else pair(strides)
        return pool_row(
            name, kind, shape, size, strides, arg_value(kind, args, "padding")
        )
    if kind == "BatchNormalization":
        return batch_norm_row(name, shape)
    if kind in ("Dropout", "Activation", "ReLU"):
        return LayerRow(name, kind, shape, 0, 0)
    if kind == "Flatten":
        return LayerRow(name, kind, (shape[0] * shape[1] * shape[2],), 0, 0)
    if kind in ("GlobalAveragePooling2D", "GlobalMaxPooling2D"):
        return LayerRow(name, kind, (shape[2],), 0, 0)
    if kind == "Dense":
        units, bias = args["units"], arg_value(kind, args, "use_bias")
        params = shape[0] * units + (units if bias else 0)
        return LayerRow(name, kind, (units,), params, shape[0] * units)
    if kind == "ResidualBlock":
        return _residual(name, shape, args)
    return _inception(name, shape, args)


def conv_row(
    name: str,
    shape: Shape,
    filters: int,
    kernel: tuple[int, int],
    strides: tuple[int, int],
    padding: str,
    bias: bool,
) -> LayerRow:
    """A Conv2D: Keras's output size, kernel (+ bias) weights, multiply-adds."""
    height, width = (
        _out_size(n, k, s, padding)
        for n, k, s in zip(shape[:2], kernel, strides, strict=True)
    )
    out = (height, width, filters)
    weights = kernel[0] * kernel[1] * shape[2] * filters
    return LayerRow(
        name,
        "Conv2D",
        out,
        weights + (filters if bias else 0),
        out[0] * out[1] * weights,
    )


def pool_row(
    name: str,
    kind: str,
    shape: Shape,
    size: tuple[int, int],
    strides: tuple[int, int],
    padding: str,
) -> LayerRow:
    out = tuple(
        _out_size(n, k, s, padding)
        for n, k, s in zip(shape[:2], size, strides, strict=True)
    )
    return LayerRow(name, kind, (*out, shape[2]), 0, 0)


def batch_norm_row(name: str, shape: Shape) -> LayerRow:
    """Gamma and beta are trained; the moving mean and variance are not."""
    channels = shape[-1]
    values = 1
    for d in shape:
        values *= d
    return LayerRow(
        name,
        "BatchNormalization",
        shape,
        4 * channels,
        values,
        trainable_params=2 * channels,
    )


def _out_size(n: int, window: int, stride: int, padding: str) -> int:
    """Keras's formula: 'same' keeps ceil(n / stride), 'valid' drops the edges."""
    if padding == "same":
        return (n + stride - 1) // stride
    return (n - window) // stride + 1


def _residual(name: str, shape: Shape, args: dict[str, Any]) -> LayerRow:
    """conv-BN-ReLU, conv-BN, plus the input (1x1-projected when channels differ)."""
    filters = args["filters"]
    kernel = pair(arg_value("ResidualBlock", args, "kernel_size"))
    maps = (shape[0], shape[1], filters)
    inner = []
    if shape[2] != filters:
        inner.append(
            conv_row(f"{name}_proj", shape, filters, (1, 1), (1, 1), "same", False)
        )
    inner += [
        conv_row(f"{name}_a", shape, filters, kernel, (1, 1), "same", False),
        batch_norm_row(f"{name}_a_bn", maps),
        LayerRow(f"{name}_a_relu", "ReLU", maps, 0, 0),
        conv_row(f"{name}_b", maps, filters, kernel, (1, 1), "same", False),
        batch_norm_row(f"{name}_b_bn", maps),
        LayerRow(f"{name}_add", "Add", maps, 0, 0),
        LayerRow(f"{name}_out", "ReLU", maps, 0, 0),
    ]
    return _block(name, "ResidualBlock", maps, inner)


def _inception(name: str, shape: Shape, args: dict[str, Any]) -> LayerRow:
    """Four branches on one input (1x1, 3x3, 5x5, pool then 1x1), concatenated."""
    f1, f3, f5, fp = (
        args[key]
        for key in ("filters_1x1", "filters_3x3", "filters_5x5", "filters_pool")
    )
    inner = [
        conv_row(f"{name}_1x1", shape, f1, (1, 1), (1, 1), "same", True),
        conv_row(f"{name}_3x3", shape, f3, (3, 3), (1, 1), "same", True),
        conv_row(f"{name}_5x5", shape, f5, (5, 5), (1, 1), "same", True),
        pool_row(f"{name}_pool", "MaxPooling2D", shape, (3, 3), (1, 1), "same"),
        conv_row(f"{name}_pool_proj", shape, fp, (1, 1), (1, 1), "same", True),
    ]
    out = (shape[0], shape[1], f1 + f3 + f5 + fp)
    inner.append(LayerRow(f"{name}_concat", "Concatenate", out, 0, 0))
    return _block(name, "InceptionBlock", out, inner)


def _block(name: str, kind: str, out: Shape, inner: list[LayerRow]) -> LayerRow:
    trainable = sum(
        row.params if row.trainable_params is None else row.trainable_params
        for row in inner
    )
    params = sum(row.params for row in inner)
    return LayerRow(
        name,
        kind,
        out,
        params,
        sum(row.macs for row in inner),
        inner=tuple(inner),
        trainable_params=None if trainable == params else trainable,
    )
