"""Synthesised handwriting conventions: crossed zeros and flagged ones."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from digitpad.core.preprocess.mnist_input import preprocess_image
from digitpad.core.training.styles import add_handwriting_styles


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


def _height_over_width(image: np.ndarray) -> float:
    rows = np.flatnonzero(image.max(axis=1) > 128)
    cols = np.flatnonzero(image.max(axis=0) > 128)
    return (rows[-1] - rows[0] + 1) / (cols[-1] - cols[0] + 1)


def test_the_bar_of_a_crossed_zero_sticks_out_of_the_ring() -> None:
    """Crossed zeros are written with the bar out above and below, as a phi."""
    rings = np.stack([_ring()] * 200)
    x2, _ = add_handwriting_styles(rings, np.zeros(200, np.uint8), 1.0, seed=0)
    bare_ring = preprocess_image(_ring().astype(np.float32) / 255).image * 255
    bare = _height_over_width(bare_ring)
    assert all(_height_over_width(image) > bare for image in x2[200:])


def _flag_reach_over_drop(image: np.ndarray) -> float:
    """How far the flag reaches left of the stem for each pixel it drops."""
    ink = image > 128
    stem = int(np.argmax(ink.sum(axis=0)))  # the column with the most ink
    flag = ink[:, : max(stem - 1, 0)]
    rows, cols = np.flatnonzero(flag.max(axis=1)), np.flatnonzero(flag.max(axis=0))
    return (cols[-1] - cols[0] + 1) / (rows[-1] - rows[0] + 1)


def test_flags_stay_steeper_than_the_top_bar_of_a_seven() -> None:
    """A flag flatter than 60 degrees from the vertical is a seven's bar: none are."""
    bars = np.stack([_bar()] * 200)
    x2, _ = add_handwriting_styles(bars, np.ones(200, np.uint8), 1.0, seed=0)
    assert max(_flag_reach_over_drop(image) for image in x2[200:]) < 1.6
