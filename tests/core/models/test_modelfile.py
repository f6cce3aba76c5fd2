"""Model files are saved atomically and loaded as untrusted input."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import numpy as np
import pytest

from digitpad.core.atomic import write_atomically
from digitpad.core.errors import ModelFileError
from digitpad.core.models import modelfile
from digitpad.core.models.inference import load_predictor
from digitpad.core.networks.builder import build_preset


@pytest.fixture(scope="module")
def saved_tutorial(tmp_path_factory) -> Path:
    model = build_preset("tutorial")
    meta = modelfile.make_metadata(
        model, architecture="tutorial", mnist_test_accuracy=0.1
    )
    return modelfile.save_model(model, tmp_path_factory.mktemp("m") / "tut.keras", meta)


def test_save_writes_model_metadata_litert_and_kernels(saved_tutorial: Path) -> None:
    for kind in ("metadata", "tflite", "kernels"):
        assert modelfile.sidecar(saved_tutorial, kind).is_file()
    meta = modelfile.read_metadata(saved_tutorial)
    assert meta["architecture"] == "tutorial" and meta["parameters"] == 93322
    assert "CC BY-SA 3.0" in meta["data_licence"]
    assert [layer["name"] for layer in meta["layers"]][:2] == ["conv1", "pool1"]
    assert modelfile.read_kernels(saved_tutorial)["conv1"].shape == (3, 3, 1, 32)
    assert not [p for p in saved_tutorial.parent.iterdir() if p.name.startswith(".")]


def test_saved_model_loads_back_with_the_same_outputs(saved_tutorial: Path) -> None:
    model = modelfile.load_keras_model(saved_tutorial)
    litert = load_predictor(saved_tutorial)
    tf_pred = load_predictor(saved_tutorial, backend="tensorflow")
    assert litert.backend == "LiteRT" and tf_pred.backend == "TensorFlow"
    image = np.random.default_rng(0).random((28, 28), dtype=np.float32)
    a, b = litert.predict(image), tf_pred.predict(image)
    assert set(a.activations) == set(b.activations) == set(litert.layer_names)
    assert np.allclose(a.probabilities, b.probabilities, atol=1e-5)
    expected = model(image[None, ..., None]).numpy()[0]
    assert np.allclose(a.probabilities, expected, atol=1e-5)


def test_a_failure_midway_leaves_the_old_model_untouched(saved_tutorial, monkeypatch):
    before = {p.name: p.read_bytes() for p in saved_tutorial.parent.iterdir()}

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(modelfile, "_keras_bytes", crash)
    with pytest.raises(OSError, match="disk full"):
        modelfile.save_model(build_preset("tutorial"), saved_tutorial, {})
    after = {p.name: p.read_bytes() for p in saved_tutorial.parent.iterdir()}
    assert after == before


def test_atomic_write_cleans_up_a_half_written_file(tmp_path) -> None:
    target = tmp_path / "model.json"
    target.write_text("old")

    def half_write(tmp: Path) -> None:
        tmp.write_text("partial")
        raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        write_atomically(target, half_write)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["model.json"]


def test_lambda_layers_are_refused(tmp_path) -> None:
    import keras

    model = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Lambda(lambda x: x * 2),
            keras.layers.Flatten(),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    path = tmp_path / "lambda.keras"
    model.save(path)
    with pytest.raises(
        ModelFileError, match=re.escape("lambda.keras: contains a Lambda layer")
    ):
        modelfile.load_keras_model(path)


def _rewrite_config(source: Path, target: Path, change) -> Path:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "config.json":
                config = json.loads(data)
                change(config)
                data = json.dumps(config).encode()
            zout.writestr(item, data)
    return target


def test_classes_from_outside_keras_are_refused(saved_tutorial, tmp_path) -> None:
    def smuggle(config):
        config["config"]["layers"][1]["module"] = "os"
        config["config"]["layers"][1]["class_name"] = "system"

    path = _rewrite_config(saved_tutorial, tmp_path / "evil.keras", smuggle)
    with pytest.raises(ModelFileError, match="uses a class from 'os'"):
        modelfile.load_keras_model(path)


def test_wrong_shapes_are_refused(tmp_path) -> None:
    import keras

    wide = keras.Sequential(
        [
            keras.Input((32, 32, 1)),
            keras.layers.Flatten(),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    wide.save(tmp_path / "wide.keras")
    with pytest.raises(ModelFileError, match=r"input shape is \(32, 32, 1\)"):
        modelfile.load_keras_model(tmp_path / "wide.keras")
    five = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Flatten(),
            keras.layers.Dense(5, activation="softmax"),
        ]
    )
    five.save(tmp_path / "five.keras")
    with pytest.raises(ModelFileError, match="expected 10 classes"):
        modelfile.load_keras_model(tmp_path / "five.keras")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("junk.keras", b"\x00garbage" * 50, "corrupt model archive"),
        ("model.h5", b"HDF", "not a .keras model file"),
        ("empty.keras", b"", "corrupt model archive"),
    ],
)
def test_corrupt_files_give_one_clear_error(tmp_path, name, content, message) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ModelFileError, match=message):
        modelfile.load_keras_model(path)
    with pytest.raises(ModelFileError):
        load_predictor(path)


def test_zip_with_foreign_entries_is_refused(tmp_path) -> None:
    path = tmp_path / "odd.keras"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("config.json", "{}")
        archive.writestr("payload.py", "print('hi')")
    with pytest.raises(ModelFileError, match="unexpected entries"):
        modelfile.load_keras_model(path)


def test_a_failure_writing_any_file_of_a_save_keeps_the_whole_old_set(
    saved_tutorial, tmp_path, monkeypatch
):
    """The disk fills up while the .keras (written last) is staged: the model, its
    metadata and its exports all stay the old ones, and no temp file is left."""
    from digitpad.core import atomic

    target = tmp_path / "current.keras"
    for path in saved_tutorial.parent.glob("tut.*"):
        (tmp_path / path.name.replace("tut", "current")).write_bytes(path.read_bytes())
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    old = load_predictor(target)
    image = np.random.default_rng(1).random((28, 28), dtype=np.float32)
    expected = old.predict(image).probabilities
    real_stage = atomic._stage

    def disk_full_on_keras(path, write):
        if Path(path).suffix == ".keras":
            raise OSError("disk full")
        return real_stage(path, write)

    monkeypatch.setattr(atomic, "_stage", disk_full_on_keras)
    with pytest.raises(OSError, match="disk full"):
        modelfile.save_model(build_preset("compact"), target, {"name": "new one"})
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    predictor = load_predictor(target)
    assert predictor.backend == old.backend  # hashes still match: fast path intact
    assert predictor.name == old.name != "new one"
    assert np.allclose(predictor.predict(image).probabilities, expected, atol=1e-6)


def test_hostile_metadata_is_sanitised(saved_tutorial, tmp_path) -> None:
    target = tmp_path / "odd.keras"
    for path in saved_tutorial.parent.glob("tut.*"):
        (tmp_path / path.name.replace("tut", "odd")).write_bytes(path.read_bytes())
    meta_path = modelfile.sidecar(target, "metadata")
    meta = json.loads(meta_path.read_text())
    meta.update(layers=["x"], training=[1, 2], mnist_test_accuracy="high", name=5)
    meta_path.write_text(json.dumps(meta))
    clean = modelfile.read_metadata(target)
    assert "layers" not in clean and "training" not in clean
    assert "mnist_test_accuracy" not in clean and "name" not in clean
    deep = "[" * 100_000 + "]" * 100_000
    meta_path.write_text(deep)
    assert modelfile.read_metadata(target) == {}
    predictor = load_predictor(target)  # still loads, from the model itself
    assert predictor.layer_names[0] == "conv1"


def test_a_kernels_file_claiming_a_huge_array_is_ignored(tmp_path) -> None:
    import io

    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        buffer, {"descr": "<f4", "fortran_order": False, "shape": (10**11,)}
    )
    with zipfile.ZipFile(tmp_path / "m.kernels.npz", "w") as archive:
        archive.writestr("conv1.npy", buffer.getvalue() + b"\0" * 64)
    assert modelfile.read_kernels(tmp_path / "m.keras") == {}


def test_a_model_without_softmax_is_refused(tmp_path) -> None:
    import keras

    logits = keras.Sequential(
        [keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10)]
    )
    logits.save(tmp_path / "logits.keras")
    with pytest.raises(ModelFileError, match="not 10 probabilities"):
        load_predictor(tmp_path / "logits.keras")


def test_saved_models_carry_no_optimizer_state(tmp_path) -> None:
    import h5py
    import keras

    model = build_preset("tutorial")
    model.compile(keras.optimizers.Adam(), "sparse_categorical_crossentropy")
    model.fit(np.zeros((8, 28, 28, 1)), np.zeros(8), verbose=0)
    path = modelfile.save_model(model, tmp_path / "trained.keras", {})
    with zipfile.ZipFile(path) as archive:
        weights = archive.read("model.weights.h5")
    with h5py.File(io.BytesIO(weights), "r") as h5:
        assert "optimizer" not in h5
    assert model.compiled  # the original keeps training
