"""A network spec: plain data, the one description of an architecture.

The GUI edits it, the CLI reads it, the builder builds it and a saved model records it.
As JSON it is ``{"name": "...", "layers": [{"type": "Conv2D", "filters": 32, ...}]}``:
each layer names a Keras class and gives that class's own arguments, so a student who
knows Keras knows the file. The input (28x28x1) and the 10-way softmax are DigitPad's
and never part of a spec. Parsing checks structure and values (``schema``) and then the
shapes (``shapes.analyze``): a spec that parses can be built.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digitpad.core.bounded_io import read_bounded
from digitpad.core.errors import DigitPadError
from digitpad.core.networks.schema import LAYER_ARGS, check_args

MAX_LAYERS = 64
MAX_SPEC_BYTES = 1024 * 1024
INPUT_NAME = "image"
OUTPUT_NAME = "softmax"
# A design's name is also its file name and its Keras model's name.
NAME_PATTERN = re.compile(r"^[^\W_][\w .-]{0,62}[\w-]$|^[^\W_]$")
LAYER_NAME_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,39}$")
# How derived names start; the first four are always numbered (conv1, pool1, ...),
# the rest only from the second on (dense, dense2), as in today's presets.
NAME_PREFIXES = {
    "Conv2D": "conv",
    "MaxPooling2D": "pool",
    "AveragePooling2D": "pool",
    "ResidualBlock": "res",
    "InceptionBlock": "inception",
    "BatchNormalization": "bn",
    "Dropout": "dropout",
    "Activation": "activation",
    "ReLU": "relu",
    "Flatten": "flatten",
    "GlobalAveragePooling2D": "gap",
    "GlobalMaxPooling2D": "gmp",
    "Dense": "dense",
}
_NUMBERED = ("conv", "pool", "res", "inception")
# The inner layers of a block, named "<block><suffix>" (the builder's names).
INNER_SUFFIXES = {
    "ResidualBlock": ("_proj", "_a", "_a_bn", "_a_relu", "_b", "_b_bn", "_add", "_out"),
    "InceptionBlock": ("_1x1", "_3x3", "_5x5", "_pool", "_pool_proj", "_concat"),
}


class SpecError(DigitPadError, ValueError):
    """A spec that cannot be built: the message names the layer and the problem.

    Also a ``ValueError``, as every other impossible training setting is."""

    def __init__(self, message: str, layer_index: int | None = None) -> None:
        super().__init__(message)
        self.layer_index = layer_index


@dataclass(frozen=True)
class LayerSpec:
    """One layer: a Keras class name, its own arguments (only those given) and a name
    (None: derived from the type, e.g. conv2)."""

    type: str
    args: dict[str, Any] = field(default_factory=dict)
    name: str | None = None


@dataclass(frozen=True)
class NetworkSpec:
    """A named stack of layers between DigitPad's input and its softmax."""

    name: str
    layers: tuple[LayerSpec, ...] = ()


def parse_spec(data: object) -> NetworkSpec:
    """A checked spec from JSON-like data; ``SpecError`` names the first problem."""
    spec = parse_structure(data)
    from digitpad.core.networks.shapes import analyze

    problems = analyze(spec).problems
    if problems:
        raise SpecError(str(problems[0]), problems[0].layer_index)
    return spec


def parse_structure(data: object) -> NetworkSpec:
    """Types, keys, values and names checked, shapes not (the designer's drafts)."""
    if not isinstance(data, dict):
        raise SpecError("a network spec must be a JSON object with 'name' and 'layers'")
    unknown = sorted(str(key)[:40] for key in data if key not in ("name", "layers"))
    if unknown:
        raise SpecError(
            f"unknown key {unknown[0]!r} in the spec (it takes: name, layers)"
        )
    name = data.get("name")
    problem = name_problem(name)
    if problem:
        raise SpecError(problem)
    layers = data.get("layers")
    if not isinstance(layers, list):
        raise SpecError("the spec's 'layers' must be a list of layers")
    if len(layers) > MAX_LAYERS:
        raise SpecError(f"the spec has {len(layers)} layers; at most {MAX_LAYERS}")
    spec = NetworkSpec(
        str(name), tuple(_parse_layer(i, d) for i, d in enumerate(layers))
    )
    names = layer_names(spec)
    for index, layer in enumerate(spec.layers):
        problem = layer_problem(layer)
        if problem:
            raise SpecError(f"{names[index]}: {problem}", index)
    problem, index = names_problem(spec)
    if problem:
        raise SpecError(problem, index)
    return spec


def _parse_layer(index: int, data: object) -> LayerSpec:
    if not isinstance(data, dict):
        raise SpecError(f"layer {index + 1}: must be an object with a 'type'", index)
    kind = data.get("type")
    if not isinstance(kind, str) or kind not in LAYER_ARGS:
        known = ", ".join(LAYER_ARGS)
        shown = repr(kind)[:40]
        raise SpecError(
            f"layer {index + 1}: unknown type {shown} (use one of: {known})", index
        )
    name = data.get("name")
    if "name" in data and (
        not isinstance(name, str) or not LAYER_NAME_PATTERN.match(name)
    ):
        raise SpecError(
            f"layer {index + 1} ({kind}): the name {repr(name)[:40]} must start with a "
            "letter and hold only letters, digits and _ (at most 40 characters)",
            index,
        )
    args = {
        str(key): _frozen(value)
        for key, value in data.items()
        if key not in ("type", "name")
    }
    return LayerSpec(kind, args, name)


