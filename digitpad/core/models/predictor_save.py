"""Save whatever model is current, wherever it came from, under a new name.

A model loaded from disk is copied file by file (no TensorFlow needed, checksums stay
valid); an in-memory model (a training preview, a fine-tuned one) is saved with
``modelfile.save_model``. Used by the GUI's "Save model as…" and kept Qt-free so the
core tests cover it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from digitpad.core.atomic import write_atomically
from digitpad.core.errors import DigitPadError
from digitpad.core.models import modelfile
from digitpad.core.models.inference import Predictor


def save_predictor(predictor: Predictor, path: str | Path) -> Path:
    """Write the predictor's model to ``path`` (a ``.keras`` name) with its sidecars.

    A model loaded from disk is copied file by file (no TensorFlow needed, checksums
    stay valid); an in-memory model is saved with ``modelfile.save_model``. Every file
    is written atomically, the ``.keras`` file last.
    """
    path = modelfile.keras_path(path)
    model = getattr(predictor, "model", None)
    source = predictor.path
    if source is not None and source.suffix == ".keras" and source.is_file():
        if source.resolve() == path.resolve():
            return path
        for kind in ("tflite", "kernels", "weights", "metadata"):
            if modelfile.sidecar(source, kind).is_file():
                _copy(modelfile.sidecar(source, kind), modelfile.sidecar(path, kind))
            else:  # a sidecar of whatever was saved here before would not match
                modelfile.sidecar(path, kind).unlink(missing_ok=True)
        _copy(source, path)
        return path
    if model is None:
        raise DigitPadError(f"{path}: this model has no Keras file to save")
    metadata = {k: v for k, v in predictor.metadata.items() if not k.endswith("sha256")}
    metadata.setdefault("architecture", "custom")
    try:
        return modelfile.save_model(model, path, metadata)
    except OSError as error:
        raise DigitPadError(f"{path}: cannot write ({error.strerror})") from None


def _copy(source: Path, target: Path) -> None:
    try:
        write_atomically(target, lambda tmp: shutil.copyfile(source, tmp))
    except OSError as error:
        raise DigitPadError(f"{target}: cannot write ({error.strerror})") from None
