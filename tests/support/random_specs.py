"""Seeded random network specs: valid ones of every layer type, and broken ones.

Valid specs are grown layer by layer from the shape so far (only layers that fit are
drawn), with every argument form a spec may use (ints and pairs, strides, both
paddings, explicit defaults, names given or not). Invalid specs are a valid one with
exactly one defect, and say where it is, so a test can check the message names it.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass
from typing import Any

from digitpad.core.networks.schema import ACTIVATIONS

_ACTIVATIONS = [a for a in ACTIVATIONS if a != "exponential"]  # overflows in tests


def _window(rng: random.Random, largest: int) -> Any:
    k = rng.randint(1, max(1, min(5, largest)))
    if rng.random() < 0.25:
        return [k, rng.randint(1, max(1, min(5, largest)))]
    return k


def _conv(rng: random.Random, h: int, w: int) -> tuple[dict[str, Any], tuple]:
    layer: dict[str, Any] = {"type": "Conv2D", "filters": rng.choice([1, 4, 8, 16, 24])}
    padding = rng.choice(["valid", "same"]) if min(h, w) > 1 else "same"
    kernel = _window(rng, min(h, w) if padding == "valid" else 5)
    layer["kernel_size"] = kernel
    if padding != "valid" or rng.random() < 0.3:
        layer["padding"] = padding
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
    if rng.random() < 0.25:
        layer["strides"] = rng.choice([1, 2, [1, 2], [2, 1]])
    if rng.random() < 0.7:
        layer["activation"] = rng.choice(_ACTIVATIONS)
    if rng.random() < 0.2:
        layer["use_bias"] = rng.random() < 0.5
    sh, sw = _pair(layer.get("strides", 1))
    if padding == "same":
        out = (-(-h // sh), -(-w // sw))
    else:
        out = ((h - kh) // sh + 1, (w - kw) // sw + 1)
    return layer, (*out, layer["filters"])


def _pair(value: Any) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else tuple(value)


def _pool(rng: random.Random, h: int, w: int, c: int) -> tuple[dict[str, Any], tuple]:
    kind = rng.choice(["MaxPooling2D", "AveragePooling2D"])
    layer: dict[str, Any] = {"type": kind}
    padding = rng.choice(["valid", "same"])
    if padding == "same" or rng.random() < 0.3:
        layer["padding"] = padding
    largest = 3 if padding == "same" else min(h, w, 3)
    if kind == "MaxPooling2D" and largest >= 2 and rng.random() < 0.5:
        size = 2  # Keras's default, not written
    else:
        size = layer["pool_size"] = _window(rng, largest)
    strides = None
    if rng.random() < 0.3:
        strides = layer["strides"] = rng.choice([1, 2, [2, 1]])
    ph, pw = _pair(size)
    sh, sw = _pair(strides) if strides is not None else (ph, pw)
    if padding == "same":
        out = (-(-h // sh), -(-w // sw))
    else:
        out = ((h - ph) // sh + 1, (w - pw) // sw + 1)
    return layer, (*out, c)


def random_valid_spec(rng: random.Random, index: int = 0) -> dict[str, Any]:
    """A spec Keras can build, 1-12 layers, moderate size (builds in well under 1 s)."""
    layers: list[dict[str, Any]] = []
    shape: tuple = (28, 28, 1)
    names: set[str] = set()
    for _ in range(rng.randint(0, 12)):
        maps = len(shape) == 3
        if maps:
            h, w, c = shape
            kinds = ["conv", "conv", "pool", "bn", "dropout", "act", "relu", "flatten"]
            kinds += ["gap", "gmp", "res", "inception"]
        else:
            kinds = ["dense", "dense", "bn", "dropout", "act", "relu"]
        kind = rng.choice(kinds)
        if kind == "conv":
            layer, shape = _conv(rng, h, w)
        elif kind == "pool":
            layer, shape = _pool(rng, h, w, c)
        elif kind == "bn":
            layer = {"type": "BatchNormalization"}
            if rng.random() < 0.3:
                layer["momentum"] = round(rng.uniform(0.5, 0.999), 3)
        elif kind == "dropout":
            layer = {"type": "Dropout", "rate": round(rng.uniform(0, 0.9), 2)}
        elif kind == "act":
            layer = {"type": "Activation", "activation": rng.choice(_ACTIVATIONS)}
        elif kind == "relu":
            layer = {"type": "ReLU"}
            if rng.random() < 0.3:
                layer["max_value"] = 6.0
            if rng.random() < 0.3:
                layer["negative_slope"] = 0.1
        elif kind == "flatten":
            layer, shape = {"type": "Flatten"}, (h * w * c,)
        elif kind in ("gap", "gmp"):
            kind_name = "Average" if kind == "gap" else "Max"
            layer, shape = {"type": f"Global{kind_name}Pooling2D"}, (c,)
        elif kind == "res":
            layer = {"type": "ResidualBlock", "filters": rng.choice([4, 8, c])}
            if rng.random() < 0.3:
                layer["kernel_size"] = rng.choice([1, 3, 5])
            shape = (h, w, layer["filters"])
        elif kind == "inception":
            f = [rng.choice([2, 4, 8]) for _ in range(4)]
            layer = dict(
                zip(
                    (
                        "type",
                        "filters_1x1",
                        "filters_3x3",
                        "filters_5x5",
                        "filters_pool",
                    ),
                    ("InceptionBlock", *f),
                    strict=True,
                )
            )
            shape = (h, w, sum(f))
        else:
            layer = {"type": "Dense", "units": rng.choice([4, 16, 32, 64])}
            if rng.random() < 0.7:
                layer["activation"] = rng.choice(_ACTIVATIONS)
            shape = (layer["units"],)
        if rng.random() < 0.15:
            name = f"my_layer{len(layers)}"
            if name not in names:
                layer["name"] = name
                names.add(name)
        layers.append(layer)
    return {"name": f"random {index}", "layers": layers}


@dataclass(frozen=True)
class BrokenSpec:
    data: Any
    defect: str  # what is wrong, for the failure message
    layer_index: int | None  # the layer the error must point at (None: the spec)


def random_invalid_spec(rng: random.Random, index: int = 0) -> BrokenSpec:
    """A valid random spec with one defect; ``layer_index`` says where it is."""
    while True:
        data = random_valid_spec(rng, index)
        if data["layers"]:
            break
    layers = data["layers"]
    i = rng.randrange(len(layers))
    layer = layers[i]
    defect = rng.choice(_DEFECTS)
    return defect(rng, copy.deepcopy(data), i, layer)


def _unknown_type(rng, data, i, layer):
    data["layers"][i] = {
        **layer,
        "type": rng.choice(["Conv3D", "Lambda", "conv2d", ""]),
    }
    return BrokenSpec(data, "unknown type", i)


def _unknown_argument(rng, data, i, layer):
    key = rng.choice(["kernel_initializer", "dilation_rate", "function", "__class__"])
    data["layers"][i][key] = "x"
    return BrokenSpec(data, f"unknown argument {key}", i)


def _unknown_activation(rng, data, i, layer):
    value = rng.choice(["Relu", "__import__('os').system('x')", "softmax2", 3])
    data["layers"][i] = {"type": "Activation", "activation": value}
    return BrokenSpec(data, "unknown activation", i)


def _bad_value(rng, data, i, layer):
    bad = {
        "filters": [0, -3, "32", 3.5, True, 10**6],
        "units": [0, "64", 1e9, None],
        "rate": [1.0, -0.1, "0.5", float("nan")],
        "kernel_size": [0, [3], [3, 3, 3], "3", 99],
        "pool_size": [0, [2, 2, 2]],
        "filters_1x1": [0],
        "momentum": [1.5],
        "max_value": [-1.0],
    }
    keys = [key for key in layer if key in bad]
    if not keys:
        return _unknown_argument(rng, data, i, layer)
    key = rng.choice(keys)
    data["layers"][i][key] = rng.choice(bad[key])
    return BrokenSpec(data, f"bad value for {key}", i)


def _missing_required(rng, data, i, layer):
    required = {"Conv2D": "filters", "Dense": "units", "Dropout": "rate"}
    required |= {"ResidualBlock": "filters", "InceptionBlock": "filters_3x3"}
    key = required.get(layer["type"])
    if key is None:
        data["layers"][i] = {"type": "Conv2D", "kernel_size": 3}
        return BrokenSpec(data, "Conv2D without filters", i)
    del data["layers"][i][key]
    return BrokenSpec(data, f"missing {key}", i)


def _misplaced(rng, data, i, layer):
    """A layer the shape there does not allow: maps where a vector is, or a kernel
    larger than the maps."""
    spec = {"name": data["name"], "layers": data["layers"][:i]}
    from digitpad.core.networks.shapes import analyze
    from digitpad.core.networks.spec import parse_spec

    shape = analyze(parse_spec(spec)).rows[i - 1].output_shape if i else (28, 28, 1)
    if len(shape) == 1:
        new = rng.choice(
            [
                {"type": "Conv2D", "filters": 4, "kernel_size": 3},
                {"type": "MaxPooling2D"},
                {"type": "Flatten"},
            ]
        )
    elif rng.random() < 0.5:
        new = {"type": "Dense", "units": 8}
    else:
        new = {"type": "Conv2D", "filters": 4, "kernel_size": shape[0] + 1}
    data["layers"] = [*data["layers"][:i], new]
    return BrokenSpec(data, f"{new['type']} that does not fit {shape}", i)


def _duplicate_name(rng, data, i, layer):
    name = rng.choice(["softmax", "image", "x"])
    data["layers"][i]["name"] = name
    if name == "x":
        data["layers"].insert(i, {"type": "Dropout", "rate": 0.1, "name": "x"})
        return BrokenSpec(data, "two layers named x", i + 1)
    return BrokenSpec(data, f"a layer named {name}", i)


def _bad_name(rng, data, i, layer):
    data["layers"][i]["name"] = rng.choice(["../evil", "", "1conv", "a" * 50, 7])
    return BrokenSpec(data, "bad layer name", i)


def _too_big(rng, data, i, layer):
    data["layers"] = [
        {"type": "Flatten"},
        {"type": "Dense", "units": 4096},
        {"type": "Dense", "units": 4096},
    ]
    return BrokenSpec(data, "over 5,000,000 parameters", 2)


def _whole_spec(rng, data, i, layer):
    choice = rng.randrange(5)
    if choice == 0:
        return BrokenSpec([data], "not an object", None)
    if choice == 1:
        return BrokenSpec({**data, "optimizer": "sgd"}, "unknown top-level key", None)
    if choice == 2:
        return BrokenSpec({"layers": data["layers"]}, "no name", None)
    if choice == 3:
        return BrokenSpec(
            {**data, "layers": [{"type": "Dropout", "rate": 0.1}] * 65},
            "65 layers",
            None,
        )
    return BrokenSpec({**data, "name": "../../etc/passwd"}, "a name with slashes", None)


_DEFECTS = [
    _unknown_type,
    _unknown_argument,
    _unknown_activation,
    _bad_value,
    _bad_value,
    _missing_required,
    _misplaced,
    _misplaced,
    _duplicate_name,
    _bad_name,
    _too_big,
    _whole_spec,
]
