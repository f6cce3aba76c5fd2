"""Comparing models: facts from their files, scores and disagreements that match a
direct count, the JSON of ``digitpad compare``, and remembered answers."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest

from digitpad.cli import main
from digitpad.core.errors import ModelFileError
from digitpad.core.models import score_cache
from digitpad.core.models.inference import load_predictor
from digitpad.core.training.comparison import (
    confusion_difference,
    disagreements,
    load_test_set,
    open_model,
    score_model,
)
from tests.support.compare import CONFIGS, save_two_models

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    return save_two_models(tmp_path_factory.mktemp("compare"))


@pytest.fixture(scope="module")
def test_set():
    return load_test_set()


_DIRECT: dict = {}


def _direct_predictions(path, test_set) -> np.ndarray:
    """Every test digit read one by one through the ordinary ``predict``."""
    if path not in _DIRECT:
        _DIRECT[path] = _read_one_by_one(path, test_set)
    return _DIRECT[path]


def _read_one_by_one(path, test_set) -> np.ndarray:
    predictor = load_predictor(path)
    images = test_set.images.astype(np.float32) / 255.0
    return np.array([predictor.predict(image).digit for image in images])


def test_scores_history_and_disagreements_match_a_direct_count(
    models, test_set, tmp_path, monkeypatch
):
    monkeypatch.setattr(score_cache.paths, "user_cache_dir", lambda: tmp_path)
    scored = []
    for path, _ in models:
        predictor, facts = open_model(path)
        assert predictor.backend == "LiteRT"
        scored.append(score_model(predictor, facts, test_set))
    direct = [_direct_predictions(path, test_set) for path, _ in models]

    for one, counted, (_, result), config in zip(
        scored, direct, models, CONFIGS, strict=True
    ):
        assert one.accuracy == pytest.approx(np.mean(counted == test_set.labels))
        for digit in range(10):
            mine = test_set.labels == digit
            expected = np.mean(counted[mine] == digit)
            assert one.evaluation.per_class_accuracy[digit] == pytest.approx(expected)
        assert one.facts.history == result.history
        assert one.facts.settings["epochs"] == config.epochs
        assert one.facts.settings["batch_size"] == config.batch_size
        assert one.facts.settings["learning_rate"] == config.learning_rate
        assert one.facts.settings["train_images"] == 270  # 300 less 10 % held out
        assert one.facts.settings["seconds"] == pytest.approx(result.seconds, abs=0.1)
        assert one.facts.lacks == ()
    differ = disagreements(scored[0], scored[1])
    assert len(differ) == int(np.sum(direct[0] != direct[1]))
    assert len(differ) > 0  # two tiny nets do disagree, or the check proves nothing
    difference = confusion_difference(scored[0], scored[1])
    for true in range(10):
        rows = test_set.labels == true
        for said in range(10):
            count = np.sum(direct[1][rows] == said) - np.sum(direct[0][rows] == said)
            assert difference[true, said] == count


def test_multiply_adds_are_kernel_weights_times_positions(models):
    path, result = models[0]
    expected = 0
    for layer in result.model.layers:
        kind = type(layer).__name__
        if kind in ("Conv2D", "Dense"):
            positions = math.prod(layer.output.shape[1:-1])
            expected += positions * math.prod(layer.kernel.shape)
    assert open_model(path)[1].multiply_adds == expected


def test_answers_are_remembered_and_a_spoiled_cache_is_ignored(
    models, test_set, tmp_path, monkeypatch
):
    monkeypatch.setattr(score_cache.paths, "user_cache_dir", lambda: tmp_path)
    predictor, facts = open_model(models[0][0])
    first = score_model(predictor, facts, test_set)
    again = score_model(predictor, facts, test_set)
    assert not first.cached and again.cached
    np.testing.assert_array_equal(first.predictions, again.predictions)
    (cached,) = (tmp_path / "scores").iterdir()
    cached.write_bytes(b"\x93NUMPY not really")
    spoiled = score_model(predictor, facts, test_set)
    assert not spoiled.cached
    np.testing.assert_array_equal(spoiled.predictions, first.predictions)


def test_a_model_without_history_says_what_it_lacks(models, tmp_path):
    import shutil

    from digitpad.core.models.metadata import sidecar

    source = models[0][0]
    for kind in ("metadata", "tflite", "kernels"):
        shutil.copy(sidecar(source, kind), sidecar(tmp_path / "bare.keras", kind))
    shutil.copy(source, tmp_path / "bare.keras")
    meta_path = sidecar(tmp_path / "bare.keras", "metadata")
    meta = json.loads(meta_path.read_text())
    meta["training"] = {}
    meta_path.write_text(json.dumps(meta))
    _, facts = open_model(tmp_path / "bare.keras")
    assert facts.history == {} and facts.settings == {}
    assert any("no per-epoch history" in lack for lack in facts.lacks)
    assert facts.params == meta["parameters"]  # what it has is still shown


def test_cli_prints_the_issue_json_and_a_table(models, capsys):
    paths = [str(path) for path, _ in models]
    assert main(["compare", *paths, "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert set(printed) == {"models", "disagreements"}
    for entry, (_, result) in zip(printed["models"], models, strict=True):
        assert set(entry) == {
            "name",
            "params",
            "test_accuracy",
            "per_digit",
            "history",
            "settings",
        }
        assert set(entry["history"]) == {"accuracy", "val_accuracy", "loss", "val_loss"}
        assert entry["history"]["loss"] == pytest.approx(result.history["loss"])
        assert len(entry["per_digit"]) == 10
    test_set = load_test_set()
    direct = [_direct_predictions(path, test_set) for path, _ in models]
    assert printed["disagreements"] == int(np.sum(direct[0] != direct[1]))

    assert main(["compare", *paths]) == 0
    table = capsys.readouterr().out
    assert "MNIST test" in table and "multiply-adds" in table
    assert f"{printed['disagreements']:,} test digits" in table


def test_cli_refuses_a_missing_or_hostile_model_in_one_line(models, tmp_path, capsys):
    good = str(models[0][0])
    hostile = tmp_path / "hostile.keras"
    hostile.write_bytes(b"PK\x03\x04 not a real archive")
    for bad in (tmp_path / "missing.keras", hostile):
        assert main(["compare", good, str(bad)]) == 1
        err = capsys.readouterr().err.strip()
        assert err.count("\n") == 0 and str(bad) in err and "Traceback" not in err


def test_cli_compare_never_imports_tensorflow(models):
    code = (
        "import sys\n"
        "from digitpad.cli import main\n"
        f"main(['compare', {str(models[0][0])!r}, {str(models[1][0])!r}, '--json'])\n"
        "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-500:]


def test_model_open_errors_name_the_file(tmp_path):
    with pytest.raises(ModelFileError, match="no such file"):
        open_model(tmp_path / "absent.keras")


def test_cli_strokes_reads_labelled_drawings_with_each_model(models, tmp_path, capsys):
    from digitpad.core.training.stroke_augment import render_plain
    from tests.support.activations import seven, zero

    drawings, labels = [seven(), seven(25.0), zero()], [7, 7, 0]
    listed = [
        {**d.to_json_dict(), "label": y} for d, y in zip(drawings, labels, strict=True)
    ]
    strokes = tmp_path / "mine.json"
    strokes.write_text(json.dumps(listed))
    paths = [str(path) for path, _ in models]
    assert main(["compare", *paths, "--strokes", str(strokes), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    for entry, path in zip(printed["models"], paths, strict=True):
        read = load_predictor(path).predict_probabilities(render_plain(drawings))
        hits = int(np.sum(read.argmax(axis=1) == np.array(labels)))
        assert entry["strokes"] == {"accuracy": round(hits / 3, 6), "count": 3}


def test_fine_tuned_facts_say_what_the_run_saw():
    from pathlib import Path

    from digitpad.core.models.model_facts import model_facts

    metadata = {
        "architecture": "compact",
        "user_samples": 40,
        "training": {
            "kind": "finetune",
            "epochs": 3,
            "batch_size": 64,
            "learning_rate": 3e-4,
            "repeats": 12,
            "replay_ratio": 3.0,
            "history": {"loss": [0.3, 0.2, 0.1], "accuracy": [0.9, 0.95, 0.97]},
        },
    }
    facts = model_facts(Path("absent.keras"), metadata)
    assert facts.settings["images_note"].startswith("40 of your drawings x 12")
    assert facts.settings["kind"] == "fine-tuned on your drawings"
    assert "images_asked" not in facts.settings
    assert facts.multiply_adds is None  # no layers, no archive: said, not guessed
    assert any("val_accuracy" in lack for lack in facts.lacks)
