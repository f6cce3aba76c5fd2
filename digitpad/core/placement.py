"""Putting ink into MNIST's frame: area-average a supersampled box down and place it
in 28x28 with its centre of mass where MNIST's digits have theirs."""

from __future__ import annotations

import functools

import numpy as np

SIZE = 28
MNIST_CENTRE = 14.0  # mean centre of mass of MNIST digits, in pixel indices
SUPERSAMPLE = 8


def downsample(image_hi: np.ndarray, factor: int) -> np.ndarray:
    """Area-average by ``factor`` (padding with background): the antialiasing step."""
    h, w = image_hi.shape
    ph, pw = -h % factor, -w % factor
    padded = np.pad(image_hi, ((0, ph), (0, pw)))
    return padded.reshape(
        padded.shape[0] // factor, factor, padded.shape[1] // factor, factor
    ).mean(axis=(1, 3))


def centre_by_mass(box_hi: np.ndarray) -> np.ndarray:
    """Place a supersampled box in 28x28 with its centre of mass at MNIST's centre.

    Pasting the box into a 28*s square and area-averaging it is one linear map per
    axis, so it is done as two small matrix products (BLAS) instead of building the
    square: a tenth of the time, the same numbers.
    """
    box_hi = np.asarray(box_hi, dtype=np.float32)
    h, w = box_hi.shape
    rows = box_hi @ np.ones(w, dtype=np.float32)  # the mass, projected
    cols = np.ones(h, dtype=np.float32) @ box_hi
    total = float(rows.sum())
    com_y = float(rows @ np.arange(h, dtype=np.float32)) / total
    com_x = float(cols @ np.arange(w, dtype=np.float32)) / total
    # the supersampled pixel at index i covers output pixel i // s; its centre, in
    # output pixel-index units, is (i + 0.5) / s - 0.5
    target = (MNIST_CENTRE + 0.5) * SUPERSAMPLE - 0.5
    off_y, off_x = round(target - com_y), round(target - com_x)
    placed = _pooling(h, off_y) @ box_hi @ _pooling(w, off_x).T
    return np.clip(placed, 0.0, 1.0)


@functools.lru_cache(maxsize=1024)
def _pooling(length: int, offset: int) -> np.ndarray:
    """(28, length): output pixel i averages the inputs placed on it at ``offset``."""
    s = SUPERSAMPLE
    landed = np.arange(length) + offset
    inside = (landed >= 0) & (landed < SIZE * s)
    matrix = np.zeros((SIZE, length), dtype=np.float32)
    matrix[landed[inside] // s, np.flatnonzero(inside)] = 1.0 / s
    matrix.flags.writeable = False  # shared by every call with the same geometry
    return matrix
