"""What a DigitPad model's file set is: its file names, metadata and layer list.

``NAME.keras`` has four sidecars (``NAME.json``, ``NAME.tflite``,
``NAME.kernels.npz``, ``NAME.weights.npz``). The metadata is as untrusted as the
model: it is read bounded and sanitised here, so every reader can take its fields at
face value. Pure file naming and JSON; loading and saving models is ``modelfile``'s job.
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import Any

import numpy as np

from digitpad import __version__
from digitpad.core.bounded_io import RefusedFile, read_bounded

MNIST_LICENCE = (
    "Trained on MNIST (Y. LeCun, C. Cortes, C. J. C. Burges), licensed CC BY-SA 3.0; "
    "these weights are a derived work under the same licence."
)
_SKIPPED_LAYERS = ("InputLayer", "Dropout")
MAX_METADATA_BYTES = 8 * 1024 * 1024
SIDECAR_KINDS = ("metadata", "tflite", "kernels", "weights")


def sidecar(path: str | Path, kind: str) -> Path:
    """``NAME.keras`` -> ``NAME.json`` / ``.tflite`` / ``.kernels.npz`` /
    ``.weights.npz``."""
    path = Path(path)
    suffix = {
        "metadata": ".json",
        "tflite": ".tflite",
        "kernels": ".kernels.npz",
        "weights": ".weights.npz",
    }[kind]
    return path.with_name(path.stem + suffix)


def keras_path(path: str | Path) -> Path:
    """``path`` with the ``.keras`` suffix a DigitPad model file always has."""
    path = Path(path)
    return path if path.suffix == ".keras" else path.with_name(path.name + ".keras")


def read_metadata(path: str | Path) -> dict[str, Any]:
    """The metadata beside a model, sanitised; ``{}`` if absent or unreadable.

    Metadata is as untrusted as the model: entries of the wrong type are dropped so
    that no reader has to second-guess them.
    """
    return read_metadata_checked(path)[0]


def read_metadata_checked(path: str | Path) -> tuple[dict[str, Any], str | None]:
    """``read_metadata`` plus why it came back empty (None when it did not)."""
    meta_path = sidecar(path, "metadata")
    try:
        data = json.loads(read_bounded(meta_path, MAX_METADATA_BYTES))
    except FileNotFoundError:
        return {}, f"{meta_path.name} is missing"
    except RefusedFile as error:
        return {}, f"{meta_path.name} {error.reason}"
    except OSError as error:
        return {}, f"{meta_path.name} cannot be read ({error.strerror})"
    except (ValueError, RecursionError):  # also: ints past Python's digit limit
        return {}, f"{meta_path.name} is not valid JSON"
    if not isinstance(data, dict):
        return {}, f"{meta_path.name} is not a JSON object"
    return _sanitise_metadata(data), None


def _sanitise_metadata(data: dict[str, Any]) -> dict[str, Any]:
    clean = dict(data)
    if not _valid_layers(clean.get("layers")):
        clean.pop("layers", None)
    if not isinstance(clean.get("training", {}), dict):
        clean.pop("training")
    if not _is_fraction(clean.get("mnist_test_accuracy")):
        clean.pop("mnist_test_accuracy", None)
    training = clean.get("training")
    if isinstance(training, dict) and not _is_fraction(training.get("test_accuracy")):
        # 10**400 here once made every kept model vanish: float() overflowed while
        # the list was drawn
        clean["training"] = {k: v for k, v in training.items() if k != "test_accuracy"}
    for key in ("name", "architecture", "display_name", "created"):
        if key in clean and not isinstance(clean[key], str):
            clean.pop(key)
    return clean


def _is_fraction(value: Any) -> bool:
    """None (absent), or a plain number from 0 to 1 (an accuracy)."""
    if value is None:
        return True
    if type(value) not in (int, float):
        return False
    try:
        return 0 <= float(value) <= 1
    except OverflowError:  # an integer of hundreds of digits
        return False


def _valid_layers(layers: Any) -> bool:
    return isinstance(layers, list) and all(
        isinstance(layer, dict)
        and isinstance(layer.get("name"), str)
        and isinstance(layer.get("kind"), str)
        and isinstance(layer.get("output_shape"), list)
        and all(type(d) is int and 0 < d < 1_000_000 for d in layer["output_shape"])
        and type(layer.get("parameters")) is int
        for layer in layers
    )


def visible_layers(model: Any) -> list[Any]:
    """Layers whose activations DigitPad shows (input and dropout are identities)."""
    return [
        layer for layer in model.layers if type(layer).__name__ not in _SKIPPED_LAYERS
    ]


def describe_layers(model: Any) -> list[dict[str, Any]]:
    """Name, kind, output shape and parameter count of each visible layer."""
    described = []
    for layer in visible_layers(model):
        described.append(
            {
                "name": layer.name,
                "kind": type(layer).__name__,
                "output_shape": [int(d) for d in layer.output.shape[1:]],
                "parameters": int(layer.count_params()),
            }
        )
    return described


def conv_kernels(model: Any) -> dict[str, np.ndarray]:
    """Each Conv2D layer's kernel, so filters can be drawn without TensorFlow."""
    return {
        layer.name: np.asarray(layer.get_weights()[0], dtype=np.float32)
        for layer in model.layers
        if type(layer).__name__ == "Conv2D"
    }


def make_metadata(
    model: Any,
    *,
    architecture: str,
    training: dict[str, Any] | None = None,
    mnist_test_accuracy: float | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The JSON written beside every saved model."""
    return {
        "format": "digitpad-model",
        "format_version": 1,
        "name": model.name,
        "architecture": architecture,
        "parameters": int(model.count_params()),
        "training": training or {},
        "mnist_test_accuracy": mnist_test_accuracy,
        "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "digitpad_version": __version__,
        "data_licence": MNIST_LICENCE,
        "layers": describe_layers(model),
        **(extra or {}),
    }
