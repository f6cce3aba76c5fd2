"""Every reader takes only regular files, bounded: FIFOs and devices refused at once.

A FIFO with no writer blocks a plain ``open`` for ever and ``/dev/zero`` never ends;
both report size 0. Each case runs under an alarm: a regression fails, not hangs.
"""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import numpy as np
import pytest

from digitpad.core import bounded_io
from digitpad.core.errors import DataError, InputError, ModelFileError
from digitpad.core.ink.drawing import load_drawings
from digitpad.core.models import modelfile
from digitpad.core.models.inference import load_predictor
from digitpad.core.paths import shipped_model_path
from digitpad.core.preprocess.mnist_input import preprocess_image
from digitpad.core.training.data import load_mnist

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX only")


@pytest.fixture(autouse=True)
def _alarm():
    """Fail, rather than hang, if a read blocks."""

    def hung(*_):
        raise TimeoutError("a read blocked")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def _hostile(tmp_path: Path, kind: str, name: str) -> Path:
    path = tmp_path / name
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "zero":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    return path


KINDS = ["fifo", "zero", "folder"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("name", "read", "error"),
    [
        ("d.json", load_drawings, InputError),
        ("i.png", preprocess_image, InputError),
        ("m.npz", load_mnist, DataError),
        ("m.tflite", load_predictor, ModelFileError),
        ("m.keras", modelfile.load_keras_model, ModelFileError),
    ],
)
def test_readers_refuse_non_regular_files_promptly(tmp_path, kind, name, read, error):
    path = _hostile(tmp_path, kind, name)
    started = time.monotonic()
    with pytest.raises(error) as raised:
        read(path)
    assert time.monotonic() - started < 1.0
    message = str(raised.value)
    assert "\n" not in message and str(path) in message
    expected = {"fifo": "pipe", "zero": "device", "folder": "folder"}[kind]
    assert expected in message


def _copy_shipped(folder: Path, stem: str) -> Path:
    source = shipped_model_path()
    for kind in ("metadata", "tflite", "kernels"):
        shutil.copy(
            modelfile.sidecar(source, kind), modelfile.sidecar(folder / stem, kind)
        )
    shutil.copy(source, folder / f"{stem}.keras")
    return folder / f"{stem}.keras"


@pytest.mark.parametrize("kind", ["fifo", "zero"])
@pytest.mark.parametrize("sidecar", ["metadata", "kernels"])
def test_hostile_sidecars_are_ignored_not_read(tmp_path, kind, sidecar):
    model = _copy_shipped(tmp_path, "m")
    target = modelfile.sidecar(model, sidecar)
    target.unlink()
    _hostile(tmp_path, kind, target.name)
    if sidecar == "metadata":
        metadata, problem = modelfile.read_metadata_checked(model)
        assert metadata == {}
        assert problem and ("pipe" in problem or "device" in problem)
    else:
        assert modelfile.read_kernels(model) == {}
        assert modelfile.read_metadata(model)["layers"]  # the rest still reads


def test_a_hostile_tflite_beside_a_model_falls_back_to_the_keras_file(tmp_path):
    model = _copy_shipped(tmp_path, "m")
    tflite = modelfile.sidecar(model, "tflite")
    tflite.unlink()
    os.mkfifo(tflite)
    predictor = load_predictor(model)
    assert predictor.backend == "TensorFlow"
    assert predictor.predict(np.zeros((28, 28), np.float32)).probabilities.shape == (
        10,
    )


def test_a_file_longer_than_its_bound_is_refused_not_truncated(tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(b" " * 101)
    with pytest.raises(bounded_io.RefusedFile, match="too large"):
        bounded_io.read_bounded(path, 100)
    assert bounded_io.read_bounded(path, 101) == b" " * 101
    # procfs files are regular but report size 0: the read itself is bounded
    if Path("/proc/self/maps").is_file():
        with pytest.raises(bounded_io.RefusedFile, match="too large"):
            bounded_io.read_bounded("/proc/self/maps", 16)
