"""The arithmetic of one unit, per kind of layer (numpy, float64).

Each function gets the layer's config and weights, its inputs' activations and the
unit, and returns (kind, value, fields): the same numbers Keras computes, so the
value can be checked against what LiteRT gave for that unit.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np

from digitpad.core.models.unit_functions import activation_name, apply, layer_function
from digitpad.core.models.unit_shapes import padding_before, window_geometry
from digitpad.core.models.unit_weights import GraphLayer, NetworkWeights


@dataclass(frozen=True)
class Context:
    network: NetworkWeights
    layer: GraphLayer
    weights: dict[str, np.ndarray]


def explain(
    kind: str,
    context: Context,
    inputs: list[str],
    values: list[np.ndarray],
    unit: tuple[int, ...],
) -> tuple[str, float, dict[str, Any]]:
    return _EXPLAINERS[kind](context, inputs, values, unit)


def window_origin(context: Context, shape: tuple, unit: tuple[int, ...]) -> dict:
    """Where the unit's window starts on its input (may be negative: padding)."""
    layer = context.layer
    geometry = window_geometry(layer, context.weights)
    same = layer.config.get("padding", "valid") == "same"
    origin = []
    for axis in (0, 1):
        pad = padding_before(
            shape[axis],
            layer.output_shape[axis],
            geometry["kernel"][axis],
            geometry["strides"][axis],
            geometry["dilation"][axis],
            same,
        )
        origin.append(unit[axis] * geometry["strides"][axis] - pad)
    return {**geometry, "origin": tuple(origin), "padding": "same" if same else "valid"}


def _window_cells(window: dict, shape: tuple) -> list[tuple[int, int, int, int]]:
    """(i, j, row, col) for each kernel cell whose input pixel is in bounds."""
    (kh, kw), (dh, dw), (top, left) = (
        window["kernel"],
        window["dilation"],
        window["origin"],
    )
    cells = []
    for i in range(kh):
        for j in range(kw):
            row, col = top + i * dh, left + j * dw
            if 0 <= row < shape[0] and 0 <= col < shape[1]:
                cells.append((i, j, row, col))
    return cells


def _conv(context, inputs, values, unit):
    from digitpad.core.models.unit_explain import Terms

    x = values[0]
    kernel = context.weights["kernel"]
    window = window_origin(context, x.shape, unit)
    cells = _window_cells(window, x.shape)
    channels = x.shape[-1]
    sources = np.array(
        [(row, col, ch) for _, _, row, col in cells for ch in range(channels)],
        np.int64,
    ).reshape(-1, 3)
    taps = np.array([(i, j) for i, j, _, _ in cells], np.int64).reshape(-1, 2)
    weights = kernel[taps[:, 0], taps[:, 1], :, unit[2]].astype(np.float64).reshape(-1)
    activations = x[sources[:, 0], sources[:, 1], sources[:, 2]]
    terms = Terms(sources, activations, weights)
    return _weighted(context, terms, unit[2], {"window": window})


def _weighted(context, terms, index: int, extra: dict) -> tuple[str, float, dict]:
    bias = float(context.weights["bias"][index]) if "bias" in context.weights else 0.0
    pre = float(np.sum(terms.products)) + bias
    name = activation_name(context.layer.config)
    fields = {"terms": terms, "bias": bias, "pre_activation": pre, "activation": name}
    if name == "softmax":
        raise ValueError("a softmax convolution is not explained")
    return "conv", float(apply(name, np.float64(pre))), {**fields, **extra}


def _dense(context, inputs, values, unit):
    from digitpad.core.models.unit_explain import Terms

    x = values[0].reshape(-1)
    kernel = context.weights["kernel"]  # float32; only one column is widened
    index = unit[0]
    sources = np.arange(len(x), dtype=np.int64)[:, None]
    terms = Terms(sources, x, kernel[:, index].astype(np.float64))
    extra = _flatten_origins(context.network, inputs[0])
    name = activation_name(context.layer.config)
    if name == "softmax":
        bias = context.weights.get("bias", np.zeros(kernel.shape[1]))
        logits = x @ kernel.astype(np.float64) + bias.astype(np.float64)
        kind, value, fields = _softmax_fields(logits, index)
        fields.update(
            terms=terms,
            bias=float(bias[index]),
            pre_activation=float(logits[index]),
            activation=name,
        )
        return kind, value, {**fields, **extra}
    _, value, fields = _weighted(context, terms, index, extra)
    return "dense", value, fields


