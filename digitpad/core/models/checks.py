"""Safety checks on untrusted models: archive, config, budgets, shapes, outputs.

Everything here runs *before* the expensive or dangerous step it guards: the zip
directory is read before anything is inflated, the config is walked (and its
parameter count estimated from each layer's declared input shape, the shape Keras
builds it with) before Keras allocates a single weight; ``models.probes`` then tries
a loaded model on a blank image and a drawn digit before anyone sees its answers. Each
refusal is a ``ModelFileError`` with one line saying why, in well under a second.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from pathlib import Path
from typing import Any

from digitpad.core.bounded_io import RefusedFile, open_regular
from digitpad.core.errors import ModelFileError, one_line

MAX_MODEL_BYTES = 256 * 1024 * 1024
MAX_CONFIG_BYTES = 4 * 1024 * 1024  # DigitPad's configs are ~15 KB
MAX_MEMBER_RATIO = 50  # stored weights barely compress; a zip bomb compresses 1000x
MAX_PARAMETERS = 50_000_000  # DigitPad's largest architecture has ~1M
MAX_ACTIVATION_VALUES = 16_000_000  # per image; 28x28x256 is 200k
MAX_UNITS = 1_000_000  # units / filters / output_dim of any one layer
_ALLOWED_MEMBERS = {"config.json", "metadata.json", "model.weights.h5", "assets"}
_MAX_MEMBERS = 64
# layers that run code or load graphs from elsewhere: never part of a DigitPad model
_CODE_CARRYING_LAYERS = ("Lambda", "TFSMLayer")
_WIDTH_KEYS = ("units", "filters", "output_dim", "input_dim", "key_dim", "num_heads")


# ---------------------------------------------------------------- archive


def check_archive(path: Path) -> Any:
    """Refuse what is not a plain, reasonably sized Keras v3 archive; return its
    checked ``config.json`` (what each layer is, for readers that need no Keras).

    Reads only the zip directory and ``config.json`` (at most ``MAX_CONFIG_BYTES``);
    sizes and compression ratios come from the directory, so a bomb is refused
    without inflating it.
    """
    if path.suffix != ".keras":
        raise ModelFileError(path, "not a .keras model file")
    try:
        config = json.loads(read_config_member(path, weights_too=True))
    except ModelFileError:
        raise
    except FileNotFoundError:
        raise ModelFileError(path, "no such file") from None
    except RefusedFile as error:
        raise ModelFileError(path, error.reason) from None
    except RecursionError:
        raise ModelFileError(path, "config.json is nested too deeply") from None
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError) as error:
        raise ModelFileError(
            path, f"corrupt model archive ({one_line(error)})"
        ) from None
    try:
        check_config(config, path)
        check_budget(config, path)
    except RecursionError:
        raise ModelFileError(path, "config.json is nested too deeply") from None
    return config


def read_config_member(path: Path, weights_too: bool = False) -> bytes:
    """``config.json`` of a Keras archive whose zip directory passed the member
    checks, at most ``MAX_CONFIG_BYTES``; ``weights_too`` checks the weights file's
    layout as well. ``ModelFileError`` for what the checks refuse; a broken zip or
    an unreadable file raise as they are, for each caller to word."""
    with (
        open_regular(path, MAX_MODEL_BYTES) as handle,
        zipfile.ZipFile(handle) as archive,
    ):
        _check_members(archive.infolist(), path)
        with archive.open("config.json") as member:
            text = member.read(MAX_CONFIG_BYTES + 1)
        if weights_too and "model.weights.h5" in archive.namelist():
            with archive.open("model.weights.h5") as member:
                check_weights(member.read(), path)
    if len(text) > MAX_CONFIG_BYTES:
        raise ModelFileError(path, "config.json is too large")
    return text


def _check_members(members: list[zipfile.ZipInfo], path: Path) -> None:
    if len(members) > _MAX_MEMBERS:
        raise ModelFileError(path, f"archive has {len(members)} entries")
    names = {m.filename.split("/")[0] for m in members}
    unexpected = names - _ALLOWED_MEMBERS
    if unexpected:
        raise ModelFileError(path, f"unexpected entries {sorted(unexpected)[:3]}")
    if "config.json" not in names:
        raise ModelFileError(path, "not a Keras model (no config.json)")
    total = 0
    for member in members:
        size = member.file_size
        total += size
        if member.filename == "config.json" and size > MAX_CONFIG_BYTES:
            raise ModelFileError(path, "config.json is too large")
        if size > MAX_MODEL_BYTES or total > MAX_MODEL_BYTES + MAX_CONFIG_BYTES:
            raise ModelFileError(path, "archive expands to an unreasonable size")
        ratio = size / max(member.compress_size, 1)
        if size > (1 << 20) and ratio > MAX_MEMBER_RATIO:
            raise ModelFileError(
                path, f"{member.filename} is compressed {ratio:.0f}:1 (a zip bomb?)"
            )


def check_weights(h5: bytes, path: Path) -> None:
    """The weights file's datasets, by their declared shapes, fit the budget.

    HDF5 datasets can be compressed inside the file, and Keras reads a dataset in
    full before comparing its shape with the layer's: a small file could declare
    gigabytes. Only the headers are read here.
    """
    import h5py

    total = 0

    def visit(name: str, item: Any) -> None:
        nonlocal total
        if isinstance(item, h5py.Dataset):
            total += math.prod(item.shape) * item.dtype.itemsize
            if total > 4 * MAX_PARAMETERS:
                raise ModelFileError(
                    path, "model.weights.h5 declares more weights than allowed"
                )

    with h5py.File(io.BytesIO(h5), "r") as weights:
        weights.visititems(visit)


def check_config(node: Any, path: Path) -> None:
    """Only built-in Keras classes may appear; Lambda layers carry code: refused."""
    if isinstance(node, dict):
        if node.get("class_name") in _CODE_CARRYING_LAYERS:
            kind = node["class_name"]
            raise ModelFileError(path, f"contains a {kind} layer (code): refused")
        module = node.get("module")
        foreign = isinstance(module, str) and not (
            module == "keras" or module.startswith(("keras.", "builtins"))
        )
        if foreign and "class_name" in node:
            raise ModelFileError(
                path, f"uses a class from {module!r}; only Keras layers are allowed"
            )
        custom = node.get("registered_name") and "keras" not in str(module or "")
        if custom and "class_name" in node:
            raise ModelFileError(path, "uses a custom registered class and was refused")
        for value in node.values():
            check_config(value, path)
    elif isinstance(node, list):
        for value in node:
            check_config(value, path)


# ---------------------------------------------------------------- budgets


def check_budget(config: Any, path: Path) -> None:
    """Estimate weights and activation sizes from the config; refuse the absurd.

    Keras builds each layer with the ``build_config`` input shape saved beside it
    (else the shape its inbound tensor declares), so those shapes, with the layer's
    units, filters and kernel size, say how much Keras will allocate.
    """
    layers = list(layer_configs(config))
    fallback = max([784, *(_widest(layer) for layer in layers)])
    total = 0
    for layer in layers:
        shape = _input_shape(layer)
        for declared in _declared_shapes(layer):
            if _product(declared) > MAX_ACTIVATION_VALUES:
                name = layer.get("config", {}).get("name", layer["class_name"])
                raise ModelFileError(
                    path, f"layer {str(name)[:40]!r} declares a tensor of absurd size"
                )
        inputs = shape[-1] if shape else fallback
        try:
            total += layer_parameters(layer["class_name"], layer["config"], inputs)
        except ModelFileError as error:
            raise ModelFileError(path, error.reason) from None
        if total > MAX_PARAMETERS:
            raise ModelFileError(
                path,
                f"declares more than {MAX_PARAMETERS:,} parameters: refused",
            )


def layer_parameters(kind: str, config: dict[str, Any], inputs: int) -> int:
    """Weights a layer of ``kind`` creates for ``inputs`` input channels (estimate)."""
    units = {key: _size(config.get(key)) for key in _WIDTH_KEYS}
    for key, value in units.items():
        if value > MAX_UNITS:
            raise ModelFileError(None, f"a layer declares {key}={value:,}: refused")
    kernel = _product(config.get("kernel_size") or [1])
    filters = units["filters"]
    depth = max(1, _size(config.get("depth_multiplier")))
    if kind == "Dense":
        return (inputs + 1) * units["units"]
    if kind.startswith("Conv"):
        return (kernel * inputs + 1) * filters
    if kind.startswith("DepthwiseConv"):
        return (kernel + 1) * inputs * depth
    if kind.startswith("SeparableConv"):
        return kernel * inputs * depth + (inputs * depth + 1) * filters
    if kind.endswith("Normalization"):
        return 4 * inputs
    if kind == "Embedding":
        return units["input_dim"] * units["output_dim"]
    # anything else with a width: assume it is dense in its inputs (an upper bound)
    widths = [v for v in units.values() if v]
    return (inputs + 1) * math.prod(widths) if widths else 0


def layer_configs(node: Any) -> Any:
    """Every dict in the config that describes a layer (class name plus config)."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("class_name"), str) and isinstance(
                item.get("config"), dict
            ):
                yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _input_shape(layer: dict[str, Any]) -> list[int] | None:
    build = layer.get("build_config")
    if isinstance(build, dict) and _is_shape(build.get("input_shape")):
        return _clean(build["input_shape"])
    try:
        shape = layer["inbound_nodes"][0]["args"][0]["config"]["shape"]
    except (KeyError, IndexError, TypeError):
        return None
    return _clean(shape) if _is_shape(shape) else None


