"""Open a ``.keras`` without a current LiteRT export, without TensorFlow in the app.

The app's TensorFlow helper (``tensorflow_helper``) is asked a ``ConvertJob``: it
loads the file (safe mode and every check of ``modelfile``), exports it and answers
("converted", tflite, metadata, kernels, weights); the app then runs it on LiteRT like
any other model. During a training run the helper answers between two batches.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from digitpad.core.errors import DigitPadError, NoLiteRtExport, one_line


@dataclass(frozen=True)
class ConvertJob:
    path: str  # a .keras file without a current .tflite beside it

    def answer(self, caches: dict[str, Any]) -> tuple:
        """In the helper: ("converted", ...) or ("failed", text)."""
        return run_conversion(self)


def run_conversion(job: ConvertJob) -> tuple:
    from digitpad.core.models import modelfile
    from digitpad.core.models.inference import trusted_metadata
    from digitpad.core.models.unit_weights import weights_bytes

    try:
        model = modelfile.load_keras_model(job.path)  # safe mode and every check
        metadata = {
            **trusted_metadata(Path(job.path)),
            "layers": modelfile.describe_layers(model),  # the model says, not a file
        }
        return (
            "converted",
            modelfile.export_tflite(model),
            metadata,
            modelfile.conv_kernels(model),
            weights_bytes(model),
        )
    except DigitPadError as error:
        return ("failed", str(error))
    except Exception as error:  # TensorFlow raises a zoo of types
        return ("failed", f"{job.path}: cannot convert ({one_line(error)})")


def convert_keras(
    path: Path,
) -> tuple[bytes, dict[str, Any], dict[str, Any], bytes]:
    """(tflite, metadata, kernels, weights sidecar bytes) for the ``.keras`` at
    ``path``, made in a helper."""
    from digitpad.core.helpers.tensorflow_helper import shared_helper

    try:
        last = shared_helper().ask(ConvertJob(str(path)))
    except DigitPadError as error:
        raise DigitPadError(f"{path}: cannot convert ({error})") from None
    if not isinstance(last, tuple) or not last:
        raise DigitPadError(f"{path}: cannot convert (a garbled answer)")
    if last[0] != "converted" or len(last) != 5:
        raise DigitPadError(
            str(last[1]) if len(last) > 1 else f"{path}: cannot convert"
        )
    return last[1], last[2], last[3], last[4]


def load_without_tensorflow(path: str | Path | None) -> Any:
    """A predictor for ``path`` (None: the shipped model) without importing
    TensorFlow here: LiteRT, converting in a helper when the file has no current
    export. Where LiteRT or helpers are unavailable, ``load_predictor`` decides."""
    from digitpad.core.helpers.process import helper_supported
    from digitpad.core.models.inference import load_predictor
    from digitpad.core.models.litert_predictor import LiteRtPredictor, litert_available

    if path is None or not (litert_available() and helper_supported()):
        return load_predictor(path, kernels=True)
    try:
        return load_predictor(path, backend="litert", kernels=True)
    except NoLiteRtExport:
        tflite, metadata, kernels, weights = convert_keras(Path(path))
        predictor = LiteRtPredictor(tflite, Path(path), metadata, kernels, weights)
        predictor.unit_weights()  # decoded now, where the caller loads (off the GUI)
        return predictor
