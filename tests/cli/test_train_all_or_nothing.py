"""``digitpad train`` writes the whole model set or nothing: a stop during the final
evaluation or a SIGTERM while saving leaves no file behind, and a destination that
cannot be written is refused before any training."""

from __future__ import annotations

import os
import signal
import time

import pytest

from digitpad.cli import main
from digitpad.core.models import modelfile
from digitpad.core.training import trainer as training

TINY = ["train", "--arch", "tutorial", "--epochs", "1", "--limit", "200"]


def _train(capsys, out) -> tuple[int, str]:
    code = main([*TINY, "--out", str(out)])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("folder", ["m.keras", "m.json", "m.tflite", "m.kernels.npz"])
def test_a_folder_where_any_saved_file_goes_is_refused_before_training(
    tmp_path, capsys, monkeypatch, folder
):
    (tmp_path / folder).mkdir()
    monkeypatch.setattr(training, "train", pytest.fail)  # must not even start
    started = time.monotonic()
    code, err = _train(capsys, tmp_path / "m")
    assert code == 1 and err.count("\n") == 1
    assert f"{folder}: is a folder" in err
    assert time.monotonic() - started < 1


def test_a_read_only_destination_is_refused_before_training(
    tmp_path, capsys, monkeypatch
):
    if os.geteuid() == 0:
        pytest.skip("root can write anywhere")
    tmp_path.chmod(0o500)
    monkeypatch.setattr(training, "train", pytest.fail)
    try:
        code, err = _train(capsys, tmp_path / "m.keras")
    finally:
        tmp_path.chmod(0o700)
    assert code == 1 and "cannot write" in err


def test_a_file_where_the_folder_should_be_is_refused_before_training(
    tmp_path, capsys, monkeypatch
):
    (tmp_path / "models").write_text("not a folder")
    monkeypatch.setattr(training, "train", pytest.fail)
    code, err = _train(capsys, tmp_path / "models" / "m.keras")
    assert code == 1 and "is not a folder" in err


@pytest.mark.skipif(not hasattr(signal, "SIGTERM"), reason="POSIX signals")
def test_ctrl_c_during_the_final_evaluation_saves_nothing(
    tmp_path, capsys, monkeypatch
):
    import keras

    original = keras.Model.predict

    def evaluate_then_interrupt(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        os.kill(os.getpid(), signal.SIGINT)  # the user presses Ctrl-C now
        return result

    monkeypatch.setattr(keras.Model, "predict", evaluate_then_interrupt)
    code, err = _train(capsys, tmp_path / "m.keras")
    assert code == 130 and "nothing was written" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not hasattr(signal, "SIGTERM"), reason="POSIX signals")
def test_sigterm_while_saving_leaves_no_files_and_no_scratch(
    tmp_path, capsys, monkeypatch
):
    original = modelfile.detached_copy

    def copy_then_terminate(model):
        os.kill(os.getpid(), signal.SIGTERM)  # arrives inside the scratch folder
        return original(model)

    monkeypatch.setattr(modelfile, "detached_copy", copy_then_terminate)
    code, err = _train(capsys, tmp_path / "m.keras")
    assert code == 130 and "nothing was written" in err
    assert list(tmp_path.iterdir()) == []  # no model, no sidecar, no .m-* scratch
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
