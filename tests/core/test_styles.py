"""Synthesised handwriting conventions: crossed zeros and flagged ones."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from digitpad.core.styles import add_handwriting_styles


def _ring() -> np.ndarray:
    image = Image.new("L", (28, 28), 0)
    ImageDraw.Draw(image).ellipse((8, 4, 20, 24), outline=255, width=2)
    return np.asarray(image)


def _bar() -> np.ndarray:
    image = np.zeros((28, 28), np.uint8)
    image[4:24, 13:15] = 255
    return image


def test_zeros_get_crossed_and_ones_get_a_flag() -> None:
    x = np.stack([_ring()] * 10 + [_bar()] * 10)
    y = np.array([0] * 10 + [1] * 10, np.uint8)
    x2, y2 = add_handwriting_styles(x, y, fraction=0.5, seed=0)
    assert len(x2) == 30 and np.array_equal(x2[:20], x)
    assert sorted(y2[20:].tolist()) == [0] * 5 + [1] * 5
    for image, label in zip(x2[20:], y2[20:], strict=True):
        assert image.dtype == np.uint8 and image.shape == (28, 28)
        if label == 0:  # the hole of the ring now has a stroke through it
            assert image[10:18, 10:18].max() > 128
        else:  # the flag makes the one wider than the bare bar (2 px)
            cols = np.flatnonzero(image.max(axis=0) > 128)
            assert cols[-1] - cols[0] + 1 >= 5


def test_other_digits_and_zero_fraction_are_left_alone() -> None:
    x = np.stack([_bar()] * 4)
    y = np.array([7, 7, 3, 3], np.uint8)
    assert add_handwriting_styles(x, y, 0.5, 0)[0] is x
    ones = np.array([1, 1, 1, 1], np.uint8)
    assert add_handwriting_styles(x, ones, 0.0, 0)[0] is x
