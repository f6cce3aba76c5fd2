"""Saliency and Grad-CAM: right shapes for every architecture, evidence on the ink."""

from __future__ import annotations

import numpy as np
import pytest

from digitpad.core.errors import ModelFileError
from digitpad.core.models.inference import load_predictor, predictor_from_model
from digitpad.core.models.saliency import (
    SaliencyExplainer,
    gradcam_layer_name,
    keras_model_for,
)
from digitpad.core.networks.builder import build_preset
from digitpad.core.networks.presets import PRESETS
from tests.support.saliency import near_ink

EXPECTED_GRADCAM_LAYER = {
    "tutorial": "conv3",
    "compact": "conv3_relu",
    "vgg": "conv3_relu",
    "resnet": "res3_out",
    "lenet5": "conv2",
    "alexnet_small": "conv5",
    "inception_small": "inception3_concat",  # the whole block, not its last branch
}


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_architecture_gets_both_maps(name, mnist_test_sample):
    model = build_preset(name)
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
    """The most salient pixels sit on or beside the strokes, far above chance."""
    images, labels = mnist_test_sample
    predictor = load_predictor()
    explainer = SaliencyExplainer(keras_model_for(predictor))
    on_strokes = {"gradient": [], "gradcam": []}
    chance = []
    for image, label in zip(images[:8], labels[:8], strict=True):
        saliency = explainer.explain(image)
        assert saliency.digit == label  # default: explain the predicted digit
        near = near_ink(image)
        chance.append(near.mean())
        for kind in on_strokes:
            heat = getattr(saliency, kind)
            top = heat >= np.quantile(heat, 0.9)  # the 10% strongest evidence
            on_strokes[kind].append((top & near).sum() / top.sum())
    assert np.mean(chance) < 0.45  # the strokes' surroundings are under half the image
    for kind, fractions in on_strokes.items():
        assert np.mean(fractions) > 0.65, kind


def test_in_memory_models_are_used_directly():
    model = build_preset("tutorial")
    assert keras_model_for(predictor_from_model(model)) is model


def test_a_tflite_only_model_is_refused_with_a_reason(tmp_path):
    class TfliteOnly:
        model = None
        path = tmp_path / "digits.tflite"

    with pytest.raises(ModelFileError, match=r"\.keras"):
        keras_model_for(TfliteOnly())
