"""MNIST is found in the documented order and validated before training sees it."""

from __future__ import annotations

import re

import numpy as np
import pytest

from digitpad.core.errors import DataError
from digitpad.core.training import data
from digitpad.core.training.data import load_mnist


def _fake_mnist(path, **overrides):
    arrays = {
        "x_train": np.zeros((20, 28, 28), np.uint8),
        "y_train": np.arange(20, dtype=np.uint8) % 10,
        "x_test": np.zeros((10, 28, 28), np.uint8),
        "y_test": np.arange(10, dtype=np.uint8),
    }
    arrays.update(overrides)
    np.savez(path, **{k: v for k, v in arrays.items() if v is not None})
    return path


def test_real_mnist_loads_from_the_environment_variable(full_mnist_path) -> None:
    mnist = load_mnist()
    assert mnist.x_train.shape == (60000, 28, 28) and mnist.x_test.shape == (
        10000,
        28,
        28,
    )
    assert mnist.source == str(full_mnist_path)
    assert list(mnist.y_train[:5]) == [5, 0, 4, 1, 9]


def test_explicit_path_wins_over_environment(tmp_path, monkeypatch) -> None:
    fake = _fake_mnist(tmp_path / "m.npz")
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path / "elsewhere.npz"))
    assert load_mnist(fake).source == str(fake)


def test_keras_cache_is_used_when_nothing_is_configured(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv(data.ENV_VAR, raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    (tmp_path / "datasets").mkdir()
    cached = _fake_mnist(tmp_path / "datasets" / "mnist.npz")
    assert load_mnist().source == str(cached)


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"x_train": np.zeros((20, 28, 27), np.uint8)}, "x_train must be N x 28 x 28"),
        ({"y_test": np.full(10, 12, np.uint8)}, "labels must be integers 0..9"),
        ({"y_train": np.zeros(5, np.uint8)}, "one label per image"),
        ({"x_test": None}, "missing x_test"),
        ({"x_train": np.full((20, 28, 28), 300, np.int32)}, "integers 0..255"),
    ],
)
def test_malformed_files_are_refused_with_the_reason(
    tmp_path, override, message
) -> None:
    path = _fake_mnist(tmp_path / "bad.npz", **override)
    with pytest.raises(DataError, match=message):
        load_mnist(path)


def test_not_an_npz_and_missing_file(tmp_path) -> None:
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"\x00" * 64)
    with pytest.raises(DataError, match=re.escape("junk.npz: not a readable .npz")):
        load_mnist(junk)
    with pytest.raises(DataError, match="no such MNIST file"):
        load_mnist(tmp_path / "absent.npz")


def test_subset_is_reproducible(mnist_path) -> None:
    mnist = load_mnist(mnist_path)
    a, b = mnist.subset(500, seed=3), mnist.subset(500, seed=3)
    assert len(a.x_train) == 500 and np.array_equal(a.y_train, b.y_train)
    assert len(set(a.y_train.tolist())) == 10


def test_the_committed_subset_is_valid_balanced_mnist() -> None:
    from tests.support.data import MNIST_SUBSET

    subset = load_mnist(MNIST_SUBSET)
    assert subset.x_train.shape[1:] == (28, 28) and len(subset.x_test) >= 1000
    assert np.bincount(subset.y_train, minlength=10).min() >= 200


def test_an_npz_that_inflates_or_overpromises_is_refused_before_allocating(
    tmp_path, monkeypatch
) -> None:
    import io
    import zipfile

    # 64 MB of zeros compresses to ~64 KB: over a 16 MB budget, refused from the
    # zip directory without inflating
    bomb = _fake_mnist(
        tmp_path / "bomb.npz", x_train=np.zeros((80_000, 28, 28), np.uint8)
    )
    compressed = tmp_path / "bomb-z.npz"
    with np.load(bomb) as arrays:
        np.savez_compressed(compressed, **dict(arrays))
    assert compressed.stat().st_size < 1_000_000
    monkeypatch.setattr(data, "MAX_DATA_BYTES", 16 * 1024 * 1024)
    with pytest.raises(DataError, match="would take over"):
        load_mnist(compressed)

    # a header declaring a trillion images in an entry of a few bytes
    liar = tmp_path / "liar.npz"
    _fake_mnist(liar)
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "|u1", "fortran_order": False, "shape": (10**12, 28, 28)}
    )
    with zipfile.ZipFile(liar, "a") as archive:
        entries = {i.filename: archive.read(i) for i in archive.infolist()}
    entries["x_train.npy"] = b"\x93NUMPY\x01\x00" + header.getvalue()[8:] + b"\x00" * 16
    with zipfile.ZipFile(liar, "w") as archive:
        for name, payload in entries.items():
            archive.writestr(name, payload)
    with pytest.raises(DataError, match="x_train declares more data than it holds"):
        load_mnist(liar)


def test_fortran_ordered_arrays_load_as_they_were_saved(tmp_path) -> None:
    images = np.asfortranarray(np.arange(20 * 28 * 28).reshape(20, 28, 28) % 256)
    path = _fake_mnist(tmp_path / "f.npz", x_train=images.astype(np.uint8))
    assert np.array_equal(load_mnist(path).x_train, images.astype(np.uint8))
