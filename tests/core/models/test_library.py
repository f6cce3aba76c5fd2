"""The model library: keep, list (shipped first, newest next), delete (not shipped)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from digitpad.core import paths
from digitpad.core.errors import ModelFileError
from digitpad.core.models import library
from digitpad.core.models.inference import load_predictor
from digitpad.core.training.trainer import TrainConfig, train

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def trained():
    """One tiny training run shared by every test here."""
    return train(TrainConfig(limit=300, epochs=1, validation_split=0.0))


@pytest.fixture
def dirs(tmp_path, monkeypatch, trained):
    """An isolated user data dir and a 'shipped' model saved into a temp folder."""
    monkeypatch.setattr(paths, "user_data_dir", lambda: tmp_path / "user")
    shipped = tmp_path / "shipped" / "digitpad-mnist.keras"
    library.modelfile.save_model(
        trained.model, shipped, library.training_metadata(trained)
    )
    monkeypatch.setattr(paths, "shipped_model_path", lambda: shipped)
    return shipped


def test_kept_model_is_listed_after_the_shipped_one_and_loads(dirs, trained):
    entry = library.keep_model(trained.model, library.training_metadata(trained))

    assert entry.path.parent == paths.user_models_dir()
    entries = library.list_models()
    assert [e.shipped for e in entries] == [True, False]
    assert entries[0].path == dirs
    assert entries[1].path == entry.path
    assert entries[1].name == "Tutorial CNN, 1 epochs, 300 images"
    assert entries[1].metadata["training"]["limit"] == 300
    assert entries[1].test_accuracy == pytest.approx(trained.test.accuracy)
    assert "Tutorial CNN" in entries[1].summary()
    predictor = load_predictor(entry.path)
    assert predictor.backend == "LiteRT"
    assert predictor.predict(np.zeros((28, 28), np.float32)).digit in range(10)


def test_two_kept_models_get_distinct_files_newest_first(dirs, trained):
    meta = library.training_metadata(trained)
    first = library.keep_model(
        trained.model, {**meta, "created": "2020-01-01T00:00:00"}
    )
    second = library.keep_model(
        trained.model, {**meta, "created": "2030-01-01T00:00:00"}
    )

    assert first.path != second.path
    listed = [e.path for e in library.list_models()][1:]
    assert listed == [second.path, first.path]


def test_delete_removes_model_and_sidecars(dirs, trained):
    entry = library.keep_model(trained.model, library.training_metadata(trained))
    library.delete_model(entry)

    assert list(paths.user_models_dir().iterdir()) == []
    assert [e.shipped for e in library.list_models()] == [True]


def test_shipped_model_cannot_be_deleted(dirs):
    shipped = library.list_models()[0]
    with pytest.raises(ModelFileError, match="cannot be deleted"):
        library.delete_model(shipped)
    # Even an entry that forgot it is the shipped one is refused.
    with pytest.raises(ModelFileError):
        library.delete_model(library.LibraryEntry(dirs, {}))
    assert dirs.is_file()


def test_missing_or_corrupt_metadata_still_lists(dirs, trained):
    entry = library.keep_model(trained.model, library.training_metadata(trained))
    library.modelfile.sidecar(entry.path, "metadata").write_text("{not json")

    listed = library.list_models()[1]
    assert listed.path == entry.path
    assert listed.name == entry.path.stem
    assert listed.test_accuracy is None
    assert listed.broken and "is not valid JSON" in listed.summary()


def test_custom_data_is_not_reported_as_mnist_accuracy(trained, tmp_path):
    from dataclasses import replace

    custom = replace(trained, config=replace(trained.config, data_path=str(tmp_path)))
    meta = library.training_metadata(custom)
    assert meta["mnist_test_accuracy"] is None
    assert meta["training"]["test_accuracy"] == trained.test.accuracy
    json.dumps(meta)  # everything in it must be JSON
    assert isinstance(Path(meta["training"]["data_source"]).name, str)
