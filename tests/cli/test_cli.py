"""The CLI answers in one line per problem and never shows a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from digitpad.cli import main
from tests.support.digits import drawing_dict, ellipse_stroke, write_json


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_predict_a_drawing_list_as_json(tmp_path, capsys) -> None:
    zero = drawing_dict([ellipse_stroke(200, 200, 50, 90)])
    one = drawing_dict([[[300, 60], [300, 160]]])
    path = write_json(tmp_path / "digits.json", [zero, one, drawing_dict([])])
    code, out, err = run_cli(capsys, "predict", "--json", str(path))
    assert code == 0, err
    records = json.loads(out)
    assert [r["index"] for r in records] == [0, 1, 2]
    assert [r["digit"] for r in records] == [0, 1, None]
    assert records[0]["confidence"] == max(records[0]["probabilities"])
    assert sum(records[1]["probabilities"]) == pytest.approx(1, abs=1e-3)
    assert records[2]["probabilities"] is None


def test_predict_an_image_as_text(tmp_path, capsys) -> None:
    image = Image.new("L", (120, 120), 255)
    ImageDraw.Draw(image).line((60, 15, 60, 105), fill=0, width=9)
    image.save(tmp_path / "one.png")
    code, out, _ = run_cli(capsys, "predict", str(tmp_path / "one.png"))
    assert code == 0
    assert out.startswith(f"{tmp_path / 'one.png'}: 1 (")


def test_bad_inputs_give_one_line_each_and_a_failing_exit(tmp_path, capsys) -> None:
    (tmp_path / "text.png").write_text("hello")
    write_json(tmp_path / "bad.json", {"width": 5})
    good = write_json(tmp_path / "good.json", drawing_dict([[[10, 10], [10, 90]]]))
    code, out, err = run_cli(
        capsys,
        "predict",
        str(tmp_path / "text.png"),
        str(tmp_path / "bad.json"),
        str(tmp_path / "missing.png"),
        str(good),
    )
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 3
    assert "text.png: not an image" in lines[0]
    assert "bad.json: drawing height must be a positive number" in lines[1]
    assert "missing.png: no such file" in lines[2]
    assert out.startswith(f"{good}: ")  # the good file is still answered


def test_corrupt_model_is_refused_in_one_line(tmp_path, capsys) -> None:
    model = tmp_path / "broken.keras"
    model.write_bytes(b"PK\x03\x04 not really a zip")
    drawing = write_json(tmp_path / "d.json", drawing_dict([[[1, 1], [1, 50]]]))
    code, out, err = run_cli(capsys, "predict", "--model", str(model), str(drawing))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "broken.keras: corrupt model archive" in err


def test_evaluate_labelled_drawings(tmp_path, capsys) -> None:
    drawings = [
        drawing_dict([ellipse_stroke(200, 200, 60, 100)], label=0),
        drawing_dict([[[200, 50], [200, 350]]], label=1),
    ]
    path = write_json(tmp_path / "labelled.json", drawings)
    code, out, _ = run_cli(capsys, "evaluate", "--strokes", str(path), "--json")
    assert code == 0
    report = json.loads(out)
    assert report["count"] == 2 and report["accuracy"] == 1.0
    assert np.array(report["confusion_matrix"]).sum() == 2


def test_evaluate_refuses_unlabelled_drawings(tmp_path, capsys) -> None:
    path = write_json(tmp_path / "unlabelled.json", [drawing_dict([[[1, 1]]])])
    code, _, err = run_cli(capsys, "evaluate", "--strokes", str(path))
    assert code == 1 and "needs a 'label'" in err


def test_train_a_tiny_model_and_use_it(tmp_path, capsys) -> None:
    out_path = tmp_path / "models" / "tiny.keras"
    code, out, err = run_cli(
        capsys,
        "train",
        "--arch",
        "tutorial",
        "--epochs",
        "1",
        "--limit",
        "300",
        "--out",
        str(out_path),
    )
    assert code == 0, err
    assert "MNIST test accuracy" in out and out_path.is_file()
    assert out_path.with_suffix(".tflite").is_file()
    drawing = write_json(tmp_path / "d.json", drawing_dict([[[5, 5], [5, 60]]]))
    code, out, _ = run_cli(capsys, "predict", "--model", str(out_path), str(drawing))
    assert code == 0 and ": " in out


def test_train_refuses_a_bad_data_file(tmp_path, capsys) -> None:
    bad = tmp_path / "mnist.npz"
    bad.write_bytes(b"nope")
    code, _, err = run_cli(
        capsys,
        "train",
        "--arch",
        "tutorial",
        "--epochs",
        "1",
        "--data",
        str(bad),
        "--out",
        str(tmp_path / "m.keras"),
    )
    assert code == 1 and "mnist.npz: not a readable .npz" in err
    assert not (tmp_path / "m.keras").exists()


def test_entry_point_version_and_help() -> None:
    run = [sys.executable, "-m", "digitpad"]
    version = subprocess.run([*run, "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("digitpad ")
    missing = subprocess.run(
        [*run, "predict", "/no/such/file.png"], capture_output=True, text=True
    )
    assert missing.returncode == 1
    assert "Traceback" not in missing.stderr
    assert missing.stderr.strip().endswith("/no/such/file.png: no such file")


def test_train_refuses_an_unwritable_destination_before_training(tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "model.keras").mkdir()  # a folder where the file should go
    code, out, err = run_cli(
        capsys,
        "train",
        "--arch",
        "tutorial",
        "--epochs",
        "1",
        "--limit",
        "300",
        "--out",
        str(locked / "model.keras"),
    )
    assert code == 1 and out == ""
    assert err.strip().endswith("model.keras: is a folder")


def test_train_goes_on_from_a_model_of_the_same_architecture(tmp_path, capsys):
    def train(arch: str, out: Path, *start_from: str) -> tuple[int, str, str]:
        tiny = ("--epochs", "1", "--limit", "300", "--seed", "1")
        return run_cli(
            capsys, "train", "--arch", arch, *tiny, *start_from, "--out", str(out)
        )

    first, then = tmp_path / "first.keras", tmp_path / "then.keras"
    code, _, err = train("tutorial", first)
    assert code == 0, err
    code, out, err = train("compact", then, "--start-from", str(first))
    assert code == 1 and out == "" and not then.exists()
    assert err.strip().endswith("it is a 'tutorial' network, not 'compact' (--arch)")
    hostile = tmp_path / "hostile.keras"
    hostile.write_bytes(b"import os")
    code, _, err = train("tutorial", then, "--start-from", str(hostile))
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert err.startswith(f"digitpad: {hostile}:") and not then.exists()

    code, _, err = train("tutorial", then, "--start-from", str(first))
    assert code == 0, err
    metadata = json.loads(then.with_suffix(".json").read_text())
    first_metadata = json.loads(first.with_suffix(".json").read_text())
    assert metadata["training"]["start_from"] == "first.keras"
    assert metadata["started_from"]["name"] == "first.keras"
    assert metadata["started_from"]["training"]["seed"] == 1
    assert "history" not in metadata["started_from"]["training"]
    assert metadata["display_name"] == (
        f"{first_metadata['display_name']}, then 1 more epoch"
    )


def test_evaluate_offline_says_how_to_give_it_mnist(tmp_path, capsys, monkeypatch):
    from digitpad.core.training import data

    def no_network() -> None:
        raise Exception(  # Keras's words when the name does not resolve
            "URL fetch failure on https://storage.googleapis.com/tensorflow/"
            "tf-keras-datasets/mnist.npz: None -- [Errno -2] Name or service not known"
        )

    monkeypatch.delenv("DIGITPAD_MNIST")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setattr(data, "_keras_download", no_network)
    code, out, err = run_cli(capsys, "evaluate")
    assert code == 1 and out == ""
    (line,) = err.strip().splitlines()
    assert "could not download MNIST" in line and "Name or service not known" in line
    assert "--data FILE" in line and "DIGITPAD_MNIST" in line
    assert str(tmp_path / "keras" / "datasets" / "mnist.npz") in line
    assert "Choose file" not in line


def test_train_refuses_a_stroke_digit_rate_out_of_range(tmp_path, capsys) -> None:
    out = tmp_path / "m.keras"
    code, _, err = run_cli(
        capsys, "train", "--arch", "tutorial", "--epochs", "1", "--augment",
        "--stroke-digits", "-0.5", "--out", str(out),
    )  # fmt: skip
    assert code == 2 and err.count("\n") == 1 and "stroke digits" in err
    assert not out.exists()
