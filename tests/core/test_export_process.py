"""The export helper process turns weight snapshots into working LiteRT models."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from digitpad.core import modelfile
from digitpad.core.architectures import build_model
from digitpad.core.export_process import HELPER_GONE, ExportProcess
from digitpad.core.inference import LiteRtPredictor, litert_available

pytestmark = pytest.mark.skipif(not litert_available(), reason="needs LiteRT")


def test_snapshots_come_back_as_the_same_model_and_close_stops_the_helper():
    results: list[tuple[int, bytes | None, str | None]] = []
    arrived = threading.Event()

    def done(epoch, tflite, error):
        results.append((epoch, tflite, error))
        arrived.set()

    model = build_model("tutorial")
    image = np.random.default_rng(3).random((28, 28), dtype=np.float32)
    expected = model(image[None, ..., None]).numpy()[0]
    helper = ExportProcess(done)
    assert helper.running
    try:
        helper.submit(1, "tutorial", model.get_weights())
        assert helper.wait_idle(120, lambda: False)
        assert arrived.is_set()
        ((epoch, tflite, error),) = results
        assert epoch == 1 and error is None
        layers = {"layers": modelfile.describe_layers(model)}
        predictor = LiteRtPredictor(tflite, None, layers)
        got = predictor.predict(image).probabilities
        np.testing.assert_allclose(got, expected, atol=1e-5)

        helper.submit(2, "no-such-architecture", [])
        assert helper.wait_idle(60, lambda: False)
        assert results[-1][0] == 2 and results[-1][1] is None and results[-1][2]
    finally:
        helper.close()
    assert not helper.running


def test_a_helper_that_dies_mid_export_is_reported_not_waited_for():
    results = []
    helper = ExportProcess(lambda *result: results.append(result))
    try:
        model = build_model("tutorial")
        helper.submit(1, "tutorial", model.get_weights())
        helper._process.kill()  # e.g. the out-of-memory killer
        assert helper.wait_idle(60, lambda: False)
        assert results == [(1, None, HELPER_GONE)]
        helper.submit(2, "tutorial", model.get_weights())  # no hang, no crash
        assert results[-1] == (2, None, HELPER_GONE)
    finally:
        helper.close()
