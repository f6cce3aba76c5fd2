"""What a network spec may say: layer types, their Keras arguments, value ranges.

A spec is untrusted input (a file someone sent, a design edited by hand), so it is
checked like a JSON-schema validator checks a document: an allow-list of types, each
with an allow-list of arguments, each argument with a kind and a range. Nothing is
evaluated and nothing unknown is ignored. Defaults are Keras's own (``None`` where Keras
has none and the argument is required), so a spec reads like ``keras.layers`` calls.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

# Keras's activation names a learner meets; each is a plain string, never looked up
# as code. "linear" is what Keras calls "no activation" (activation=None).
ACTIVATIONS = (
    "relu",
    "tanh",
    "sigmoid",
    "elu",
    "selu",
    "gelu",
    "leaky_relu",
    "relu6",
    "silu",
    "swish",
    "softplus",
    "softsign",
    "hard_sigmoid",
    "exponential",
    "mish",
    "linear",
)
PADDINGS = ("valid", "same")
REQUIRED = object()  # the argument has no default (Keras requires it too)

MAX_FILTERS = 1024
MAX_UNITS = 4096
MAX_WINDOW = 28  # kernels, pools and strides cannot be larger than the image


@dataclass(frozen=True)
class Arg:
    """One argument: its kind ('int', 'pair', 'float', 'bool', 'padding',
    'activation', 'optional_float'), range and Keras default."""

    kind: str
    default: Any = REQUIRED
    low: float = 0
    high: float = math.inf
    low_open: bool = False  # the range excludes ``low``
    high_open: bool = False  # the range excludes ``high``


_FILTERS = Arg("int", REQUIRED, 1, MAX_FILTERS)
_WINDOW = Arg("pair", REQUIRED, 1, MAX_WINDOW)

LAYER_ARGS: dict[str, dict[str, Arg]] = {
    "Conv2D": {
        "filters": _FILTERS,
        "kernel_size": _WINDOW,
        "strides": Arg("pair", 1, 1, MAX_WINDOW),
        "padding": Arg("padding", "valid"),
        "activation": Arg("activation", None),
        "use_bias": Arg("bool", True),
    },
    "MaxPooling2D": {
        "pool_size": Arg("pair", 2, 1, MAX_WINDOW),
        "strides": Arg("optional_pair", None, 1, MAX_WINDOW),
        "padding": Arg("padding", "valid"),
    },
    "AveragePooling2D": {
        "pool_size": _WINDOW,  # Keras has no default here
        "strides": Arg("optional_pair", None, 1, MAX_WINDOW),
        "padding": Arg("padding", "valid"),
    },
    "BatchNormalization": {
        "momentum": Arg("float", 0.99, 0, 1, high_open=True),
        "epsilon": Arg("float", 0.001, 0, 1, low_open=True),
    },
    "Dropout": {"rate": Arg("float", REQUIRED, 0, 1, high_open=True)},
    "Activation": {"activation": Arg("activation", REQUIRED)},
    "ReLU": {
        "max_value": Arg("optional_float", None, 0, 1e6, low_open=True),
        "negative_slope": Arg("float", 0.0, 0, 1),
        "threshold": Arg("float", 0.0, -1e6, 1e6),
    },
    "Flatten": {},
    "GlobalAveragePooling2D": {},
    "GlobalMaxPooling2D": {},
    "Dense": {
        "units": Arg("int", REQUIRED, 1, MAX_UNITS),
        "activation": Arg("activation", None),
        "use_bias": Arg("bool", True),
    },
    "ResidualBlock": {
        "filters": _FILTERS,
        "kernel_size": Arg("pair", 3, 1, MAX_WINDOW),
    },
    "InceptionBlock": {
        "filters_1x1": _FILTERS,
        "filters_3x3": _FILTERS,
        "filters_5x5": _FILTERS,
        "filters_pool": _FILTERS,
    },
}
LAYER_TYPES = tuple(LAYER_ARGS)
# The types that need maps (height x width x channels) as their input.
MAP_TYPES = frozenset(
    {
        "Conv2D",
        "MaxPooling2D",
        "AveragePooling2D",
        "Flatten",
        "GlobalAveragePooling2D",
        "GlobalMaxPooling2D",
        "ResidualBlock",
        "InceptionBlock",
    }
)

# What the designer's palette puts in a fresh layer (required arguments filled in).
PALETTE_ARGS: dict[str, dict[str, Any]] = {
    "Conv2D": {"filters": 32, "kernel_size": 3, "activation": "relu"},
    "MaxPooling2D": {},
    "AveragePooling2D": {"pool_size": 2},
    "BatchNormalization": {},
    "Dropout": {"rate": 0.25},
    "Activation": {"activation": "relu"},
    "ReLU": {},
    "Flatten": {},
    "GlobalAveragePooling2D": {},
    "GlobalMaxPooling2D": {},
    "Dense": {"units": 64, "activation": "relu"},
    "ResidualBlock": {"filters": 32},
    "InceptionBlock": {
        "filters_1x1": 16,
        "filters_3x3": 16,
        "filters_5x5": 8,
        "filters_pool": 8,
    },
}


def default_args(layer_type: str) -> dict[str, Any]:
    """A fresh layer's arguments for the palette: Keras's required ones filled in."""
    return dict(PALETTE_ARGS[layer_type])


def arg_value(layer_type: str, args: dict[str, Any], key: str) -> Any:
    """The argument as Keras would see it: given, or Keras's default."""
    if key in args:
        return args[key]
    return LAYER_ARGS[layer_type][key].default


