"""Saliency and Grad-CAM: right shapes for every architecture, evidence on the ink."""

from __future__ import annotations

import numpy as np
import pytest

from digitpad.core.architectures import ARCHITECTURES, build_model
from digitpad.core.errors import ModelFileError
from digitpad.core.inference import load_predictor, predictor_from_model
from digitpad.core.saliency import (
    SaliencyExplainer,
    gradcam_layer_name,
    keras_model_for,
)

EXPECTED_GRADCAM_LAYER = {
    "tutorial": "conv3",
    "compact": "conv3_relu",
    "vgg": "conv3_relu",
    "resnet": "res3_out",
}


@pytest.mark.parametrize("name", list(ARCHITECTURES))
def test_every_architecture_gets_both_maps(name, mnist_test_sample):
    model = build_model(name)
    assert gradcam_layer_name(model) == EXPECTED_GRADCAM_LAYER[name]
    explainer = SaliencyExplainer(model)
    saliency = explainer.explain(mnist_test_sample[0][0], class_index=3)
    assert saliency.digit == 3
    for heat in (saliency.gradient, saliency.gradcam):
        assert heat.shape == (28, 28) and heat.dtype == np.float32
        assert heat.min() >= 0.0 and heat.max() <= 1.0
    assert saliency.probabilities.shape == (10,)
    assert saliency.probabilities.sum() == pytest.approx(1.0, abs=1e-4)


def test_shipped_model_looks_at_the_digit(mnist_test_sample):
    images, labels = mnist_test_sample
    predictor = load_predictor()
    explainer = SaliencyExplainer(keras_model_for(predictor))
    border = np.ones((28, 28), bool)
    border[4:-4, 4:-4] = False
    on_ink = {"gradient": [], "gradcam": []}
    on_border = {"gradient": [], "gradcam": []}
    for image, label in zip(images[:8], labels[:8], strict=True):
        saliency = explainer.explain(image)
        assert saliency.digit == label  # default: explain the predicted digit
        ink = image > 0.3
        for kind in on_ink:
            heat = getattr(saliency, kind)
            on_ink[kind].append(heat[ink].mean())
            on_border[kind].append(heat[border].mean())
    assert np.mean(on_ink["gradient"]) > 2 * np.mean(on_border["gradient"])
    assert np.mean(on_ink["gradcam"]) > 2 * np.mean(on_border["gradcam"])


def test_in_memory_models_are_used_directly():
    model = build_model("tutorial")
    assert keras_model_for(predictor_from_model(model)) is model


def test_a_tflite_only_model_is_refused_with_a_reason(tmp_path):
    class TfliteOnly:
        model = None
        path = tmp_path / "digits.tflite"

    with pytest.raises(ModelFileError, match=r"\.keras"):
        keras_model_for(TfliteOnly())
