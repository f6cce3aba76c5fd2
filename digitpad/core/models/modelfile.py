"""Model files: safe loading, atomic saving, and the all-layers ``.tflite``.

A DigitPad model is ``NAME.keras`` plus ``NAME.json`` (metadata), ``NAME.tflite`` (one
call gives the softmax and every layer's activation) and ``NAME.kernels.npz``
(convolution kernels for the filter views, readable without TensorFlow) and
``NAME.weights.npz`` (every layer's weights and the layer graph, for "How this value
is computed"). Model files are
untrusted input: before Keras sees a file ``models.checks`` sizes up its archive and
config, Keras loads it with ``safe_mode=True``, and only layers from Keras itself are
accepted, so no code from a file ever runs. Every sidecar is read bounded
(``bounded_io``). Metadata and layer descriptions live in ``models.metadata``; their
names are importable from here as before.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from digitpad.core.atomic import write_files_atomically
from digitpad.core.bounded_io import RefusedFile, read_bounded, sha256_bounded
from digitpad.core.errors import ModelFileError, one_line
from digitpad.core.helpers.availability import tensorflow_missing
from digitpad.core.models.checks import (
    MAX_MODEL_BYTES,
    check_archive,
    check_model_shapes,
)
from digitpad.core.models.metadata import (
    MNIST_LICENCE,
    SIDECAR_KINDS,
    conv_kernels,
    describe_layers,
    keras_path,
    make_metadata,
    read_metadata,
    read_metadata_checked,
    sidecar,
    visible_layers,
)
from digitpad.core.models.npz_headers import array_headers
from digitpad.core.models.unit_weights import weights_bytes
from digitpad.core.quiet import import_tensorflow_quietly, quiet_output

__all__ = [
    "MAX_MODEL_BYTES",
    "MNIST_LICENCE",
    "SIDECAR_KINDS",
    "activation_model",
    "check_model_shapes",
    "check_save_targets",
    "conv_kernels",
    "describe_layers",
    "detached_copy",
    "export_tflite",
    "file_sha256",
    "keras_path",
    "load_keras_model",
    "make_metadata",
    "read_kernels",
    "read_metadata",
    "read_metadata_checked",
    "read_tflite",
    "save_model",
    "sidecar",
    "visible_layers",
]

MAX_KERNEL_VALUES = 50_000_000
MAX_KERNELS_BYTES = 256 * 1024 * 1024
MAX_TFLITE_BYTES = 256 * 1024 * 1024


def file_sha256(path: str | Path, limit: int = MAX_MODEL_BYTES) -> str:
    """SHA-256 of a regular file of at most ``limit`` bytes (else ``OSError``)."""
    return sha256_bounded(path, limit)


# ---------------------------------------------------------------- loading


def load_keras_model(path: str | Path) -> Any:
    """Load an untrusted ``.keras`` file; raise ``ModelFileError`` with the reason."""
    path = Path(path)
    check_archive(path)
    if (missing := tensorflow_missing()) is not None:  # the lean bundle
        raise ModelFileError(path, missing)
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


def read_kernels(path: str | Path, expected_sha256: str | None = None) -> dict:
    """Conv kernels (kh, kw, in, out) by layer name; ``{}`` if absent or corrupt.

    With ``expected_sha256`` (from the metadata) a file that does not match, e.g. a
    sidecar left over from another model, is ignored. Array headers are checked before
    any data is read, so a tiny file cannot claim a huge array.
    """
    kernels_path = sidecar(path, "kernels")
    try:
        data = read_bounded(kernels_path, MAX_KERNELS_BYTES)
        if expected_sha256 and hashlib.sha256(data).hexdigest() != expected_sha256:
            return {}
        values = 0
        for shape, dtype in array_headers(data):
            values += int(np.prod(shape, dtype=np.float64))
            if dtype.hasobject or values > MAX_KERNEL_VALUES:
                return {}
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            return {name: npz[name] for name in npz.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError, MemoryError):
        return {}


def read_tflite(path: str | Path) -> bytes:
    """A ``.tflite`` file's bytes (bounded, regular files only), else ModelFileError."""
    try:
        return read_bounded(path, MAX_TFLITE_BYTES)
    except FileNotFoundError:
        raise ModelFileError(path, "no such file") from None
    except RefusedFile as error:
        raise ModelFileError(path, error.reason) from None
    except OSError as error:
        raise ModelFileError(path, f"cannot read ({error.strerror})") from None


# ---------------------------------------------------------------- saving


def check_save_targets(path: str | Path) -> Path:
    """Refuse now, not after a long training run, a save that cannot succeed.

    Every file ``save_model`` will write (the ``.keras`` and each sidecar) must be
    absent or a regular file it may replace, in a folder it can create files in.
    Returns the ``.keras`` path the save will use.
    """
    path = keras_path(path)
    for target in (path, *(sidecar(path, kind) for kind in SIDECAR_KINDS)):
        if target.is_dir():
            raise ModelFileError(target, "is a folder")
        if os.path.lexists(target) and target.exists() and not target.is_file():
            raise ModelFileError(target, "is not a regular file; will not replace it")
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise ModelFileError(path, f"{folder} is not a folder")
    if folder == path.parent:
        try:  # permissions alone do not tell (root, read-only mounts, /proc)
            with tempfile.TemporaryFile(dir=folder):
                pass
        except OSError as error:
            raise ModelFileError(
                path, f"cannot write in {folder} ({error.strerror})"
            ) from None
    elif not os.access(folder, os.W_OK | os.X_OK):
        raise ModelFileError(path, f"no permission to create folders in {folder}")
    return path


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

    All five files are written in full before any is replaced, so a failed save
    leaves the old model, metadata and exports together. Readers key on the
    ``.keras`` file, so a new model only appears once its sidecars are in place.
    """
    path = keras_path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tflite = export_tflite(model)
    buffer = io.BytesIO()
    np.savez(buffer, **conv_kernels(model))
    weights = weights_bytes(model)
    model_bytes = _keras_bytes(model, path)
    metadata = {
        **metadata,
        "keras_sha256": hashlib.sha256(model_bytes).hexdigest(),
        "tflite_sha256": hashlib.sha256(tflite).hexdigest(),
        "kernels_sha256": hashlib.sha256(buffer.getvalue()).hexdigest(),
        "weights_sha256": hashlib.sha256(weights).hexdigest(),
    }
    write_files_atomically(
        [
            (sidecar(path, "tflite"), tflite),
            (sidecar(path, "kernels"), buffer.getvalue()),
            (sidecar(path, "weights"), weights),
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
