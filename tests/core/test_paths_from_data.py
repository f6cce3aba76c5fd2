"""Paths built from data stay inside their folder: a model's metadata naming its
architecture "../../x" neither writes outside the scratch nor keeps outside the
library."""

from __future__ import annotations

import json

import pytest

from digitpad.core.models import library, modelfile

HOSTILE = "../../escaped"


@pytest.mark.parametrize(
    "name", ["../x", "a/b", "..", "/etc/passwd", "x\0y", "", "a\\b"]
)
def test_a_name_that_leaves_its_folder_is_refused(tmp_path, name) -> None:
    from digitpad.core.paths import child_path, safe_stem

    with pytest.raises(ValueError):
        child_path(tmp_path, name)
    assert child_path(tmp_path, safe_stem(name) + ".keras").parent == tmp_path


def _fake_saved_model(folder, architecture: str):
    folder.mkdir(parents=True)
    path = folder / "run.keras"
    path.write_bytes(b"keras")
    for kind, data in (("tflite", b"tflite"), ("kernels", b"npz")):
        modelfile.sidecar(path, kind).write_bytes(data)
    modelfile.sidecar(path, "metadata").write_text(
        json.dumps({"format": "digitpad-model", "architecture": architecture})
    )
    return path


def test_keep_moves_the_model_into_the_library_whatever_its_metadata(tmp_path) -> None:
    source = _fake_saved_model(tmp_path / "deep" / "er" / "scratch", HOSTILE)
    shelf = tmp_path / "deep" / "er" / "library"
    kept = library.keep_saved(source, shelf)
    assert kept.path.parent == shelf
    moved = sorted(p.name for p in shelf.iterdir())
    assert len(moved) == 4 and all(name.startswith("escaped-") for name in moved)
    assert not list(tmp_path.rglob("escaped*.keras"))[1:]  # only the one kept


@pytest.mark.slow
def test_a_finetune_saves_inside_its_scratch_whatever_the_architecture(
    tmp_path,
) -> None:
    from digitpad.core.handwriting.finetune import FinetuneConfig
    from digitpad.core.handwriting.finetune_job import FinetuneJob, run_finetune
    from digitpad.core.networks.builder import build_preset as build_model
    from tests.support.finetune import labelled_drawings, write_tiny_mnist

    base_path = tmp_path / "models" / "base.keras"
    base_path.parent.mkdir()
    modelfile.save_model(
        build_model("tutorial"), base_path, {"architecture": "tutorial"}
    )
    meta = modelfile.sidecar(base_path, "metadata")
    meta.write_text(
        json.dumps({**json.loads(meta.read_text()), "architecture": HOSTILE})
    )
    scratch = tmp_path / "a" / "b" / "scratch"
    scratch.mkdir(parents=True)
    drawings, labels = labelled_drawings(1)
    config = FinetuneConfig(
        epochs=1,
        repeats=1,
        replay_ratio=0.5,
        folds=0,
        mnist_test_limit=20,
        data_path=str(write_tiny_mnist(tmp_path / "tiny.npz")),
    )
    job = FinetuneJob(
        str(base_path),
        drawings,
        labels,
        [str(i) for i in range(10)],
        config,
        str(scratch),
        previews=False,
    )
    run, save = run_finetune(job, lambda event: None, lambda: False, lambda: False)
    save()
    assert modelfile.keras_path(run.path).parent == scratch
    assert list(scratch.glob("*.keras")) == [scratch / "escaped-finetuned.keras"]
    assert not list(tmp_path.glob("escaped*"))
    assert not list((tmp_path / "a").glob("escaped*"))
