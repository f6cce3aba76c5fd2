"""Loading a model file as a predictor: which backend, and which files to trust.

LiteRT (``litert_predictor``) runs the exported all-activations ``.tflite`` when the
runtime is installed and the export matches the ``.keras`` by its recorded hash;
loading and predicting that way never imports TensorFlow. Without LiteRT, or for a
``.keras`` whose ``.tflite`` is missing or stale, ``tensorflow_predictor`` does the
same job. This module only decides between them and checks the sidecar files.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from digitpad.core.errors import ModelFileError, NoLiteRtExport
from digitpad.core.models import modelfile
from digitpad.core.models.litert_predictor import LiteRtPredictor, litert_available
from digitpad.core.models.prediction import Prediction, Predictor
from digitpad.core.models.tensorflow_predictor import TensorFlowPredictor
from digitpad.core.paths import shipped_model_path

# Prediction, Predictor and LiteRtPredictor, litert_available are imported from here
# by gui/training (training_panel, training_worker and others), left to their owners
__all__ = [
    "LiteRtPredictor",
    "Prediction",
    "Predictor",
    "litert_available",
    "load_predictor",
    "predictor_from_model",
    "trusted_metadata",
]


def load_predictor(
    path: str | Path | None = None, *, backend: str = "auto", kernels: bool = False
) -> Predictor:
    """The model at ``path`` (None: the shipped one) as a predictor.

    ``backend`` is "auto" (LiteRT when its export is present and current), "litert" or
    "tensorflow". ``kernels`` reads the convolution kernels and the weights sidecar
    now rather than on first use (a GUI loads off its thread and then never touches
    the disk on it). Raises
    ``ModelFileError`` naming the file and the reason.
    """
    predictor = _load_predictor(path, backend)
    if kernels:
        predictor.kernels()
        predictor.unit_weights()
    return predictor


def _load_predictor(path: str | Path | None, backend: str) -> Predictor:
    path = Path(path) if path is not None else shipped_model_path()
    if path.suffix == ".tflite":
        return _litert_from_file(path, modelfile.read_metadata(path))
    metadata = modelfile.read_metadata(path)
    want_litert = backend == "litert" or (backend == "auto" and litert_available())
    if want_litert and litert_available() and _keras_matches(path, metadata):
        tflite = _current_export(path, metadata)
        if tflite is not None:
            return LiteRtPredictor(tflite, path, metadata)
    if backend == "litert":
        raise NoLiteRtExport(path, "no current .tflite export beside it (or no LiteRT)")
    model = modelfile.load_keras_model(path)
    return TensorFlowPredictor(
        model, path, metadata if _keras_matches(path, metadata) else {}
    )


def predictor_from_model(
    model: Any, metadata: dict[str, Any] | None = None
) -> Predictor:
    """Wrap an in-memory Keras model (e.g. one being trained) as a predictor."""
    return TensorFlowPredictor(model, None, metadata or {})


def _litert_from_file(
    tflite_path: Path, metadata: dict[str, Any], model_path: Path | None = None
) -> Predictor:
    if not litert_available():
        raise ModelFileError(tflite_path, "LiteRT (ai-edge-litert) is not installed")
    data = modelfile.read_tflite(tflite_path)
    return LiteRtPredictor(data, model_path or tflite_path, metadata)


def _same_file(path: Path, expected: Any) -> bool:
    """``path`` is a regular file whose SHA-256 is ``expected`` (bounded read)."""
    if not expected or not path.is_file():
        return False
    try:
        return modelfile.file_sha256(path) == expected
    except OSError:  # vanished, unreadable, or not what it claimed to be
        return False


def trusted_metadata(path: Path) -> dict[str, Any]:
    """The sidecar metadata of the ``.keras`` at ``path`` if it describes exactly
    that file (by its recorded hash), else nothing."""
    try:
        metadata = modelfile.read_metadata(path)
    except ModelFileError:
        return {}
    return metadata if _keras_matches(path, metadata) else {}


def _keras_matches(path: Path, metadata: dict[str, Any]) -> bool:
    return _same_file(path, metadata.get("keras_sha256"))


def _current_export(path: Path, metadata: dict[str, Any]) -> bytes | None:
    """The ``.tflite`` beside ``path`` if it was exported from exactly this file."""
    tflite = modelfile.sidecar(path, "tflite")
    expected = metadata.get("tflite_sha256")
    if not expected:
        return None
    try:
        data = modelfile.read_tflite(tflite)
    except ModelFileError:  # absent or refused: the TensorFlow path decides
        return None
    return data if hashlib.sha256(data).hexdigest() == expected else None
