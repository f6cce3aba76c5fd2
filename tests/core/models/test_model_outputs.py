"""A model is probed with a blank image and with ink before it is used, and every
prediction is checked: no NaN or infinity ever reaches a user."""

from __future__ import annotations

import json

import numpy as np
import pytest

from digitpad.cli import main
from digitpad.core.errors import ModelFileError
from digitpad.core.models import (
    inference,
    litert_predictor,
    modelfile,
    tensorflow_predictor,
)
from tests.support.digits import drawing_dict, write_json


def _nan_for_ink(tmp_path):
    """Softmax over huge logits: uniform for a blank image, NaN once there is ink."""
    import keras

    inputs = keras.Input((28, 28, 1), name="image")
    x = keras.layers.Flatten(name="flat")(inputs)
    outputs = keras.layers.Dense(10, activation="softmax", name="probs")(x)
    model = keras.Model(inputs, outputs, name="nan_for_ink")
    dense = model.get_layer("probs")
    dense.set_weights([np.full((784, 10), 3e38, np.float32), np.zeros(10, np.float32)])
    metadata = modelfile.make_metadata(model, architecture="tutorial")
    return modelfile.save_model(model, tmp_path / "nan.keras", metadata)


@pytest.mark.parametrize("backend", ["litert", "tensorflow"])
def test_a_model_that_gives_nan_for_ink_is_refused_at_load(tmp_path, backend):
    path = _nan_for_ink(tmp_path)
    with pytest.raises(ModelFileError, match="NaN") as raised:
        inference.load_predictor(path, backend=backend)
    assert str(path) in str(raised.value) and "\n" not in str(raised.value)


def test_predict_refuses_a_non_finite_answer_even_after_loading(monkeypatch):
    predictor = inference.load_predictor()
    good = predictor._predict
    monkeypatch.setattr(
        predictor,
        "_predict",
        lambda image: inference.Prediction(
            np.full(10, np.nan, np.float32), good(image).activations
        ),
    )
    with pytest.raises(ModelFileError, match="NaN"):
        predictor.predict(np.zeros((28, 28), np.float32))


def test_one_bad_digit_of_a_number_refuses_the_whole_reading(monkeypatch):
    """The digits of a number are checked together: one NaN among six is caught."""
    predictor = inference.load_predictor()
    good = predictor._predict_many

    def one_nan(batch):
        predictions = good(batch)
        predictions[3] = inference.Prediction(
            np.full(10, np.nan, np.float32), predictions[3].activations
        )
        return predictions

    monkeypatch.setattr(predictor, "_predict_many", one_nan)
    images = [np.zeros((28, 28), np.float32)] * 6
    with pytest.raises(ModelFileError, match="NaN"):
        predictor.predict_many(images)
    monkeypatch.setattr(predictor, "_predict_many", good)
    assert len(predictor.predict_many(images)) == 6


def test_a_forward_pass_that_raises_is_one_line_in_the_cli(
    tmp_path, capsys, monkeypatch
):
    def broken(self, image):
        raise RuntimeError("tensor arena corrupted\n  at op 7")

    path = write_json(tmp_path / "one.json", drawing_dict([[[200, 50], [200, 350]]]))
    for backend, cls in (
        (litert_predictor, litert_predictor.LiteRtPredictor),
        (tensorflow_predictor, tensorflow_predictor.TensorFlowPredictor),
    ):
        monkeypatch.setattr(cls, "_predict", broken)
        monkeypatch.setattr(backend, "check_probabilities", lambda *args: None)
    code = main(["predict", "--json", str(path)])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "failed on this input" in err and "tensor arena corrupted" in err


def test_predict_json_is_always_valid_json(tmp_path, capsys):
    path = write_json(tmp_path / "one.json", drawing_dict([[[200, 50], [200, 350]]]))
    assert main(["predict", "--json", str(path)]) == 0
    records = json.loads(capsys.readouterr().out, parse_constant=pytest.fail)
    assert all(np.isfinite(records[0]["probabilities"]))
