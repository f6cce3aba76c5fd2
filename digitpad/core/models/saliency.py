""" "Why this digit": which input pixels pushed the network towards its answer.

Two classic answers, both from one TensorFlow gradient pass:

- *Gradient saliency* (SmoothGrad): how much the class score changes when a pixel
  changes, averaged over a few noisy copies of the input so the map is not speckled.
- *Grad-CAM*: the last convolutional feature maps, weighted by how much each one
  matters for the class, upsampled to 28x28; coarse but easy to read.

The class score is the logit (the softmax layer's input), because a confident softmax
has vanishing gradients. TensorFlow is imported only when an explainer is built; callers
run this off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image

from digitpad.core.errors import DigitPadError, ModelFileError, one_line
from digitpad.core.models import modelfile

SMOOTHGRAD_SAMPLES = 16
SMOOTHGRAD_NOISE = 0.15  # standard deviation of the noise, on the 0..1 pixel scale
# Concatenate: an inception block's output (all four branches), not its last branch
_SPATIAL_KINDS = (
    "Conv2D",
    "BatchNormalization",
    "ReLU",
    "Add",
    "Activation",
    "Concatenate",
)


@dataclass(frozen=True)
class Saliency:
    """Saliency maps for one input, each (28, 28) float32 scaled to 0..1."""

    digit: int  # the class explained
    probabilities: np.ndarray  # (10,)
    gradient: np.ndarray
    gradcam: np.ndarray | None  # None when the model has no spatial layer
    gradcam_layer: str | None


def keras_model_for(predictor: Any) -> Any:
    """The Keras model behind a predictor: in memory, or loaded safely from its file."""
    model = getattr(predictor, "model", None)
    if model is not None:
        return model
    path = getattr(predictor, "path", None)
    if path is None or str(path).endswith(".tflite"):
        raise ModelFileError(path, "saliency needs the .keras model, not only .tflite")
    return modelfile.load_keras_model(path)


def gradcam_layer_name(model: Any) -> str | None:
    """The last layer that still has a spatial (H, W, C) output: Grad-CAM's target."""
    for layer in reversed(modelfile.visible_layers(model)):
        if type(layer).__name__ in _SPATIAL_KINDS and len(layer.output.shape) == 4:
            return layer.name
    return None


class SaliencyExplainer:
    """Compiles the gradient pass for one model once; ``explain`` is then fast."""

    def __init__(self, model: Any, *, seed: int = 0) -> None:
        import keras
        import tensorflow as tf

        self._tf = tf
        self.model = model
        self.layer_name = gradcam_layer_name(model)
        last = model.layers[-1]
        self._manual_logits = (
            type(last).__name__ == "Dense"
            and getattr(last.activation, "__name__", "") == "softmax"
        )
        outputs = {"probabilities": model.outputs[0]}
        if self._manual_logits:
            outputs["features"] = last.input
        if self.layer_name:
            outputs["spatial"] = model.get_layer(self.layer_name).output
        self._extractor = keras.Model(model.inputs[0], outputs)
        self._last = last
        self._rng = np.random.default_rng(seed)
        spec = tf.TensorSpec((None, 28, 28, 1), tf.float32)
        self._pass = tf.function(
            self._gradients,
            input_signature=[spec, tf.TensorSpec((), tf.int32)],
        )

    def _gradients(self, batch: Any, class_index: Any) -> dict[str, Any]:
        tf = self._tf
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(batch)
            out = self._extractor(batch, training=False)
            if self._manual_logits:
                logits = tf.matmul(out["features"], self._last.kernel)
                if self._last.use_bias:
                    logits = logits + self._last.bias
            else:
                logits = tf.math.log(out["probabilities"] + 1e-9)
            score = logits[:, class_index]
        result = {
            "probabilities": out["probabilities"][0],
            "input_gradient": tape.gradient(score, batch),
        }
        if self.layer_name:
            result["spatial"] = out["spatial"][0]
            result["spatial_gradient"] = tape.gradient(score, out["spatial"])[0]
        del tape
        return result

    def explain(self, image28: np.ndarray, class_index: int | None = None) -> Saliency:
        """Saliency for ``class_index`` (default: the predicted digit)."""
        image = np.asarray(image28, dtype=np.float32).reshape(28, 28)
        noise = self._rng.normal(0.0, SMOOTHGRAD_NOISE, (SMOOTHGRAD_SAMPLES, 28, 28))
        batch = np.concatenate([image[None], image[None] + noise.astype(np.float32)])
        batch = batch.reshape(-1, 28, 28, 1).astype(np.float32)
        if class_index is None:
            probs = self._extractor(batch[:1], training=False)["probabilities"]
            class_index = int(np.argmax(np.asarray(probs)[0]))
        out = self._pass(batch, np.int32(class_index))
        gradient = np.abs(out["input_gradient"].numpy()[..., 0]).mean(axis=0)
        gradcam = None
        if self.layer_name:
            gradcam = _gradcam(out["spatial"].numpy(), out["spatial_gradient"].numpy())
        return Saliency(
            digit=int(class_index),
            probabilities=out["probabilities"].numpy().astype(np.float32),
            gradient=_unit(gradient),
            gradcam=gradcam,
            gradcam_layer=self.layer_name,
        )


def _gradcam(maps: np.ndarray, gradients: np.ndarray) -> np.ndarray:
    """Channel weights = mean gradient; CAM = ReLU(weighted sum), upsampled, min-max."""
    weights = gradients.mean(axis=(0, 1))
    cam = np.maximum((maps * weights).sum(axis=-1), 0.0).astype(np.float32)
    if cam.shape != (28, 28):
        pil = Image.fromarray(cam, mode="F")
        cam = np.asarray(pil.resize((28, 28), Image.Resampling.BILINEAR))
    return _unit(cam - cam.min())


def _unit(array: np.ndarray) -> np.ndarray:
    """Scale to 0..1 by the maximum; an all-zero map stays zero."""
    array = np.asarray(array, dtype=np.float32)
    peak = float(array.max(initial=0.0))
    return (array / peak if peak > 0 else np.zeros_like(array)).astype(np.float32)


class ExplainerCache:
    """One compiled explainer for the model in use, rebuilt when the model changes.

    Building it loads TensorFlow and the ``.keras`` file (seconds, the first time), so
    callers run ``explain`` off the GUI thread, one call at a time.
    """

    def __init__(self) -> None:
        self._predictor: Any = None
        self._explainer: SaliencyExplainer | None = None

    def explain(
        self,
        predictor: Any,
        image28: np.ndarray,
        class_index: int | None,
        progress: Callable[[str], None] = lambda _text: None,
    ) -> Saliency:
        try:
            if predictor is not self._predictor or self._explainer is None:
                self._predictor, self._explainer = None, None
                progress("Loading the model into TensorFlow (first time only)…")
                self._explainer = SaliencyExplainer(keras_model_for(predictor))
                self._predictor = predictor
            progress("Computing…")
            return self._explainer.explain(image28, class_index)
        except DigitPadError:
            self._predictor = None
            raise
        except Exception as error:  # TensorFlow raises many types; show one line
            self._predictor = None
            text = one_line(error, limit=160)
            raise DigitPadError(f"Could not compute saliency: {text}") from None