def _frozen(value: Any) -> Any:
    """Lists become tuples so a spec cannot be changed behind its owner's back."""
    return tuple(_frozen(v) for v in value) if isinstance(value, list) else value


def name_problem(name: object) -> str | None:
    """Why ``name`` cannot name a design (it becomes a file name), or None."""
    if not isinstance(name, str) or not name:
        return "the spec needs a 'name' (a short text)"
    if not NAME_PATTERN.match(name):
        return (
            f"the name {name[:40]!r} must be 1-64 letters, digits, spaces, '.', '-' "
            "or '_', starting with a letter or digit"
        )
    return None


def layer_problem(layer: LayerSpec) -> str | None:
    """Why this one layer's type or arguments are not valid, or None."""
    if layer.type not in LAYER_ARGS:
        return f"unknown type {layer.type!r}"[:80]
    if not isinstance(layer.args, dict):
        return "its arguments must be a mapping"
    return check_args(layer.type, layer.args)


def layer_names(spec: NetworkSpec) -> list[str]:
    """Each spec layer's name: given, or derived like today's presets (conv1, pool1)."""
    taken = {layer.name for layer in spec.layers if layer.name}
    taken |= {INPUT_NAME, OUTPUT_NAME}
    counts: dict[str, int] = {}
    names = []
    for layer in spec.layers:
        if layer.name:
            names.append(layer.name)
            continue
        prefix = NAME_PREFIXES.get(layer.type, "layer")
        n = counts.get(prefix, 0) + 1
        while (candidate := _numbered(prefix, n)) in taken:
            n += 1
        counts[prefix] = n
        taken.add(candidate)
        names.append(candidate)
    return names


def _numbered(prefix: str, n: int) -> str:
    return f"{prefix}{n}" if prefix in _NUMBERED or n > 1 else prefix


def keras_model_name(name: str) -> str:
    """The design's name as Keras accepts a model name (TensorFlow's name scopes take
    no spaces): other characters become '_'."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
    return cleaned if re.match(r"[A-Za-z0-9.]", cleaned) else f"net{cleaned}"


def free_name(prefix: str, taken: set[str]) -> str:
    """``prefix``, or ``prefix2``, ``prefix3``... whichever is not taken."""
    n = 1
    while (candidate := _numbered(prefix, n)) in taken:
        n += 1
    return candidate


def inner_names(layer_type: str, name: str) -> list[str]:
    """The names the builder gives a block's inner layers."""
    return [name + suffix for suffix in INNER_SUFFIXES.get(layer_type, ())]


def names_problem(spec: NetworkSpec) -> tuple[str | None, int | None]:
    """Two layers (or a layer and a block's inner layer) with one name, or None."""
    seen = {INPUT_NAME: None, OUTPUT_NAME: None}
    for index, (layer, name) in enumerate(
        zip(spec.layers, layer_names(spec), strict=True)
    ):
        for one in [name, *inner_names(layer.type, name)]:
            if one in seen:
                other = seen[one]
                whose = "DigitPad's own" if other is None else f"layer {other + 1}'s"
                return (
                    f"layer {index + 1} ({layer.type}): the name {one!r} is already "
                    f"{whose} name; layer names must be unique",
                    index,
                )
            seen[one] = index
    return None, None


def spec_to_dict(spec: NetworkSpec) -> dict[str, Any]:
    """The spec as JSON-ready data; ``parse_spec`` of it gives the spec back."""
    layers = []
    for layer in spec.layers:
        entry: dict[str, Any] = {"type": layer.type}
        if layer.name:
            entry["name"] = layer.name
        entry.update({key: _listed(value) for key, value in layer.args.items()})
        layers.append(entry)
    return {"name": spec.name, "layers": layers}


def _listed(value: Any) -> Any:
    return [_listed(v) for v in value] if isinstance(value, tuple) else value


def spec_to_json(spec: NetworkSpec) -> str:
    """The spec as a readable JSON document (what a spec file holds)."""
    return json.dumps(spec_to_dict(spec), indent=2) + "\n"


def parse_spec_json(text: str | bytes, source: str | None = None) -> NetworkSpec:
    """A checked spec from JSON text; ``source`` (a file name) prefixes errors."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        where = f"{source}: " if source else ""
        raise SpecError(f"{where}not valid JSON ({str(error)[:80]})") from None
    try:
        return parse_spec(data)
    except SpecError as error:
        if source is None:
            raise
        raise SpecError(f"{source}: {error}", error.layer_index) from None


def read_spec_file(path: str | Path) -> NetworkSpec:
    """A checked spec from a JSON file, read bounded (a spec is untrusted input)."""
    try:
        data = read_bounded(path, MAX_SPEC_BYTES)
    except OSError as error:
        reason = getattr(error, "reason", None) or error.strerror or str(error)
        raise SpecError(f"{path}: cannot read ({reason})") from None
    return parse_spec_json(data, str(path))
