"""How one unit's value is computed: the numbers, re-derived in numpy.

``explain_unit`` takes the layer graph and weights of a model's weights sidecar, the
activations the network itself computed for a drawing (LiteRT's, with the 28x28 input
under the input layer's name) and one unit, and redoes that unit's arithmetic from the
previous layer's activations: a convolution's window terms, sum, bias and activation; a
batch norm's (x - mean) / sqrt(variance + epsilon) x gamma + beta; a pool's window; a
dense layer's terms (after Flatten, where each came from); the softmax's logits, exps
and sum; an Add's or Concatenate's inputs. It works from Keras layer kinds, so any
network DigitPad can run is explained without knowing how it was designed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from digitpad.core.errors import DigitPadError
from digitpad.core.models import unit_kinds
from digitpad.core.models.unit_weights import GraphLayer, NetworkWeights

KINDS = {
    "Conv2D": "conv",
    "BatchNormalization": "batchnorm",
    "MaxPooling2D": "pool",
    "AveragePooling2D": "pool",
    "GlobalAveragePooling2D": "pool",
    "GlobalMaxPooling2D": "pool",
    "Activation": "activation",
    "ReLU": "activation",
    "LeakyReLU": "activation",
    "Softmax": "softmax",
    "Dense": "dense",
    "Flatten": "flatten",
    "Add": "add",
    "Concatenate": "concat",
}
IDENTITY_KINDS = ("Dropout",)


class ExplainError(DigitPadError):
    """An unknown layer, a unit outside it, or a layer that cannot be explained."""


@dataclass(frozen=True)
class Terms:
    """Every input x weight of a weighted sum: (n, k) sources, activations, weights."""

    sources: np.ndarray  # int, (n, 3) [row, col, channel] or (n, 1) [i]
    activations: np.ndarray  # float64 (n,)
    weights: np.ndarray  # float64 (n,)

    @property
    def products(self) -> np.ndarray:
        return self.activations * self.weights


@dataclass(frozen=True)
class Explanation:
    """One unit's computation; ``fields`` holds the kind's numbers (see ``as_json``)."""

    layer: str
    kind: str
    layer_kind: str  # the Keras class name
    unit: tuple[int, ...]
    value: float
    input_layer: str
    fields: dict[str, Any] = field(default_factory=dict)

    def as_json(self, network_input: np.ndarray | None = None) -> dict[str, Any]:
        """The record ``digitpad explain --json`` prints."""
        from digitpad.core.models.unit_json import explanation_json

        return explanation_json(self, network_input)


def explain_unit(
    graph: NetworkWeights | Sequence[GraphLayer],
    weights: Mapping[str, Mapping[str, np.ndarray]] | None,
    activations: Mapping[str, np.ndarray],
    layer: str,
    unit: Sequence[int],
) -> Explanation:
    """Explain unit ``unit`` ((row, col, channel) or (i,)) of layer ``layer``.

    ``activations`` must include the network input (28, 28, 1) under the input
    layer's name (``with_input`` adds it). Raises ``ExplainError`` with one line.
    """
    network = (
        graph
        if isinstance(graph, NetworkWeights)
        else NetworkWeights(tuple(graph), dict(weights or {}))
    )
    target = network.layer(layer)
    if target is None or target.kind in ("InputLayer", *IDENTITY_KINDS):
        raise ExplainError(f"no layer {layer!r} in this model")
    unit = _checked_unit(target, unit)
    kind = KINDS.get(target.kind)
    if kind is None:
        raise ExplainError(
            f"layer {layer!r} is a {target.kind}, which is not explained"
        )
    inputs = [_visible_input(network, name) for name in target.inputs]
    values = [_output_of(network, activations, name) for name in inputs]
    context = unit_kinds.Context(network, target, network.weights.get(layer, {}))
    try:
        kind, value, fields = unit_kinds.explain(kind, context, inputs, values, unit)
    except (ValueError, KeyError) as error:
        raise ExplainError(f"layer {layer!r}: {error}") from None
    return Explanation(layer, kind, target.kind, unit, float(value), inputs[0], fields)


def with_input(
    network: NetworkWeights, activations: Mapping[str, np.ndarray], image: np.ndarray
) -> dict[str, np.ndarray]:
    """``activations`` plus the 28x28 network input under the input layer's name."""
    return {
        **activations,
        network.input_name: np.asarray(image, np.float32).reshape(28, 28, 1),
    }


def parse_unit(text: str) -> tuple[int, ...]:
    """ "R,C,CH" or "I" -> a tuple of ints; ExplainError for anything else."""
    try:
        unit = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise ExplainError(f"unit {text!r} is not R,C,CH or I") from None
    if len(unit) not in (1, 3):
        raise ExplainError(f"unit {text!r} is not R,C,CH or I")
    return unit


def _checked_unit(layer: GraphLayer, unit: Sequence[int]) -> tuple[int, ...]:
    shape = layer.output_shape
    unit = tuple(int(u) for u in unit)
    if len(unit) == 1 and len(shape) == 3 and shape[:2] == (1, 1):
        unit = (0, 0, unit[0])  # a kept-dims global pool: one value per channel
    if len(unit) != len(shape) or not all(
        0 <= u < d for u, d in zip(unit, shape, strict=True)
    ):
        where = "x".join(str(d) for d in shape)
        raise ExplainError(
            f"unit {','.join(map(str, unit))} is outside layer {layer.name!r} ({where})"
        )
    return unit


def _visible_input(network: NetworkWeights, name: str) -> str:
    """Through dropout (an identity when predicting) to the layer that is shown."""
    layer = network.layer(name)
    while layer is not None and layer.kind in IDENTITY_KINDS:
        layer = network.layer(layer.inputs[0])
    if layer is None:
        raise ExplainError(f"layer {name!r} is not in the graph")
    return layer.name


def _output_of(
    network: NetworkWeights, activations: Mapping[str, np.ndarray], name: str
) -> np.ndarray:
    value = activations.get(name)
    layer = network.layer(name)
    if value is None:
        raise ExplainError(f"no activation of layer {name!r} (draw a digit first)")
    value = np.asarray(value, np.float64)
    if layer is None or value.shape != layer.output_shape:
        raise ExplainError(f"layer {name!r}'s activation does not fit the weights file")
    return value
