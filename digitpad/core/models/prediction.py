"""What every predictor returns, and the checks every answer passes.

``Predictor.predict`` is the one door to a model's forward pass, whatever the backend:
the input is shaped once, a failing forward pass becomes a ``ModelFileError`` with one
line, and an answer that is not ten finite probabilities is refused, so no caller ever
shows "nan%" or writes ``NaN`` into JSON. Backends (``litert_predictor``,
``tensorflow_predictor``) implement only ``_predict``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from digitpad.core.errors import ModelFileError, one_line
from digitpad.core.models import modelfile
from digitpad.core.models.probes import all_distributions, check_outputs


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
        weights: bytes | None = None,
    ) -> None:
        self.path = path
        self.metadata = metadata
        self._kernels = kernels  # None: read lazily from the file beside ``path``
        self._weights_file = weights  # a helper's sidecar bytes (previews, conversions)
        self._weights: Any = None
        self._weights_read = False

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

    def unit_weights(self) -> Any:
        """Every layer's weights and the layer graph (``NetworkWeights``), or None
        when the model has no usable ``NAME.weights.npz`` (read once, bounded)."""
        if not self._weights_read:
            from digitpad.core.models import unit_weights

            self._weights_read = True
            if self._weights_file is not None:
                try:
                    self._weights = unit_weights.decode(self._weights_file)
                except unit_weights.WeightsFileError:
                    self._weights = None
            elif self.path is not None:
                self._weights = unit_weights.read_weights(
                    self.path, self.metadata.get("weights_sha256")
                )
        return self._weights

    def predict(self, image28: np.ndarray) -> Prediction:
        """Probabilities and activations; ``ModelFileError`` if the model fails on
        this input or answers with anything but 10 finite probabilities."""
        image = _as_input(image28)
        return self._checked(lambda: [self._predict(image)])[0]

    def predict_many(self, images: Sequence[np.ndarray]) -> list[Prediction]:
        """Several 28x28 images (the digits of a number), checked like ``predict``.

        One image goes through ``predict`` itself: a lone digit reads exactly as
        today; backends may answer a batch in one call (``_predict_many``).
        """
        if len(images) <= 1:
            return [self.predict(image) for image in images]
        batch = np.concatenate([_as_input(image) for image in images])
        return self._checked(lambda: self._predict_many(batch))

    def _checked(self, forward: Callable[[], list[Prediction]]) -> list[Prediction]:
        """Run a forward pass; any failure or non-probability answer is one line."""
        try:
            predictions = forward()
        except Exception as error:  # LiteRT/TensorFlow raise many kinds
            raise ModelFileError(
                self.path or self.name,
                f"the model failed on this input ({one_line(error)})",
            ) from None
        if not all_distributions([p.probabilities for p in predictions]):
            raise ModelFileError(
                self.path or self.name,
                "the model gave NaN, infinite or non-probability outputs",
            )
        return predictions

    def _predict(self, image: np.ndarray) -> Prediction:
        """The backend's forward pass on a (1, 28, 28, 1) float32 array, unchecked."""
        raise NotImplementedError

    def _predict_many(self, batch: np.ndarray) -> list[Prediction]:
        """(N, 28, 28, 1) -> N predictions, unchecked; one pass each by default."""
        return [self._predict(image[None]) for image in batch]

    @contextmanager
    def reading_many(self, threads: int | None = None) -> Iterator[None]:
        """A block in which ``predict_probabilities`` reads a large set in chunks.

        Backends that read faster in batches (LiteRT) set up for it here and let go
        after; ``threads`` is for those with a thread pool of their own: a caller
        reading with two models at once on two cores asks for one each.
        """
        yield

    def predict_probabilities(self, images: np.ndarray) -> np.ndarray:
        """(N, 28, 28) images -> (N, 10) probabilities."""
        return np.stack([self.predict(image).probabilities for image in images])


def check_probabilities(predictor: Predictor, where: Any) -> None:
    """The model answers a blank and an inked image with 10 finite probabilities."""
    check_outputs(lambda image: predictor._predict(_as_input(image)), where)


def _as_input(image28: np.ndarray) -> np.ndarray:
    array = np.asarray(image28, dtype=np.float32)
    if array.shape not in ((28, 28), (28, 28, 1), (1, 28, 28, 1)):
        raise ValueError(f"expected a 28x28 image, got shape {array.shape}")
    return array.reshape(1, 28, 28, 1)
