"""Model files: safe loading, atomic saving, metadata and the all-layers ``.tflite``.

A DigitPad model is ``NAME.keras`` plus ``NAME.json`` (metadata), ``NAME.tflite`` (one
call gives the softmax and every layer's activation) and ``NAME.kernels.npz``
(convolution kernels for the filter views, readable without TensorFlow). Model files are
untrusted input: before Keras sees a file its archive and config are checked, Keras
loads it with ``safe_mode=True``, and only layers from Keras itself are accepted, so no
code from a file ever runs.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from digitpad import __version__
from digitpad.core.atomic import write_files_atomically
from digitpad.core.errors import ModelFileError, one_line
from digitpad.core.quiet import import_tensorflow_quietly, quiet_output

MNIST_LICENCE = (
    "Trained on MNIST (Y. LeCun, C. Cortes, C. J. C. Burges), licensed CC BY-SA 3.0; "
    "these weights are a derived work under the same licence."
)
MAX_MODEL_BYTES = 256 * 1024 * 1024
_ALLOWED_MEMBERS = {"config.json", "metadata.json", "model.weights.h5", "assets"}
_SKIPPED_LAYERS = ("InputLayer", "Dropout")
# layers that run code or load graphs from elsewhere: never part of a DigitPad model
_CODE_CARRYING_LAYERS = ("Lambda", "TFSMLayer")
MAX_METADATA_BYTES = 8 * 1024 * 1024
MAX_KERNEL_VALUES = 50_000_000


def sidecar(path: str | Path, kind: str) -> Path:
    """``NAME.keras`` -> ``NAME.json`` / ``NAME.tflite`` / ``NAME.kernels.npz``."""
    path = Path(path)
    suffix = {"metadata": ".json", "tflite": ".tflite", "kernels": ".kernels.npz"}[kind]
    return path.with_name(path.stem + suffix)


def keras_path(path: str | Path) -> Path:
    """``path`` with the ``.keras`` suffix a DigitPad model file always has."""
    path = Path(path)
    return path if path.suffix == ".keras" else path.with_name(path.name + ".keras")


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# ---------------------------------------------------------------- loading


def load_keras_model(path: str | Path) -> Any:
    """Load an untrusted ``.keras`` file; raise ``ModelFileError`` with the reason."""
    path = Path(path)
    _check_archive(path)
    import_tensorflow_quietly()
    import keras

    try:
        model = keras.saving.load_model(path, compile=False, safe_mode=True)
    except ModelFileError:
        raise
    except Exception as error:  # Keras raises many types for corrupt or unsafe files
        raise ModelFileError(
            path, f"Keras could not load it: {one_line(error)}"
        ) from None
    check_model_shapes(model, path)
    return model


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


def _check_archive(path: Path) -> None:
    """Refuse what is not a plain Keras v3 archive before any deserialisation."""
    if not path.is_file():
        raise ModelFileError(path, "no such file")
    if path.suffix != ".keras":
        raise ModelFileError(path, "not a .keras model file")
    if path.stat().st_size > MAX_MODEL_BYTES:
        raise ModelFileError(path, "file is too large for a DigitPad model")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = {m.filename.split("/")[0] for m in members}
            unexpected = names - _ALLOWED_MEMBERS
            if unexpected:
                raise ModelFileError(path, f"unexpected entries {sorted(unexpected)}")
            if "config.json" not in names:
                raise ModelFileError(path, "not a Keras model (no config.json)")
            if sum(m.file_size for m in members) > 4 * MAX_MODEL_BYTES:
                raise ModelFileError(path, "archive expands to an unreasonable size")
            config = json.loads(archive.read("config.json"))
    except ModelFileError:
        raise
    except RecursionError:
        raise ModelFileError(path, "config.json is nested too deeply") from None
    except (zipfile.BadZipFile, OSError, ValueError, KeyError) as error:
        raise ModelFileError(
            path, f"corrupt model archive ({one_line(error)})"
        ) from None
    try:
        _check_config(config, path)
    except RecursionError:
        raise ModelFileError(path, "config.json is nested too deeply") from None


def _check_config(node: Any, path: Path) -> None:
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
            _check_config(value, path)
    elif isinstance(node, list):
        for value in node:
            _check_config(value, path)


def read_metadata(path: str | Path) -> dict[str, Any]:
    """The metadata beside a model, sanitised; ``{}`` if absent or unreadable.

    Metadata is as untrusted as the model: entries of the wrong type are dropped so
    that no reader has to second-guess them.
    """
    meta_path = sidecar(path, "metadata")
    try:
        if meta_path.stat().st_size > MAX_METADATA_BYTES:
            return {}
        data = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    return _sanitise_metadata(data) if isinstance(data, dict) else {}


def _sanitise_metadata(data: dict[str, Any]) -> dict[str, Any]:
    clean = dict(data)
    if not _valid_layers(clean.get("layers")):
        clean.pop("layers", None)
    if not isinstance(clean.get("training", {}), dict):
        clean.pop("training")
    accuracy = clean.get("mnist_test_accuracy")
    if accuracy is not None and not (
        isinstance(accuracy, int | float) and 0 <= accuracy <= 1
    ):
        clean.pop("mnist_test_accuracy")
    for key in ("name", "architecture", "display_name", "created"):
        if key in clean and not isinstance(clean[key], str):
            clean.pop(key)
    return clean


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


def read_kernels(path: str | Path, expected_sha256: str | None = None) -> dict:
    """Conv kernels (kh, kw, in, out) by layer name; ``{}`` if absent or corrupt.

    With ``expected_sha256`` (from the metadata) a file that does not match, e.g. a
    sidecar left over from another model, is ignored. Array headers are checked before
    any data is read, so a tiny file cannot claim a huge array.
    """
    kernels_path = sidecar(path, "kernels")
    try:
        if expected_sha256 and file_sha256(kernels_path) != expected_sha256:
            return {}
        with zipfile.ZipFile(kernels_path) as archive:
            for member in archive.infolist():
                with archive.open(member) as handle:
                    version = np.lib.format.read_magic(handle)
                    read_header = (
                        np.lib.format.read_array_header_1_0
                        if version == (1, 0)
                        else np.lib.format.read_array_header_2_0
                    )
                    shape, _, dtype = read_header(handle)
                if dtype.hasobject or np.prod(shape) > MAX_KERNEL_VALUES:
                    return {}
        with np.load(kernels_path, allow_pickle=False) as npz:
            return {name: npz[name] for name in npz.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError, MemoryError):
        return {}


# ---------------------------------------------------------------- describing


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


# ---------------------------------------------------------------- saving


def activation_model(model: Any) -> Any:
    """One model whose outputs are every visible layer's activation, keyed by name."""
    import keras

    outputs = {layer.name: layer.output for layer in visible_layers(model)}
    return keras.Model(model.inputs, outputs, name=f"{model.name}_activations")


