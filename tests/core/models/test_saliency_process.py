"""Saliency in the helper process: the same maps as in-process, one-line failures."""

from __future__ import annotations

import numpy as np
import pytest

from digitpad.core.errors import DigitPadError
from digitpad.core.helpers.tensorflow_helper import TensorFlowHelper
from digitpad.core.models.saliency import ExplainerCache
from digitpad.core.models.saliency_process import SaliencyProcess

pytestmark = pytest.mark.slow


def test_the_helper_explains_like_the_app_process_did(shipped_predictor):
    image = np.zeros((28, 28), np.float32)
    image[5:23, 13:16] = 1.0  # a 1
    helper = TensorFlowHelper(idle_timeout=600)
    process = SaliencyProcess(helper)
    seen: list[str] = []
    try:
        remote = process.explain(shipped_predictor, image, None, seen.append)
        again = process.explain(shipped_predictor, image, 7, seen.append)
    finally:
        helper.close()
    local = ExplainerCache().explain(shipped_predictor, image, None)
    assert remote.digit == local.digit
    np.testing.assert_allclose(remote.gradient, local.gradient, atol=1e-4)
    assert again.digit == 7
    assert seen[0].startswith("Loading TensorFlow") and seen[-1] == "Computing…"


def test_a_model_without_a_keras_file_is_refused_in_one_line(shipped_predictor):
    class InMemory:
        path = None

    with pytest.raises(DigitPadError) as caught:
        SaliencyProcess().explain(InMemory(), np.zeros((28, 28), np.float32), None)
    assert "\n" not in str(caught.value)
