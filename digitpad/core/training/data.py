"""MNIST loading with a clear order of sources and strict validation.

Order: an explicit path, the ``DIGITPAD_MNIST`` environment variable, Keras's cache, and
finally Keras's own download. Every source goes through the same validation so a broken
file gives one clear error instead of a shape mismatch deep inside training. When the
download fails (offline), the error says how to go on without a network, in the words
of the front end that asked (``choose``: the CLI's ``--data``, the app's file button).
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from digitpad.core.bounded_io import RefusedFile, open_regular
from digitpad.core.errors import DataError, one_line
from digitpad.core.quiet import import_tensorflow_quietly

ENV_VAR = "DIGITPAD_MNIST"
_KEYS = ("x_train", "y_train", "x_test", "y_test")
MAX_DATA_BYTES = 1024 * 1024 * 1024  # MNIST is 11 MB; EMNIST-sized sets fit too
CHOOSE_ON_COMMAND_LINE = "pass it with --data FILE"


class MnistUnavailable(DataError):
    """No local MNIST, and Keras could not download it: says how to do without."""

    def __init__(self, reason: str, choose: str = CHOOSE_ON_COMMAND_LINE) -> None:
        self.reason = reason
        self.choose = choose
        super().__init__(
            f"could not download MNIST with Keras ({reason}). Without a network, use "
            f"a copy of mnist.npz: {choose}, point the {ENV_VAR} environment "
            f"variable at it, or put it where Keras keeps its download: "
            f"{keras_cache_path()}"
        )

    def __reduce__(self) -> tuple:
        return type(self), (self.reason, self.choose)


@dataclass(frozen=True)
class MnistData:
    """MNIST as uint8 images (N, 28, 28), 0 = background, and uint8 labels 0..9."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    source: str

    def subset(self, limit: int | None, seed: int = 0) -> MnistData:
        """A class-balanced random subset of the training set (the test set is kept)."""
        if limit is None or limit >= len(self.x_train):
            return self
        if limit < 10:
            raise DataError(f"a training subset needs at least 10 images, not {limit}")
        rng = np.random.default_rng(seed)
        index = rng.permutation(len(self.x_train))[:limit]
        return MnistData(
            self.x_train[index],
            self.y_train[index],
            self.x_test,
            self.y_test,
            self.source,
        )


def keras_cache_path() -> Path:
    """Where ``keras.datasets.mnist.load_data()`` keeps its download."""
    keras_home = os.environ.get("KERAS_HOME") or Path.home() / ".keras"
    return Path(keras_home) / "datasets" / "mnist.npz"


def resolve_mnist_path(path: str | Path | None = None) -> Path | None:
    """The first local MNIST file in the documented order, or None to download."""
    if path is not None:
        return Path(path)
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    cached = keras_cache_path()
    return cached if cached.is_file() else None


def load_mnist(
    path: str | Path | None = None, *, choose: str = CHOOSE_ON_COMMAND_LINE
) -> MnistData:
    """Load and validate MNIST; raise ``DataError`` naming the file and the problem.

    ``choose`` says how the user names a data file where they are (for the advice
    in ``MnistUnavailable``).
    """
    resolved = resolve_mnist_path(path)
    if resolved is None:
        return _download_with_keras(choose)
    return validate_arrays(_read_npz(resolved), str(resolved))


def load_mnist_test(path: str | Path) -> tuple[np.ndarray, np.ndarray, str]:
    """Only the test half of a local MNIST file, checked like ``load_mnist``'s:
    scoring a model needs 8 MB of the 55, and reading it takes a tenth as long."""
    resolved = Path(path)
    arrays = _read_npz(resolved, ("x_test", "y_test"))
    _check_split(arrays, "test", str(resolved))
    x, y = (
        np.ascontiguousarray(arrays[k], dtype=np.uint8) for k in ("x_test", "y_test")
    )
    return x, y, str(resolved)


