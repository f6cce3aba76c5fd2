"""The answer panel: confident, unsure and empty states look different."""

from __future__ import annotations

import numpy as np

from digitpad.core.models.inference import Prediction
from digitpad.core.preprocess.mnist_input import Preprocessed
from digitpad.gui.prediction.prediction_panel import (
    LOW_CONFIDENCE,
    PredictionPanel,
    model_summary,
    verdict,
)
from digitpad.gui.state import AppState, LiveResult


def result(probabilities: list[float] | None) -> LiveResult:
    image = np.zeros((28, 28), np.float32)
    if probabilities is None:
        return LiveResult(1, Preprocessed(None), None)
    p = np.asarray(probabilities, np.float32)
    return LiveResult(1, Preprocessed(image), Prediction(p, {}))


def test_verdict_states():
    assert verdict(None)[0] == "–"
    confident = np.eye(10, dtype=np.float32)[3]
    assert verdict(confident) == ("3", "100% sure it is a 3", True)
    unsure = np.full(10, 0.02, np.float32)
    unsure[4], unsure[9] = 0.45, 0.39
    assert unsure[4] < LOW_CONFIDENCE
    assert verdict(unsure) == ("4?", "Not sure: 4 or 9?", False)


def test_low_confidence_looks_different_from_a_confident_answer(qtbot):
    state = AppState()
    panel = PredictionPanel(state)
    qtbot.addWidget(panel)
    state.set_result(result([0.01] * 7 + [0.93]))
    confident_style = panel.digit.styleSheet()
    assert panel.digit.text() == "7"
    unsure = [0.02] * 10
    unsure[4], unsure[9] = 0.45, 0.39
    state.set_result(result(unsure))
    assert panel.digit.text() == "4?"
    assert panel.sentence.text() == "Not sure: 4 or 9?"
    assert panel.digit.styleSheet() != confident_style
    assert "4: 45%" in panel.bars.accessibleDescription()


def test_no_digit_state(qtbot):
    state = AppState()
    panel = PredictionPanel(state)
    qtbot.addWidget(panel)
    state.set_result(result(None))
    assert panel.digit.text() == "–"
    assert panel.sentence.text().startswith("No digit")
    assert panel.bars.accessibleDescription() == "No digit"


def test_model_summary_names_model_architecture_accuracy_backend(predictor):
    text = model_summary(predictor)
    assert predictor.name in text
    assert "compact" in text
    assert "% on MNIST test" in text
    assert predictor.backend in text
    assert model_summary(None) == "No model loaded"
