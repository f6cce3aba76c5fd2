"""Keras's activation functions in numpy, by the names a layer config uses.

The explanation applies the layer's own function to the pre-activation it re-derived,
so each one here follows the Keras 3 definition (``keras.activations``); a name not
listed cannot be explained and is reported as such rather than guessed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

_erf = np.vectorize(math.erf)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


FUNCTIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "linear": lambda x: x,
    "relu": lambda x: np.maximum(x, 0.0),
    "relu6": lambda x: np.clip(x, 0.0, 6.0),
    "sigmoid": _sigmoid,
    "tanh": np.tanh,
    "elu": lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0))),
    "selu": lambda x: (
        1.0507009873554805
        * np.where(x > 0, x, 1.6732632423543772 * np.expm1(np.minimum(x, 0)))
    ),
    "softplus": lambda x: np.logaddexp(x, 0.0),
    "softsign": lambda x: x / (1.0 + np.abs(x)),
    "silu": lambda x: x * _sigmoid(x),
    "swish": lambda x: x * _sigmoid(x),
    "gelu": lambda x: 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0))),
    "leaky_relu": lambda x: np.where(x > 0, x, 0.2 * x),
    "hard_sigmoid": lambda x: np.clip(x + 3.0, 0.0, 6.0) / 6.0,
    "hard_silu": lambda x: x * np.clip(x + 3.0, 0.0, 6.0) / 6.0,
    "exponential": np.exp,
}


def activation_name(config: dict[str, Any]) -> str:
    """The function a layer's ``activation`` config names ("linear" when absent)."""
    value = config.get("activation", "linear")
    if isinstance(value, dict):  # a serialised function object
        value = value.get("config", {}).get("name") or value.get("class_name")
    return str(value or "linear")


def apply(name: str, x: np.ndarray) -> np.ndarray:
    """``name(x)``; ValueError for a function DigitPad cannot recompute."""
    try:
        function = FUNCTIONS[name]
    except KeyError:
        raise ValueError(f"activation {name!r} is not one DigitPad can show") from None
    return np.asarray(function(np.asarray(x, np.float64)), np.float64)


def relu_layer(config: dict[str, Any], x: np.ndarray) -> np.ndarray:
    """Keras's ``ReLU`` layer: threshold, negative slope and cap."""
    x = np.asarray(x, np.float64)
    threshold = float(config.get("threshold") or 0.0)
    slope = float(config.get("negative_slope") or 0.0)
    cap = config.get("max_value")
    y = np.where(x >= threshold, x, slope * (x - threshold))
    return np.minimum(y, float(cap)) if cap is not None else y


def layer_function(kind: str, config: dict[str, Any]) -> tuple[str, Callable]:
    """(a readable name, the function) of an activation-kind layer."""
    if kind == "ReLU":
        return "relu", lambda x: relu_layer(config, x)
    if kind == "LeakyReLU":
        slope = float(config.get("negative_slope", 0.3))
        return "leaky_relu", lambda x: np.where(x > 0, x, slope * np.asarray(x))
    name = activation_name(config)
    return name, lambda x: apply(name, x)