def pair(value: Any) -> tuple[int, int]:
    """An int-or-pair argument (kernel_size=3 or [3, 5]) as (height, width)."""
    if isinstance(value, int):
        return value, value
    return int(value[0]), int(value[1])


def check_args(layer_type: str, args: dict[str, Any]) -> str | None:
    """Why ``args`` are not valid for ``layer_type`` (one clause), or None."""
    allowed = LAYER_ARGS[layer_type]
    for key in args:
        if key not in allowed:
            known = ", ".join(allowed) or "none"
            return f"unknown argument {_show(key)} for {layer_type} (it takes: {known})"
    for key, rule in allowed.items():
        if key not in args:
            if rule.default is REQUIRED:
                return f"{layer_type} needs the argument '{key}'"
            continue
        problem = _check_value(rule, args[key])
        if problem:
            return problem if problem.startswith("unknown") else f"'{key}' {problem}"
    return None


def _check_value(rule: Arg, value: Any) -> str | None:
    kind = rule.kind
    if kind == "bool":
        return (
            None
            if isinstance(value, bool)
            else f"must be true or false, not {_show(value)}"
        )
    if kind == "padding":
        return (
            None
            if value in PADDINGS and isinstance(value, str)
            else (f"must be 'valid' or 'same', not {_show(value)}")
        )
    if kind == "activation":
        if value is None or (isinstance(value, str) and value in ACTIVATIONS):
            return None
        known = ", ".join(ACTIVATIONS)
        return f"unknown activation {_show(value)} (use one of: {known})"
    if kind in ("optional_pair", "optional_float") and value is None:
        return None
    if kind in ("pair", "optional_pair"):
        return _check_pair(rule, value)
    return _check_number(rule, value, whole=kind == "int")


def _check_pair(rule: Arg, value: Any) -> str | None:
    if isinstance(value, list | tuple):
        if len(value) != 2:
            return f"must be a whole number or a pair of them, not {_show(value)}"
        for part in value:
            problem = _check_number(rule, part, whole=True)
            if problem:
                return problem
        return None
    return _check_number(rule, value, whole=True)


def _check_number(rule: Arg, value: Any, *, whole: bool) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        kind = "a whole number" if whole else "a number"
        return f"must be {kind}, not {_show(value)}"
    if whole and not isinstance(value, int):
        return f"must be a whole number, not {_show(value)}"
    if not math.isfinite(value):
        return f"must be a finite number, not {value}"
    below = value <= rule.low if rule.low_open else value < rule.low
    above = value >= rule.high if rule.high_open else value > rule.high
    if below or above:
        return f"must be {_range(rule)}, not {_show(value)}"
    return None


def _range(rule: Arg) -> str:
    def number(x: float) -> str:
        return f"{x:g}" if rule.kind != "int" and rule.kind != "pair" else f"{int(x):,}"

    low = (
        f"more than {number(rule.low)}"
        if rule.low_open
        else f"at least {number(rule.low)}"
    )
    if math.isinf(rule.high):
        return low
    high = (
        f"less than {number(rule.high)}"
        if rule.high_open
        else f"at most {number(rule.high)}"
    )
    return f"{low} and {high}"


def _show(value: Any) -> str:
    """A value quoted for a message, cut short so a hostile file cannot flood it."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
