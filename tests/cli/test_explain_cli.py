"""``digitpad explain``: one unit's computation as JSON or text, one line on error."""

from __future__ import annotations

import json

import numpy as np
import pytest

from digitpad.cli import main
from digitpad.core.ink.drawing import load_drawings
from digitpad.core.models.inference import load_predictor
from digitpad.core.preprocess.mnist_input import preprocess_drawing
from tests.support.digits import drawing_dict, seven_strokes, write_json


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def seven_file(tmp_path_factory):
    strokes = seven_strokes(100, 80, 200)
    return write_json(
        tmp_path_factory.mktemp("d") / "seven.json", drawing_dict(strokes)
    )


@pytest.fixture(scope="module")
def shipped_activations(seven_file):
    drawing = load_drawings(seven_file)[0][0]
    image = preprocess_drawing(drawing).image
    predictor = load_predictor()
    return image, predictor.predict(image).activations, predictor


def test_conv_unit_as_json_has_every_term_and_the_litert_value(
    capsys, seven_file, shipped_activations
):
    image, activations, predictor = shipped_activations
    second_conv = [layer for layer in predictor.layers() if layer["kind"] == "Conv2D"][
        1
    ]
    name = second_conv["name"]
    row, col, ch = (
        int(i)
        for i in np.unravel_index(np.argmax(activations[name]), activations[name].shape)
    )
    code, out, err = run_cli(
        capsys, "explain", str(seven_file), "--layer", name,
        "--unit", f"{row},{col},{ch}", "--json",
    )  # fmt: skip
    assert code == 0, err
    record = json.loads(out)
    assert record["kind"] == "conv" and record["layer"] == name
    assert record["unit"] == [row, col, ch]
    assert abs(record["value"] - float(activations[name][row, col, ch])) < 1e-4
    np.testing.assert_allclose(np.array(record["network_input"]), image, atol=1e-6)
    source = activations[record["input_layer"]]
    terms = record["terms"]
    kernel = predictor.unit_weights().weights[name]["kernel"]
    assert len(terms) == kernel.shape[0] * kernel.shape[1] * kernel.shape[2]
    for term in terms[:: max(1, len(terms) // 50)]:
        assert term["activation"] == pytest.approx(float(source[tuple(term["from"])]))
    total = sum(t["activation"] * t["weight"] for t in terms) + record["bias"]
    assert total == pytest.approx(record["pre_activation"], abs=1e-6)
    assert record["activation"] == "linear"  # the shipped model: BN and ReLU follow


def test_softmax_unit_writes_out_logits_exp_sum(
    capsys, seven_file, shipped_activations
):
    _, activations, predictor = shipped_activations
    last = predictor.layers()[-1]["name"]
    code, out, err = run_cli(
        capsys, "explain", str(seven_file), "--layer", last, "--unit", "7", "--json"
    )
    assert code == 0, err
    record = json.loads(out)
    assert record["kind"] == "softmax" and len(record["logits"]) == 10
    assert record["sum"] == pytest.approx(sum(record["exp"]))
    np.testing.assert_allclose(record["probabilities"], activations[last], atol=1e-4)
    assert record["value"] == pytest.approx(float(activations[last][7]), abs=1e-4)


def test_text_output_reads_as_a_sum(capsys, seven_file, shipped_activations):
    _, _, predictor = shipped_activations
    first = predictor.layers()[0]["name"]
    code, out, _ = run_cli(
        capsys, "explain", str(seven_file), "--layer", first, "--unit", "10,10,0"
    )
    assert code == 0
    assert (
        "sum" in out and "bias" in out and out.strip().splitlines()[-1].startswith("=")
    )


@pytest.mark.parametrize(
    ("layer", "unit", "message"),
    [("nope", "0,0,0", "no layer 'nope'"), (None, "99,0,0", "outside layer"),
     (None, "1,2", "is not R,C,CH or I")],
)  # fmt: skip
def test_unknown_layer_or_unit_outside_is_one_line(
    capsys, seven_file, shipped_activations, layer, unit, message
):
    layer = layer or shipped_activations[2].layers()[0]["name"]
    code, out, err = run_cli(
        capsys, "explain", str(seven_file), "--layer", layer, "--unit", unit
    )
    assert code == 1 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1


def test_a_model_without_weights_file_is_read_with_keras_or_refused(
    capsys, seven_file, tmp_path
):
    import shutil

    from digitpad.core.models import modelfile
    from tests.support.unit_models import trained_model

    _, saved = trained_model("tutorial")
    old = tmp_path / "old.keras"
    for kind in ("metadata", "tflite", "kernels"):
        shutil.copyfile(modelfile.sidecar(saved, kind), modelfile.sidecar(old, kind))
    shutil.copyfile(saved, old)
    code, out, err = run_cli(
        capsys, "explain", str(seven_file), "--model", str(old),
        "--layer", "conv2", "--unit", "3,4,5", "--json",
    )  # fmt: skip
    assert code == 0, err
    record = json.loads(out)
    image = preprocess_drawing(load_drawings(seven_file)[0][0]).image
    expected = load_predictor(old).predict(image).activations["conv2"][3, 4, 5]
    assert abs(record["value"] - float(expected)) < 1e-4
    tflite = str(modelfile.sidecar(old, "tflite"))
    code, out, err = run_cli(
        capsys, "explain", str(seven_file), "--model", tflite,
        "--layer", "conv2", "--unit", "3,4,5",
    )  # fmt: skip
    assert code == 1 and "no weights file" in err and len(err.splitlines()) == 1
