"""Remembered answers: a model's predicted digit for every image of a test set.

Scoring a model on the 10,000 MNIST test digits takes LiteRT a few seconds on a busy
machine; the answers depend only on the exact flatbuffer and the exact images, so
they are kept under the user's cache folder keyed by both hashes and a second
comparison of the same model is instant. A cache file is as untrusted as any file:
read bounded, no pickles, and used only if it holds one digit 0-9 per image.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import numpy as np

from digitpad.core import paths
from digitpad.core.atomic import write_bytes_atomically
from digitpad.core.bounded_io import RefusedFile, read_bounded

_HEX = re.compile(r"[0-9a-f]{64}")
_HEADER_BYTES = 4096


def data_fingerprint(images: np.ndarray, labels: np.ndarray) -> str:
    """SHA-256 over a test set's images and labels (about 15 ms for MNIST's)."""
    digest = hashlib.sha256()
    digest.update(np.ascontiguousarray(images, np.uint8).tobytes())
    digest.update(np.ascontiguousarray(labels, np.int64).tobytes())
    return digest.hexdigest()


def cache_path(model_sha256: str, data_sha256: str, folder: Path | None = None) -> Path:
    """Where the answers of one export on one test set are kept (hex names only,
    so the path stays inside the cache folder whatever a metadata file says)."""
    if not (_HEX.fullmatch(model_sha256) and _HEX.fullmatch(data_sha256)):
        raise ValueError("cache keys must be SHA-256 hex digests")
    folder = folder or paths.user_cache_dir() / "scores"
    return folder / f"{model_sha256[:40]}-{data_sha256[:24]}.npy"


def cached_predictions(
    model_sha256: str, data_sha256: str, count: int, folder: Path | None = None
) -> np.ndarray | None:
    """The remembered digits (uint8, one per image), or None if absent or unusable."""
    path = cache_path(model_sha256, data_sha256, folder)
    try:
        data = read_bounded(path, count + _HEADER_BYTES)
        array = np.load(io.BytesIO(data), allow_pickle=False)
    except (OSError, RefusedFile, ValueError, EOFError):
        return None
    if array.dtype != np.uint8 or array.shape != (count,) or (array > 9).any():
        return None
    return array


def remember_predictions(
    model_sha256: str,
    data_sha256: str,
    predictions: np.ndarray,
    folder: Path | None = None,
) -> None:
    """Keep the answers for next time; a cache that cannot be written is no error."""
    path = cache_path(model_sha256, data_sha256, folder)
    buffer = io.BytesIO()
    np.save(buffer, np.asarray(predictions, np.uint8), allow_pickle=False)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomically(path, buffer.getvalue())
    except OSError:
        pass
