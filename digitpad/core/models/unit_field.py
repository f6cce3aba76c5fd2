"""The receptive field of a unit: which pixels of the 28x28 input can change it.

Walked back through the layer graph from the unit: each convolution or pooling
window widens the box by its kernel (and multiplies it by its stride), elementwise
layers keep it, an Add takes the union of its inputs and a Concatenate follows the
branch the unit's channel comes from. A unit after Flatten, Dense or global pooling
sees the whole image.
"""

from __future__ import annotations

from typing import Any

from digitpad.core.models.unit_shapes import padding_before, window_geometry

Box = tuple[int, int, int, int]  # top, bottom, left, right (inclusive)
WHOLE: Box = (0, 27, 0, 27)
_WINDOWED = ("Conv2D", "MaxPooling2D", "AveragePooling2D")
_ELEMENTWISE = ("BatchNormalization", "Activation", "ReLU", "LeakyReLU", "Dropout")


def receptive_field(network: Any, layer: str, unit: tuple[int, ...]) -> Box:
    """The input box (inclusive rows and columns) that unit ``unit`` depends on."""
    graph = network.layer(layer)
    if graph is None or len(unit) != 3:
        return WHOLE
    box = _back(network, graph, (unit[0], unit[0], unit[1], unit[1]), unit[2], 0)
    return box or WHOLE


def _back(network: Any, layer: Any, box: Box, channel: int | None, depth: int):
    if layer.kind == "InputLayer":
        return box
    if depth > 500 or not layer.inputs:
        return None
    if layer.kind in _WINDOWED:
        source = network.layer(layer.inputs[0])
        box = _widen(network, layer, source.output_shape, box)
        keep = channel if layer.kind != "Conv2D" else None
        return _back(network, source, box, keep, depth + 1)
    if layer.kind in _ELEMENTWISE:
        return _back(network, network.layer(layer.inputs[0]), box, channel, depth + 1)
    if layer.kind == "Add":
        boxes = [
            _back(network, network.layer(name), box, channel, depth + 1)
            for name in layer.inputs
        ]
        return _union([b for b in boxes if b is not None])
    if layer.kind == "Concatenate":
        return _concat_branch(network, layer, box, channel, depth)
    return WHOLE  # flatten, dense, global pooling: everything


def _concat_branch(network: Any, layer: Any, box: Box, channel: int | None, depth):
    start, boxes = 0, []
    for name in layer.inputs:
        source = network.layer(name)
        width = source.output_shape[-1]
        if channel is None:
            boxes.append(_back(network, source, box, None, depth + 1))
        elif start <= channel < start + width:
            return _back(network, source, box, channel - start, depth + 1)
        start += width
    return _union([b for b in boxes if b is not None])


def _widen(network: Any, layer: Any, shape: tuple, box: Box) -> Box:
    geometry = window_geometry(layer, network.weights.get(layer.name, {}))
    same = layer.config.get("padding", "valid") == "same"
    out = []
    for axis, (low, high) in enumerate(((box[0], box[1]), (box[2], box[3]))):
        kernel, stride = geometry["kernel"][axis], geometry["strides"][axis]
        dilation = geometry["dilation"][axis]
        pad = padding_before(
            shape[axis], layer.output_shape[axis], kernel, stride, dilation, same
        )
        first = max(0, low * stride - pad)
        last = min(shape[axis] - 1, high * stride - pad + (kernel - 1) * dilation)
        out += [first, last]
    return out[0], out[1], out[2], out[3]


def _union(boxes: list[Box]) -> Box | None:
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        max(b[1] for b in boxes),
        min(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