def _flatten_origins(network: NetworkWeights, name: str) -> dict:
    """For a dense layer fed by Flatten: each input's (row, col, map) in its source."""
    layer = network.layer(name)
    if layer is None or layer.kind != "Flatten":
        return {}
    source = network.layer(layer.inputs[0])
    while source is not None and source.kind == "Dropout":
        source = network.layer(source.inputs[0])
    if source is None or len(source.output_shape) != 3:
        return {}
    return {"origin_layer": source.name, "origins": _origins(source.output_shape)}


@functools.lru_cache(maxsize=16)
def _origins(shape: tuple[int, ...]) -> np.ndarray:
    """(row, col, map) of each flattened index (computed once per shape)."""
    count = int(np.prod(shape))
    origins = np.stack(np.unravel_index(np.arange(count), shape), axis=1)
    origins.setflags(write=False)
    return origins


def _softmax_fields(logits: np.ndarray, index: int) -> tuple[str, float, dict]:
    logits = np.asarray(logits, np.float64)
    shift = float(logits.max()) if logits.max() > 700 else 0.0  # e^700 is near inf
    exps = np.exp(logits - shift)
    total = float(exps.sum())
    probabilities = exps / total
    fields = {
        "logits": logits,
        "exp": exps,
        "exp_shift": shift,
        "sum": total,
        "probabilities": probabilities,
    }
    return "softmax", float(probabilities[index]), fields


def _batchnorm(context, inputs, values, unit):
    w, config = context.weights, context.layer.config
    channel = unit[-1]
    x = float(values[0][unit])
    mean = float(w["moving_mean"][channel])
    variance = float(w["moving_variance"][channel])
    gamma = float(w["gamma"][channel]) if "gamma" in w else 1.0
    beta = float(w["beta"][channel]) if "beta" in w else 0.0
    epsilon = float(config.get("epsilon", 1e-3))
    value = (x - mean) / np.sqrt(variance + epsilon) * gamma + beta
    fields = {
        "input": x,
        "from": unit,
        "mean": mean,
        "variance": variance,
        "gamma": gamma,
        "beta": beta,
        "epsilon": epsilon,
    }
    return "batchnorm", float(value), fields


def _pool(context, inputs, values, unit):
    x, kind = values[0], context.layer.kind
    op = "max" if "Max" in kind else "average"
    channel = unit[-1]
    if kind.startswith("Global"):
        rows, cols = np.mgrid[0 : x.shape[0], 0 : x.shape[1]]
        cells = list(zip(rows.ravel(), cols.ravel(), strict=True))
        window = {"origin": (0, 0), "kernel": x.shape[:2], "strides": (1, 1)}
        window.update(dilation=(1, 1), padding="valid")
    else:
        window = window_origin(context, x.shape, unit)
        cells = [(row, col) for _, _, row, col in _window_cells(window, x.shape)]
    sources = np.array([(r, c, channel) for r, c in cells], np.int64).reshape(-1, 3)
    found = x[sources[:, 0], sources[:, 1], channel]
    value = float(found.max() if op == "max" else found.mean())
    fields = {"op": op, "sources": sources, "values": found, "window": window}
    return "pool", value, fields


def _activation(context, inputs, values, unit):
    layer = context.layer
    if layer.kind == "Softmax" or (
        layer.kind == "Activation" and activation_name(layer.config) == "softmax"
    ):
        if values[0].ndim != 1:
            raise ValueError("a softmax over maps is not explained")
        return _softmax_fields(values[0], unit[0])
    name, function = layer_function(layer.kind, layer.config)
    x = float(values[0][unit])
    value = float(function(np.float64(x)))
    return "activation", value, {"input": x, "from": unit, "function": name}


def _flatten(context, inputs, values, unit):
    x = values[0]
    origin = tuple(int(i) for i in np.unravel_index(unit[0], x.shape))
    value = float(x[origin])
    return "flatten", value, {"input": value, "from": origin}


def _add(context, inputs, values, unit):
    parts = [(name, float(v[unit])) for name, v in zip(inputs, values, strict=True)]
    return "add", float(sum(v for _, v in parts)), {"inputs": parts}


def _concat(context, inputs, values, unit):
    parts, start, source = [], 0, None
    for name, v in zip(inputs, values, strict=True):
        stop = start + v.shape[-1]
        parts.append((name, start, stop))
        if start <= unit[-1] < stop:
            source = (name, unit[-1] - start, float(v[(*unit[:-1], unit[-1] - start)]))
        start = stop
    assert source is not None  # the unit was checked against the output shape
    fields = {"inputs": parts, "source": source}
    return "concat", source[2], fields


_EXPLAINERS = {
    "conv": _conv,
    "dense": _dense,
    "batchnorm": _batchnorm,
    "pool": _pool,
    "activation": _activation,
    "softmax": _activation,
    "flatten": _flatten,
    "add": _add,
    "concat": _concat,
}
