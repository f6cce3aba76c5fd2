"""Predictors: 10 probabilities plus every layer's activation from one call.

LiteRT runs the exported all-activations ``.tflite`` when the runtime is installed;
importing this module and predicting that way never imports TensorFlow. Without LiteRT,
or for a ``.keras`` file whose ``.tflite`` is missing or stale, a ``tf.function`` with a
fixed input signature does the same job (never ``model.predict`` per sample).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import numpy as np

from digitpad.core.errors import ModelFileError, NoLiteRtExport, one_line
from digitpad.core.models import modelfile
from digitpad.core.models.prediction import Prediction, Predictor, _as_input
from digitpad.core.models.probes import check_outputs, rows_are_distributions

__all__ = [
    "LiteRtPredictor",
    "Prediction",
    "Predictor",
    "TensorFlowPredictor",
    "check_probabilities",
    "litert_available",
    "load_predictor",
    "predictor_from_model",
]
from digitpad.core.models.tflite_check import check_operators
from digitpad.core.paths import shipped_model_path
from digitpad.core.quiet import quiet_output

BATCH_SIZES_KEPT = 4
# XNNPACK splits each layer across threads: on 2 cores one digit takes 0.16 ms instead
# of 0.30 and six 0.66 ms instead of 1.30; with both cores busy elsewhere it is no
# slower at the median (0.28 vs 0.25 ms), so the interpreters always use two
THREADS = min(2, os.cpu_count() or 1)


class LiteRtPredictor(Predictor):
    """Runs the all-activations flatbuffer on the LiteRT interpreter (XNNPACK)."""

    backend = "LiteRT"

    def __init__(
        self,
        tflite: bytes,
        path: Path | None,
        metadata: dict[str, Any],
        kernels: dict[str, np.ndarray] | None = None,
        weights: bytes | None = None,
    ) -> None:
        super().__init__(path, metadata, kernels, weights)
        from ai_edge_litert.interpreter import Interpreter

        where = path or "model"
        check_operators(tflite, where)
        try:
            with quiet_output():  # XNNPACK announces itself on fd 2 here
                self._interpreter = Interpreter(
                    model_content=tflite, num_threads=THREADS
                )
                self._interpreter.allocate_tensors()
                runner = self._interpreter.get_signature_runner()
            outputs = {
                name: d["index"] for name, d in runner.get_output_details().items()
            }
            inputs = list(runner.get_input_details().values())
            del runner
        except Exception as error:  # corrupt flatbuffers raise RuntimeError/ValueError
            raise ModelFileError(
                where, f"not a usable LiteRT model ({error})"
            ) from None
        if len(inputs) != 1 or tuple(inputs[0]["shape"]) != (1, 28, 28, 1):
            raise ModelFileError(where, "LiteRT model input must be 1x28x28x1")
        self._input = inputs[0]["index"]
        names = self.layer_names or sorted(outputs)
        missing = [name for name in names if name not in outputs]
        if missing:
            raise ModelFileError(where, f"LiteRT model lacks outputs {missing[:3]}")
        self._outputs = [(name, outputs[name]) for name in names]
        _check_output_shapes(self._interpreter, self._outputs, self.layers(), where)
        try:
            self._softmax = _softmax_name(names, self._interpreter, dict(self._outputs))
        except ModelFileError as error:
            raise ModelFileError(where, error.reason) from None
        check_probabilities(self, where)
        self._tflite = tflite
        self._export_sha256: str | None = None
        self._batches: dict[int, Any] = {}  # batch size -> interpreter, for numbers

    def _predict(self, image: np.ndarray) -> Prediction:
        interpreter = self._interpreter
        interpreter.set_tensor(self._input, image)
        interpreter.invoke()
        activations = {name: interpreter.get_tensor(i)[0] for name, i in self._outputs}
        return Prediction(activations[self._softmax], activations)

    @property
    def export_sha256(self) -> str:
        """SHA-256 of the flatbuffer this predictor runs: what its answers depend on."""
        if self._export_sha256 is None:
            self._export_sha256 = hashlib.sha256(self._tflite).hexdigest()
        return self._export_sha256

    def predict_probabilities(self, images: np.ndarray) -> np.ndarray:
        """(N, 28, 28) images -> (N, 10), reading back only the softmax.

        A test set goes one image per invoke on the single-digit interpreter
        (fetching every layer's activation, as ``predict`` does, cost more than
        the forward pass); the answers are checked together, as ``predict``'s are.
        """
        batch = np.asarray(images, dtype=np.float32).reshape(-1, 1, 28, 28, 1)
        result = np.zeros((len(batch), 10), np.float32)
        interpreter, softmax = self._interpreter, dict(self._outputs)[self._softmax]
        try:
            for i, image in enumerate(batch):
                interpreter.set_tensor(self._input, image)
                interpreter.invoke()
                result[i] = interpreter.get_tensor(softmax)[0]
        except Exception as error:  # LiteRT raises RuntimeError/ValueError
            raise ModelFileError(
                self.path or self.name,
                f"the model failed on these inputs ({one_line(error)})",
            ) from None
        if len(result) and not rows_are_distributions(result):
            raise ModelFileError(
                self.path or self.name,
                "the model gave NaN, infinite or non-probability outputs",
            )
        return result

    def _predict_many(self, batch: np.ndarray) -> list[Prediction]:
        """One invoke for all digits of a number (a second interpreter, batch-sized)."""
        interpreter = self._batch_interpreter(len(batch))
        interpreter.set_tensor(self._input, batch)
        interpreter.invoke()
        outputs = {name: interpreter.get_tensor(i) for name, i in self._outputs}
        return [
            Prediction(outputs[self._softmax][n], {k: v[n] for k, v in outputs.items()})
            for n in range(len(batch))
        ]

    def _batch_interpreter(self, size: int) -> Any:
        """Built once per count of digits (a few ms), then kept: the last few sizes.

        Like the single-digit interpreter it runs on ``THREADS`` threads.
        """
        interpreter = self._batches.pop(size, None)
        if interpreter is None:
            from ai_edge_litert.interpreter import Interpreter

            with quiet_output():
                interpreter = Interpreter(
                    model_content=self._tflite, num_threads=THREADS
                )
                interpreter.resize_tensor_input(self._input, [size, 28, 28, 1])
                interpreter.allocate_tensors()
            while len(self._batches) >= BATCH_SIZES_KEPT:
                del self._batches[next(iter(self._batches))]
        self._batches[size] = interpreter  # most recently used last
        return interpreter


def _check_output_shapes(
    interpreter: Any, outputs: list[tuple[str, int]], layers: list[dict], where: Any
) -> None:
    """Every output must have the shape the metadata promises (the views rely on it)."""
    details = {d["index"]: d for d in interpreter.get_output_details()}
    promised = {layer["name"]: layer["output_shape"] for layer in layers}
    for name, index in outputs:
        shape = [int(d) for d in details[index]["shape"][1:]]
        if name in promised and promised[name] != shape:
            raise ModelFileError(
                where, f"output {name!r} has shape {shape}, not as listed"
            )


def check_probabilities(predictor: Predictor, where: Any) -> None:
    """The model answers a blank and an inked image with 10 finite probabilities."""
    check_outputs(lambda image: predictor._predict(_as_input(image)), where)


def _softmax_name(names: list[str], interpreter: Any, outputs: dict[str, int]) -> str:
    """The output holding the 10 class probabilities: the last layer with 10 units."""
    details = {d["index"]: d for d in interpreter.get_output_details()}
    for name in reversed(names):
        if tuple(details[outputs[name]]["shape"]) == (1, 10):
            return name
    raise ModelFileError(None, "no output with 10 class probabilities")


class TensorFlowPredictor(Predictor):
    """The same contract on TensorFlow: a compiled function with a fixed signature."""

    backend = "TensorFlow"

    def __init__(self, model: Any, path: Path | None, metadata: dict[str, Any]) -> None:
        import tensorflow as tf

        # the model itself says which layers it has; metadata may be stale or hostile
        metadata = {**metadata, "layers": modelfile.describe_layers(model)}
        super().__init__(path, metadata)
        self.model = model
        extractor = modelfile.activation_model(model)
        spec = tf.TensorSpec((1, 28, 28, 1), tf.float32)
        self._all = tf.function(
            lambda x: extractor(x, training=False), input_signature=[spec]
        )
        batch_spec = tf.TensorSpec((None, 28, 28, 1), tf.float32)
        self._probs = tf.function(
            lambda x: model(x, training=False), input_signature=[batch_spec]
        )
        self._softmax = self.layer_names[-1]
        check_probabilities(self, path or "model")
        # from the weights in hand: a kernels file beside a replaced model may be stale
        self._kernels = modelfile.conv_kernels(model)

    def unit_weights(self) -> Any:
        """From the model in hand (a sidecar beside a replaced file may be stale)."""
        if not self._weights_read:
            from digitpad.core.models.unit_weights import network_weights

            self._weights, self._weights_read = network_weights(self.model), True
        return self._weights

    def _predict(self, image: np.ndarray) -> Prediction:
        outputs = self._all(image)
        activations = {name: outputs[name].numpy()[0] for name in self.layer_names}
        return Prediction(activations[self._softmax], activations)

    def predict_probabilities(self, images: np.ndarray) -> np.ndarray:
        batch = np.asarray(images, dtype=np.float32).reshape(-1, 28, 28, 1)
        try:
            chunks = [
                self._probs(batch[i : i + 1024]).numpy()
                for i in range(0, len(batch), 1024)
            ]
        except Exception as error:
            raise ModelFileError(
                self.path or self.name,
                f"the model failed on these inputs ({one_line(error)})",
            ) from None
        result = np.concatenate(chunks) if chunks else np.zeros((0, 10), np.float32)
        if not np.all(np.isfinite(result)):
            raise ModelFileError(
                self.path or self.name, "the model gave NaN or infinite outputs"
            )
        return result


def litert_available() -> bool:
    try:
        import ai_edge_litert.interpreter  # noqa: F401
    except ImportError:
        return False
    return True


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