def export_tflite(model: Any) -> bytes:
    """Convert to a LiteRT flatbuffer that returns all activations in one invoke."""
    import tensorflow as tf

    with quiet_output():
        converter = tf.lite.TFLiteConverter.from_keras_model(activation_model(model))
        return converter.convert()


def save_model(model: Any, path: str | Path, metadata: dict[str, Any]) -> Path:
    """Write the model and its sidecars as one atomic set; the ``.keras`` goes last.

    All four files are written in full before any is replaced, so a failed save
    leaves the old model, metadata and exports together. Readers key on the
    ``.keras`` file, so a new model only appears once its sidecars are in place.
    """
    path = keras_path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tflite = export_tflite(model)
    buffer = io.BytesIO()
    np.savez(buffer, **conv_kernels(model))
    model_bytes = _keras_bytes(model, path)
    metadata = {
        **metadata,
        "keras_sha256": hashlib.sha256(model_bytes).hexdigest(),
        "tflite_sha256": hashlib.sha256(tflite).hexdigest(),
        "kernels_sha256": hashlib.sha256(buffer.getvalue()).hexdigest(),
    }
    write_files_atomically(
        [
            (sidecar(path, "tflite"), tflite),
            (sidecar(path, "kernels"), buffer.getvalue()),
            (sidecar(path, "metadata"), json.dumps(metadata, indent=2).encode()),
            (path, model_bytes),
        ]
    )
    return path


def _keras_bytes(model: Any, path: Path) -> bytes:
    """Serialise to bytes through a scratch directory beside the target (cleaned up)."""
    with tempfile.TemporaryDirectory(
        prefix=f".{path.stem}-", dir=path.parent
    ) as scratch:
        target = Path(scratch) / "model.keras"
        detached_copy(model).save(target)
        return target.read_bytes()


def detached_copy(model: Any) -> Any:
    """An uncompiled copy with the same weights: no optimizer state (which triples a
    saved file) and unaffected by further training of the original."""
    # from_config, not clone_model: Keras 3.15's clone keeps the compiled optimizer
    clean = type(model).from_config(model.get_config())
    clean.set_weights(model.get_weights())
    return clean
