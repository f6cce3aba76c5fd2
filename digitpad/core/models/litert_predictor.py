"""The LiteRT predictor: the exported all-activations ``.tflite`` on XNNPACK.

The fast path of every prediction, and the one that never imports TensorFlow (the
app process must not). Apart from ``inference`` (which picks a backend for a file)
because the interpreter's checks, its batch-sized twins for numbers and its thread
count are LiteRT's own business.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from digitpad.core.errors import ModelFileError, one_line
from digitpad.core.models.prediction import Prediction, Predictor, check_probabilities
from digitpad.core.models.probes import rows_are_distributions
from digitpad.core.models.tflite_check import check_operators
from digitpad.core.quiet import quiet_output

BATCH_SIZES_KEPT = 4
SCORING_BATCH = 32  # images per invoke when reading a test set (``reading_many``)
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
        self._reader: Any = None  # the batch interpreter of ``reading_many``

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

    @contextmanager
    def reading_many(self, threads: int | None = None) -> Iterator[None]:
        """Within the block, ``predict_probabilities`` reads ``SCORING_BATCH`` images
        per invoke, on an interpreter of ``threads`` threads (default ``THREADS``)
        kept for the block alone.

        XNNPACK reads a test set 10-20 % faster so than one image per invoke, with
        identical answers. The interpreter costs about 15 ms to set up and 22 MB for
        the compact net, so it is paid once per test set and let go after it: kept
        on the predictor, it stayed in the app for as long as the model did.
        """
        outer = self._reader
        self._reader = self._new_interpreter(SCORING_BATCH, threads or THREADS)
        try:
            yield
        finally:
            self._reader = outer

    def predict_probabilities(self, images: np.ndarray) -> np.ndarray:
        """(N, 28, 28) images -> (N, 10), reading back only the softmax.

        One image per invoke on the single-digit interpreter, or batched inside
        ``reading_many``. The answers are checked together, as ``predict``'s are.
        """
        batch = np.asarray(images, dtype=np.float32).reshape(-1, 28, 28, 1)
        result = np.zeros((len(batch), 10), np.float32)
        softmax = dict(self._outputs)[self._softmax]
        reader = self._reader
        try:
            if reader is None or len(batch) < SCORING_BATCH:
                interpreter = self._interpreter
                for i, image in enumerate(batch):
                    interpreter.set_tensor(self._input, image[None])
                    interpreter.invoke()
                    result[i] = interpreter.get_tensor(softmax)[0]
            else:
                for start in range(0, len(batch), SCORING_BATCH):
                    part = _padded(batch[start : start + SCORING_BATCH])
                    reader.set_tensor(self._input, part)
                    reader.invoke()
                    count = min(SCORING_BATCH, len(batch) - start)
                    result[start : start + count] = reader.get_tensor(softmax)[:count]
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
            interpreter = self._new_interpreter(size, THREADS)
            while len(self._batches) >= BATCH_SIZES_KEPT:
                del self._batches[next(iter(self._batches))]
        self._batches[size] = interpreter  # most recently used last
        return interpreter

    def _new_interpreter(self, size: int, threads: int) -> Any:
        from ai_edge_litert.interpreter import Interpreter

        with quiet_output():
            interpreter = Interpreter(model_content=self._tflite, num_threads=threads)
            interpreter.resize_tensor_input(self._input, [size, 28, 28, 1])
            interpreter.allocate_tensors()
        return interpreter


def _padded(part: np.ndarray) -> np.ndarray:
    """A last, short batch filled up with blank images (their answers are dropped)."""
    missing = SCORING_BATCH - len(part)
    if missing == 0:
        return part
    return np.concatenate([part, np.zeros((missing, 28, 28, 1), np.float32)])


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


def _softmax_name(names: list[str], interpreter: Any, outputs: dict[str, int]) -> str:
    """The output holding the 10 class probabilities: the last layer with 10 units."""
    details = {d["index"]: d for d in interpreter.get_output_details()}
    for name in reversed(names):
        if tuple(details[outputs[name]]["shape"]) == (1, 10):
            return name
    raise ModelFileError(None, "no output with 10 class probabilities")


def litert_available() -> bool:
    try:
        import ai_edge_litert.interpreter  # noqa: F401
    except ImportError:
        return False
    return True