def _declared_shapes(layer: dict[str, Any]) -> list[list[int]]:
    found = []
    stack: list[Any] = [layer]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key in ("shape", "input_shape", "batch_shape", "target_shape"):
                    if _is_shape(value):
                        found.append(_clean(value))
                elif isinstance(value, dict | list):
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _is_shape(value: Any) -> bool:
    return isinstance(value, list) and all(v is None or (type(v) is int) for v in value)


def _clean(shape: list[Any]) -> list[int]:
    """Batch and unknown dimensions count as 1; negative ones (-1 in Reshape) too."""
    dims = [v if isinstance(v, int) and v > 0 else 1 for v in shape[1:] or shape]
    return dims or [1]


def _size(value: Any) -> int:
    return value if type(value) is int and value > 0 else 0


def _product(values: Any) -> int:
    if not isinstance(values, list | tuple):
        values = [values]
    return math.prod(max(1, _size(v)) for v in values)


def _widest(layer: dict[str, Any]) -> int:
    config = layer["config"]
    return max([_size(config.get(key)) for key in _WIDTH_KEYS])


# ---------------------------------------------------------------- shapes


def check_model_shapes(model: Any, path: str | Path) -> None:
    """A DigitPad model takes one 28x28x1 image and returns 10 class probabilities."""
    inputs, outputs = getattr(model, "inputs", None), getattr(model, "outputs", None)
    if not inputs or len(inputs) != 1:
        raise ModelFileError(path, "the model must have exactly one input")
    if not outputs or len(outputs) != 1:
        raise ModelFileError(path, "the model must have exactly one output")
    in_shape = tuple(inputs[0].shape[1:])
    out_shape = tuple(outputs[0].shape[1:])
    if in_shape != (28, 28, 1):
        raise ModelFileError(path, f"input shape is {in_shape}, expected (28, 28, 1)")
    if out_shape != (10,):
        raise ModelFileError(path, f"output shape is {out_shape}, expected 10 classes")
