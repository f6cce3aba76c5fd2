"""The network spec inside a ``.keras`` archive's ``config.json``, without TensorFlow.

For a DigitPad model whose metadata sidecar is missing or records no spec (a model
copied without its ``.json``): the archive's Keras config names every layer with its
class and arguments, so a network the builder made can be read back as the spec it
came from. Blocks are recognised by their inner layers' names (``res1_a``... or
``inception1_1x1``...), the input and the final softmax are DigitPad's and dropped.
The result is checked like any spec, and its layer names must be exactly the
archive's, so a network the builder could not have made is refused, not guessed at.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from digitpad.core.bounded_io import RefusedFile
from digitpad.core.errors import ModelFileError
from digitpad.core.models.checks import read_config_member
from digitpad.core.networks.schema import LAYER_ARGS, REQUIRED
from digitpad.core.networks.shapes import analyze
from digitpad.core.networks.spec import (
    INNER_SUFFIXES,
    INPUT_NAME,
    OUTPUT_NAME,
    NetworkSpec,
    SpecError,
    layer_names,
    parse_spec,
)

_KERAS_DEFAULTS = {
    "strides": 1,
    "padding": "valid",
    "activation": "linear",
    "use_bias": True,
    "momentum": 0.99,
    "epsilon": 0.001,
    "max_value": None,
    "negative_slope": 0.0,
    "threshold": 0.0,
}


def read_archive_config(path: Path) -> dict[str, Any]:
    """``config.json`` of a plain Keras v3 archive, read bounded (no weights)."""
    try:
        config = json.loads(read_config_member(path))
    except RefusedFile as error:
        raise SpecError(f"{path}: {error.reason}") from None
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RecursionError) as error:
        raise SpecError(
            f"{path}: not a readable Keras archive ({error})"[:200]
        ) from None
    except ModelFileError as error:  # the member checks: a bomb, odd entries
        raise SpecError(str(error)) from None
    if not isinstance(config, dict):
        raise SpecError(f"{path}: config.json is not a JSON object")
    return config


def spec_from_archive(path: str | Path) -> NetworkSpec:
    """The spec a DigitPad-built model was made from; ``SpecError`` otherwise."""
    path = Path(path)
    config = read_archive_config(path)
    inner = config.get("config") if isinstance(config.get("config"), dict) else {}
    layers = inner.get("layers")
    if not isinstance(layers, list):
        raise SpecError(f"{path}: its config lists no layers")
    entries = [
        (
            str(layer.get("config", {}).get("name")),
            str(layer.get("class_name")),
            layer.get("config", {}),
        )
        for layer in layers
        if isinstance(layer, dict) and isinstance(layer.get("config"), dict)
    ]
    names = [name for name, _, _ in entries]
    spec_layers, done = [], set()
    for name, kind, layer_config in entries:
        if name in done or name in (INPUT_NAME, OUTPUT_NAME) or kind == "InputLayer":
            continue
        block = _block_of(name, names)
        if block:
            block_name, block_type = block
            members = {n: c for n, _, c in entries if n.startswith(block_name + "_")}
            done |= set(members)
            spec_layers.append(_block_layer(block_name, block_type, members))
            continue
        if kind not in LAYER_ARGS:
            raise SpecError(
                f"{path}: its layer {name!r} ({kind[:40]}) is not one "
                "DigitPad can describe"
            )
        spec_layers.append(_plain_layer(name, kind, layer_config))
    data = {"name": str(inner.get("name") or path.stem), "layers": spec_layers}
    try:
        spec = parse_spec(data)
    except SpecError as error:
        raise SpecError(
            f"{path}: its network is not a DigitPad spec ({error})"
        ) from None
    rows = analyze(spec).rows
    built = {r.name for row in rows for r in (row.inner or (row,))} | {INPUT_NAME}
    if built != set(names):
        raise SpecError(f"{path}: its network is not one DigitPad built")
    return _derived_names_dropped(spec)


def _derived_names_dropped(spec: NetworkSpec) -> NetworkSpec:
    """The spec with names left out where DigitPad would derive the same ones."""
    bare = tuple(replace(layer, name=None) for layer in spec.layers)
    derived = layer_names(replace(spec, layers=bare))
    lighter = replace(
        spec,
        layers=tuple(
            replace(layer, name=None) if layer.name == name else layer
            for layer, name in zip(spec.layers, derived, strict=True)
        ),
    )
    return lighter if layer_names(lighter) == layer_names(spec) else spec


def _block_of(name: str, names: list[str]) -> tuple[str, str] | None:
    for block_type, suffixes in INNER_SUFFIXES.items():
        for suffix in suffixes:
            if name.endswith(suffix):
                base = name[: -len(suffix)]
                required = [s for s in suffixes if s != "_proj"]
                if all(base + s in names for s in required):
                    return base, block_type
    return None


def _block_layer(name: str, block_type: str, members: dict[str, Any]) -> dict[str, Any]:
    if block_type == "ResidualBlock":
        conv = members[f"{name}_a"]
        layer = {"type": block_type, "name": name, "filters": conv.get("filters")}
        kernel = _pair(conv.get("kernel_size"))
        if kernel != 3:
            layer["kernel_size"] = kernel
        return layer
    return {
        "type": block_type,
        "name": name,
        **{
            f"filters_{key}": members[f"{name}_{key}"].get("filters")
            for key in ("1x1", "3x3", "5x5")
        },
        "filters_pool": members[f"{name}_pool_proj"].get("filters"),
    }


def _plain_layer(name: str, kind: str, config: dict[str, Any]) -> dict[str, Any]:
    layer: dict[str, Any] = {"type": kind, "name": name}
    for key, rule in LAYER_ARGS[kind].items():
        if key not in config:
            continue
        value = _pair(config[key])
        if rule.default is not REQUIRED and _is_default(kind, key, value, config):
            continue
        layer[key] = value
    return layer


def _is_default(kind: str, key: str, value: Any, config: dict[str, Any]) -> bool:
    if kind.endswith("Pooling2D"):
        if key == "strides":  # pooling strides default to the pool size
            return value == _pair(config.get("pool_size"))
        if key == "pool_size":
            return value == 2
    return key in _KERAS_DEFAULTS and _KERAS_DEFAULTS[key] == value


def _pair(value: Any) -> Any:
    """A Keras (h, w) pair as the spec writes it: 3 for (3, 3), [3, 5] otherwise."""
    if isinstance(value, list | tuple):
        return value[0] if len(value) == 2 and value[0] == value[1] else list(value)
    return value
