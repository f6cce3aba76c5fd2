"""The TensorFlow predictor: a Keras model behind a fixed-signature ``tf.function``.

Used without LiteRT, for a ``.keras`` whose ``.tflite`` is missing or stale, and for
a model being trained (``predictor_from_model``). Apart from the LiteRT one so that
``inference`` and the app process import TensorFlow only when this one is built.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from digitpad.core.errors import ModelFileError, one_line
from digitpad.core.models import modelfile
from digitpad.core.models.prediction import Prediction, Predictor, check_probabilities


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
