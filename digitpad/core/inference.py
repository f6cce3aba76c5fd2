"""Predictors: 10 probabilities plus every layer's activation from one call.

LiteRT runs the exported all-activations ``.tflite`` when the runtime is installed;
importing this module and predicting that way never imports TensorFlow. Without LiteRT,
or for a ``.keras`` file whose ``.tflite`` is missing or stale, a ``tf.function`` with a
fixed input signature does the same job (never ``model.predict`` per sample).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from digitpad.core import modelfile
from digitpad.core.errors import ModelFileError
from digitpad.core.paths import shipped_model_path
from digitpad.core.quiet import quiet_output
from digitpad.core.tflite_check import check_operators


@dataclass(frozen=True)
class Prediction:
    probabilities: np.ndarray  # (10,) float32, sums to 1
    activations: dict[str, np.ndarray] = field(
        repr=False
    )  # layer name -> (H, W, C) or (N,)

    @property
    def digit(self) -> int:
        return int(np.argmax(self.probabilities))

    @property
    def confidence(self) -> float:
        return float(np.max(self.probabilities))


class Predictor:
    """Common interface of the LiteRT and TensorFlow predictors."""

    backend = "none"

    def __init__(
        self,
        path: Path | None,
        metadata: dict[str, Any],
        kernels: dict[str, np.ndarray] | None = None,
    ) -> None:
        self.path = path
        self.metadata = metadata
        self._kernels = kernels  # None: read lazily from the file beside ``path``

    @property
    def name(self) -> str:
        return self.path.stem if self.path else str(self.metadata.get("name", "model"))

    @property
    def layer_names(self) -> list[str]:
        """Visible layers in network order (the order of ``metadata['layers']``)."""
        return [layer["name"] for layer in self.metadata.get("layers", [])]

    def layers(self) -> list[dict[str, Any]]:
        """Name, kind, output shape and parameter count per visible layer."""
        return list(self.metadata.get("layers", []))

    def kernels(self) -> dict[str, np.ndarray]:
        """Conv kernels (kh, kw, in, out) by layer name, for the filter views."""
        if self._kernels is None:
            self._kernels = (
                modelfile.read_kernels(self.path, self.metadata.get("kernels_sha256"))
                if self.path
                else {}
            )
        return self._kernels

    def predict(self, image28: np.ndarray) -> Prediction:
        raise NotImplementedError

    def predict_many(self, images: Sequence[np.ndarray]) -> list[Prediction]:
        """Several 28x28 images (the digits of a number), every activation of each."""
        return [self.predict(image) for image in images]

    def predict_probabilities(self, images: np.ndarray) -> np.ndarray:
        """(N, 28, 28) images -> (N, 10) probabilities."""
        return np.stack([self.predict(image).probabilities for image in images])


def _as_input(image28: np.ndarray) -> np.ndarray:
    array = np.asarray(image28, dtype=np.float32)
    if array.shape not in ((28, 28), (28, 28, 1), (1, 28, 28, 1)):
        raise ValueError(f"expected a 28x28 image, got shape {array.shape}")
    return array.reshape(1, 28, 28, 1)


BATCH_SIZES_KEPT = 4


class LiteRtPredictor(Predictor):
    """Runs the all-activations flatbuffer on the LiteRT interpreter (XNNPACK)."""

    backend = "LiteRT"

    def __init__(
        self,
        tflite: bytes,
        path: Path | None,
        metadata: dict[str, Any],
        kernels: dict[str, np.ndarray] | None = None,
    ) -> None:
        super().__init__(path, metadata, kernels)
        from ai_edge_litert.interpreter import Interpreter

        where = path or "model"
        check_operators(tflite, where)
        try:
            with quiet_output():  # XNNPACK announces itself on fd 2 here
                self._interpreter = Interpreter(model_content=tflite, num_threads=1)
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
        self._batches: dict[int, Any] = {}  # batch size -> interpreter, for numbers

    def predict(self, image28: np.ndarray) -> Prediction:
        interpreter = self._interpreter
        interpreter.set_tensor(self._input, _as_input(image28))
        interpreter.invoke()
        activations = {name: interpreter.get_tensor(i)[0] for name, i in self._outputs}
        return Prediction(activations[self._softmax], activations)

    def predict_many(self, images: Sequence[np.ndarray]) -> list[Prediction]:
        """One invoke for all digits of a number (a second interpreter, batch-sized).

        One image goes through ``predict`` itself: a lone digit reads exactly as today.
        """
        if len(images) <= 1:
            return [self.predict(image) for image in images]
        batch = np.concatenate([_as_input(image) for image in images])
        interpreter = self._batch_interpreter(len(images))
        interpreter.set_tensor(self._input, batch)
        interpreter.invoke()
        outputs = {name: interpreter.get_tensor(i) for name, i in self._outputs}
        return [
            Prediction(outputs[self._softmax][n], {k: v[n] for k, v in outputs.items()})
            for n in range(len(images))
        ]

    def _batch_interpreter(self, size: int) -> Any:
        """Built once per count of digits (a few ms), then kept: the last few sizes."""
        interpreter = self._batches.pop(size, None)
        if interpreter is None:
            from ai_edge_litert.interpreter import Interpreter

            with quiet_output():
                interpreter = Interpreter(model_content=self._tflite, num_threads=1)
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
    """The output must be a probability distribution (a softmax), not raw scores."""
    probabilities = predictor.predict(np.zeros((28, 28), np.float32)).probabilities
    if (
        not np.all(np.isfinite(probabilities))
        or probabilities.min() < -1e-6
        or abs(float(probabilities.sum()) - 1.0) > 1e-3
    ):
        raise ModelFileError(where, "its output is not 10 probabilities (no softmax?)")


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

    def predict(self, image28: np.ndarray) -> Prediction:
        outputs = self._all(_as_input(image28))
        activations = {name: outputs[name].numpy()[0] for name in self.layer_names}
        return Prediction(activations[self._softmax], activations)

    def predict_probabilities(self, images: np.ndarray) -> np.ndarray:
        batch = np.asarray(images, dtype=np.float32).reshape(-1, 28, 28, 1)
        chunks = [
            self._probs(batch[i : i + 1024]).numpy() for i in range(0, len(batch), 1024)
        ]
        return np.concatenate(chunks) if chunks else np.zeros((0, 10), np.float32)


def litert_available() -> bool:
    try:
        import ai_edge_litert.interpreter  # noqa: F401
    except ImportError:
        return False
    return True


def load_predictor(
    path: str | Path | None = None, *, backend: str = "auto"
) -> Predictor:
    """The model at ``path`` (None: the shipped one) as a predictor.

    ``backend`` is "auto" (LiteRT when its export is present and current), "litert" or
    "tensorflow". Raises ``ModelFileError`` naming the file and the reason.
    """
    path = Path(path) if path is not None else shipped_model_path()
    if path.suffix == ".tflite":
        return _litert_from_file(path, modelfile.read_metadata(path))
    metadata = modelfile.read_metadata(path)
    want_litert = backend == "litert" or (backend == "auto" and litert_available())
    if want_litert and _export_is_current(path, metadata):
        return _litert_from_file(modelfile.sidecar(path, "tflite"), metadata, path)
    if backend == "litert":
        raise ModelFileError(path, "no current .tflite export beside it (or no LiteRT)")
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
    try:
        data = tflite_path.read_bytes()
    except OSError as error:
        raise ModelFileError(tflite_path, f"cannot read ({error.strerror})") from None
    return LiteRtPredictor(data, model_path or tflite_path, metadata)


def _keras_matches(path: Path, metadata: dict[str, Any]) -> bool:
    expected = metadata.get("keras_sha256")
    return bool(expected) and path.is_file() and modelfile.file_sha256(path) == expected


def _export_is_current(path: Path, metadata: dict[str, Any]) -> bool:
    """The ``.tflite`` beside ``path`` was exported from exactly this file."""
    tflite = modelfile.sidecar(path, "tflite")
    if not tflite.is_file() or not _keras_matches(path, metadata):
        return False
    return modelfile.file_sha256(tflite) == metadata.get("tflite_sha256")