def _read_npz(path: Path, keys: tuple[str, ...] = _KEYS) -> dict[str, np.ndarray]:
    """The four arrays, each checked against its zip entry before anything inflates.

    A user picks this file: an entry that declares a huge array or inflates far
    beyond the file (a zip bomb) is refused from the headers alone.
    """
    try:
        with (
            open_regular(path, MAX_DATA_BYTES) as handle,
            zipfile.ZipFile(handle) as archive,
        ):
            entries = {info.filename: info for info in archive.infolist()}
            missing = [key for key in keys if f"{key}.npy" not in entries]
            if missing:
                raise DataError(
                    f"{path}: not an MNIST file (missing {', '.join(missing)})"
                )
            inflated = sum(entries[f"{key}.npy"].file_size for key in keys)
            if inflated > MAX_DATA_BYTES:
                raise DataError(f"{path}: its arrays would take over 1 GiB")
            return {
                key: _read_entry(archive, entries[f"{key}.npy"], path) for key in keys
            }
    except DataError:
        raise
    except FileNotFoundError:
        raise DataError(f"{path}: no such MNIST file") from None
    except RefusedFile as error:
        raise DataError(f"{path}: {error.reason}") from None
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as error:
        raise DataError(f"{path}: not a readable .npz file ({error})") from None


def _read_entry(
    archive: zipfile.ZipFile, entry: zipfile.ZipInfo, path: Path
) -> np.ndarray:
    """One ``.npy`` entry, whose header may promise no more than the entry holds."""
    name = entry.filename.removesuffix(".npy")
    with archive.open(entry) as member:
        version = np.lib.format.read_magic(member)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(member)
        else:
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(member)
        if dtype.hasobject:
            raise DataError(f"{path}: {name} holds Python objects, not numbers")
        size = int(np.prod(shape, dtype=np.float64)) * dtype.itemsize
        if size > entry.file_size:
            raise DataError(f"{path}: {name} declares more data than it holds")
        data = bytearray(size)  # writable, unlike the bytes read() returns
        got = member.readinto(data)
    if got != size:
        raise DataError(f"{path}: {name} is cut short")
    array = np.frombuffer(data, dtype=dtype)
    return array.reshape(shape[::-1]).T if fortran else array.reshape(shape)


def _check_split(arrays: dict[str, np.ndarray], split: str, source: str) -> None:
    x, y = arrays[f"x_{split}"], arrays[f"y_{split}"]
    if x.ndim != 3 or x.shape[1:] != (28, 28):
        raise DataError(f"{source}: x_{split} must be N x 28 x 28, not {x.shape}")
    if y.ndim != 1 or len(y) != len(x):
        raise DataError(f"{source}: y_{split} must hold one label per image")
    if len(x) == 0:
        raise DataError(f"{source}: x_{split} is empty")
    if not np.issubdtype(x.dtype, np.integer) or x.min() < 0 or x.max() > 255:
        raise DataError(f"{source}: x_{split} must be integers 0..255 ({x.dtype})")
    if not np.issubdtype(y.dtype, np.integer) or y.min() < 0 or y.max() > 9:
        raise DataError(f"{source}: y_{split} labels must be integers 0..9")


def _download_with_keras(choose: str) -> MnistData:
    try:
        (x_train, y_train), (x_test, y_test) = _keras_download()
    except Exception as error:  # network, disk or archive problems all end here
        raise MnistUnavailable(one_line(error), choose) from None
    arrays = dict(x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    return validate_arrays(arrays, str(keras_cache_path()))


def _keras_download() -> tuple:
    """Keras's MNIST, fetched into its cache first if need be (the network part)."""
    import_tensorflow_quietly()
    import keras

    return keras.datasets.mnist.load_data()


def validate_arrays(arrays: dict[str, np.ndarray], source: str) -> MnistData:
    """Check shapes, dtypes and label range; return the data as uint8 arrays."""
    for split in ("train", "test"):
        _check_split(arrays, split, source)
    return MnistData(
        *(np.ascontiguousarray(arrays[key], dtype=np.uint8) for key in _KEYS),
        source=source,
    )
