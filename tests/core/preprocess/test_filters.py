"""Hand-made filters for the playground behave like the Conv2D arithmetic they teach."""

from __future__ import annotations

import numpy as np
import pytest

from digitpad.core.preprocess.filters import HANDMADE_FILTERS, apply_all, convolve2d


def _naive(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    kh, kw = kernel.shape
    top, left = (kh - 1) // 2, (kw - 1) // 2
    padded = np.pad(image, ((top, kh - 1 - top), (left, kw - 1 - left)))
    out = np.zeros_like(image)
    for y in range(image.shape[0]):
        for x in range(image.shape[1]):
            out[y, x] = (padded[y : y + kh, x : x + kw] * kernel).sum()
    return out


@pytest.mark.parametrize("shape", [(3, 3), (5, 5), (2, 4)])
def test_convolution_matches_the_textbook_loop(shape):
    rng = np.random.default_rng(1)
    image = rng.random((28, 28)).astype(np.float32)
    kernel = rng.normal(size=shape).astype(np.float32)
    result = convolve2d(image, kernel)
    assert result.shape == (28, 28) and result.dtype == np.float32
    np.testing.assert_allclose(result, _naive(image, kernel), rtol=1e-5, atol=1e-5)


def test_convolution_is_cross_correlation_like_keras():
    """Conv2D does not flip the kernel; neither does the playground."""
    image = np.zeros((5, 5), np.float32)
    image[2, 2] = 1.0
    kernel = np.arange(9, dtype=np.float32).reshape(3, 3)
    np.testing.assert_array_equal(
        convolve2d(image, kernel)[1:4, 1:4], kernel[::-1, ::-1]
    )


def test_sobel_finds_a_vertical_edge_and_ignores_flat_areas():
    image = np.zeros((28, 28), np.float32)
    image[:, 14:] = 1.0
    edges = HANDMADE_FILTERS["sobel_x"].apply(image)
    assert edges[10, 13] == 4.0 and edges[10, 14] == 4.0
    assert edges[10, 5] == 0.0 and edges[10, 20] == 0.0
    assert not HANDMADE_FILTERS["sobel_y"].apply(image)[5:20, 5:20].any()


def test_blur_keeps_brightness_and_sharpen_keeps_flat_areas():
    image = np.full((28, 28), 0.5, np.float32)
    np.testing.assert_allclose(HANDMADE_FILTERS["blur"].apply(image)[1:-1, 1:-1], 0.5)
    np.testing.assert_allclose(
        HANDMADE_FILTERS["gaussian"].apply(image)[1:-1, 1:-1], 0.5
    )
    np.testing.assert_allclose(
        HANDMADE_FILTERS["sharpen"].apply(image)[1:-1, 1:-1], 0.5
    )


def test_every_filter_is_described_and_applies_to_a_digit():
    digit = np.zeros((28, 28), np.float32)
    digit[6:22, 12:15] = 1.0
    outputs = apply_all(digit)
    assert set(outputs) == set(HANDMADE_FILTERS)
    for name, handmade in HANDMADE_FILTERS.items():
        assert handmade.kernel.shape == (3, 3)
        assert handmade.title and handmade.description.endswith(".")
        assert outputs[name].shape == (28, 28) and outputs[name].any()


def test_convolution_refuses_non_2d_input():
    with pytest.raises(ValueError):
        convolve2d(np.zeros((28, 28, 1)), np.ones((3, 3)))
