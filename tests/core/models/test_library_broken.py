"""One bad library entry is listed as broken, with its reason, and can be deleted;
it never stops the others from listing."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from digitpad.core.models import library, modelfile
from digitpad.core.paths import shipped_model_path


def _kept_copy(folder: Path, stem: str, created: str = "2026-01-02T03:04:05+00:00"):
    source = shipped_model_path()
    path = folder / f"{stem}.keras"
    shutil.copy(source, path)
    for kind in ("tflite", "kernels"):
        shutil.copy(modelfile.sidecar(source, kind), modelfile.sidecar(path, kind))
    metadata = json.loads(modelfile.sidecar(source, "metadata").read_text())
    metadata["created"] = created
    modelfile.sidecar(path, "metadata").write_text(json.dumps(metadata))
    return path


def _break(folder: Path) -> dict[str, str]:
    """Kept models broken in different ways -> a word the reason must contain."""
    _kept_copy(folder, "ancient", created="0001-01-01")
    _kept_copy(folder, "edge", created="9999-12-31T23:59:59-14:00")
    bad_json = _kept_copy(folder, "garbled")
    modelfile.sidecar(bad_json, "metadata").write_text('{"created": ' + "9" * 5000)
    no_export = _kept_copy(folder, "no-export")
    modelfile.sidecar(no_export, "tflite").unlink()
    no_meta = _kept_copy(folder, "no-metadata")
    modelfile.sidecar(no_meta, "metadata").unlink()
    zero = _kept_copy(folder, "zero")
    modelfile.sidecar(zero, "metadata").unlink()
    modelfile.sidecar(zero, "metadata").symlink_to("/dev/zero")
    fifo = _kept_copy(folder, "fifo")
    if hasattr(os, "mkfifo"):
        modelfile.sidecar(fifo, "metadata").unlink()
        os.mkfifo(modelfile.sidecar(fifo, "metadata"))
    return {
        "ancient": "date",
        "edge": "date",
        "garbled": "JSON",
        "no-export": "tflite",
        "no-metadata": "missing",
        "zero": "device",
        "fifo": "pipe" if hasattr(os, "mkfifo") else "",
    }


def test_broken_entries_are_listed_with_a_reason_and_the_rest_still_list(tmp_path):
    good = _kept_copy(tmp_path, "good")
    reasons = _break(tmp_path)
    entries = {entry.path.stem: entry for entry in library.list_models(tmp_path)}
    assert not entries["good"].broken and entries["good"].created
    assert entries["good"].summary().startswith(entries["good"].architecture_title)
    for stem, word in reasons.items():
        entry = entries[stem]
        assert entry.broken, stem
        assert word in entry.problem and entry.summary().startswith("broken: ")
        entry.created, entry.name, entry.test_accuracy  # noqa: B018 (never raise)
    assert good in [entry.path for entry in library.list_models(tmp_path)]


@pytest.mark.parametrize("stem", ["ancient", "garbled", "zero", "fifo"])
def test_a_broken_entry_can_be_deleted(tmp_path, stem):
    _break(tmp_path)
    (entry,) = [e for e in library.list_models(tmp_path) if e.path.stem == stem]
    library.delete_model(entry)
    assert not any(tmp_path.glob(f"{stem}.*"))
    assert stem not in [e.path.stem for e in library.list_models(tmp_path)]


@pytest.mark.parametrize(
    "absurd",
    [10**400, 1e308, -1, "0.9", True],
    ids=["10**400", "1e308", "-1", "str", "bool"],
)
def test_one_absurd_accuracy_in_a_sidecar_costs_no_kept_model(tmp_path, absurd):
    """The list shows every entry's summary; one that could not be worked out
    (float(10**400) overflows) once hid every kept model."""
    good = _kept_copy(tmp_path, "good")
    odd = _kept_copy(tmp_path, "odd")
    metadata = json.loads(modelfile.sidecar(odd, "metadata").read_text())
    metadata["mnist_test_accuracy"] = None  # the training figure is the one shown
    metadata["training"] = {**metadata.get("training", {}), "test_accuracy": absurd}
    modelfile.sidecar(odd, "metadata").write_text(json.dumps(metadata))
    entries = {e.path: e for e in library.list_models(tmp_path)}
    assert {good, odd} <= set(entries)
    lines = {path: f"{e.name} {e.summary()}" for path, e in entries.items()}
    assert "test accuracy" in lines[good]
    assert str(absurd) not in lines[odd]
