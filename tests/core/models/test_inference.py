"""The shipped model predicts fast, on LiteRT, with every layer's activation."""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pytest

from digitpad.core.errors import ModelFileError
from digitpad.core.ink.drawing import load_drawings
from digitpad.core.models.inference import load_predictor
from digitpad.core.models.modelfile import sidecar
from digitpad.core.paths import shipped_model_path
from digitpad.core.preprocess.mnist_input import preprocess_drawing


def test_shipped_model_reads_mnist(shipped_predictor, mnist_test_sample) -> None:
    images, labels = mnist_test_sample
    predicted = shipped_predictor.predict_probabilities(images).argmax(axis=1)
    assert np.mean(predicted == labels) >= 0.99


def test_shipped_model_reads_pen_written_digits(
    shipped_predictor, dev_strokes_path
) -> None:
    drawings, _ = load_drawings(dev_strokes_path)
    sample = drawings[::5]  # 600 drawings by many writers
    hits = [
        shipped_predictor.predict(preprocess_drawing(d).image).digit == d.label
        for d in sample
    ]
    assert np.mean(hits) >= 0.95


def test_prediction_has_probabilities_and_every_activation(shipped_predictor) -> None:
    result = shipped_predictor.predict(np.zeros((28, 28), np.float32))
    assert result.probabilities.shape == (10,)
    assert result.probabilities.sum() == pytest.approx(1.0, abs=1e-4)
    assert list(result.activations) == shipped_predictor.layer_names
    for layer in shipped_predictor.layers():
        assert list(result.activations[layer["name"]].shape) == layer["output_shape"]
    assert shipped_predictor.metadata["mnist_test_accuracy"] >= 0.99


def test_litert_prediction_never_imports_tensorflow() -> None:
    code = (
        "import sys, numpy as np\n"
        "from digitpad.core.models.inference import load_predictor\n"
        "p = load_predictor()\n"
        "p.predict(np.zeros((28, 28), np.float32))\n"
        "print(p.backend, 'tensorflow' in sys.modules, 'keras' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["LiteRT", "False", "False"]


def test_stale_litert_export_falls_back_to_tensorflow(tmp_path) -> None:
    for kind in ("metadata", "tflite", "kernels"):
        src = sidecar(shipped_model_path(), kind)
        (tmp_path / src.name).write_bytes(src.read_bytes())
    keras_copy = tmp_path / shipped_model_path().name
    keras_copy.write_bytes(shipped_model_path().read_bytes())
    assert load_predictor(keras_copy).backend == "LiteRT"
    sidecar(keras_copy, "tflite").write_bytes(b"tampered")
    assert load_predictor(keras_copy).backend == "TensorFlow"


def test_garbage_tflite_is_a_clear_error(tmp_path) -> None:
    bad = tmp_path / "bad.tflite"
    bad.write_bytes(b"\x00" * 100)
    with pytest.raises(
        ModelFileError, match=re.escape("bad.tflite: not a usable LiteRT model")
    ):
        load_predictor(bad)


def test_wrong_image_shape_is_refused(shipped_predictor) -> None:
    with pytest.raises(ValueError, match="28x28"):
        shipped_predictor.predict(np.zeros((32, 32), np.float32))


def test_a_tflite_with_operators_digitpad_never_exports_is_refused(tmp_path):
    """A hand-made flatbuffer never reaches the native runtime with odd operators."""
    import tensorflow as tf

    from digitpad.core.models.litert_predictor import LiteRtPredictor, litert_available

    if not litert_available():
        pytest.skip("needs LiteRT")

    @tf.function(input_signature=[tf.TensorSpec([1, 28, 28, 1], tf.float32)])
    def scores(x):
        running = tf.math.cumsum(tf.reshape(x, [1, 784]), axis=1)
        return {"softmax": tf.nn.softmax(running[:, :10])}

    converter = tf.lite.TFLiteConverter.from_concrete_functions(
        [scores.get_concrete_function()], scores
    )
    with pytest.raises(ModelFileError, match="CUMSUM"):
        LiteRtPredictor(converter.convert(), tmp_path / "odd.keras", {})
    garbage = b"\x10\x00\x00\x00TFL3" + b"\xff" * 64
    with pytest.raises(ModelFileError, match="not a usable LiteRT model"):
        LiteRtPredictor(garbage, tmp_path / "x.keras", {})
