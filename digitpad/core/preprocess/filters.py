"""Classic hand-made image filters and a small 2-D convolution for the playground.

A student compares what a CNN *learned* in its first layer with the kernels people
designed by hand (Sobel edges, blur, sharpen, emboss). Both are applied the same way a
Conv2D layer applies its kernel: cross-correlation over a "same"-padded image, so the
output lines up pixel for pixel with the 28x28 input.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


@dataclass(frozen=True)
class HandmadeFilter:
    """A named kernel with one sentence on what it picks out of an image."""

    name: str
    title: str
    description: str
    kernel: np.ndarray  # (kh, kw) float32

    def apply(self, image: np.ndarray) -> np.ndarray:
        return convolve2d(image, self.kernel)


def _kernel(rows: list[list[float]], scale: float = 1.0) -> np.ndarray:
    return (np.asarray(rows, dtype=np.float32) * scale).astype(np.float32)


HANDMADE_FILTERS: dict[str, HandmadeFilter] = {
    f.name: f
    for f in (
        HandmadeFilter(
            "sobel_x",
            "Vertical edges (Sobel x)",
            "Bright where ink starts left to right, dark where it ends.",
            _kernel([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
        ),
        HandmadeFilter(
            "sobel_y",
            "Horizontal edges (Sobel y)",
            "Bright where ink starts top to bottom, dark where it ends.",
            _kernel([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]),
        ),
        HandmadeFilter(
            "outline",
            "Outline (Laplacian)",
            "Responds wherever brightness changes in any direction.",
            _kernel([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]]),
        ),
        HandmadeFilter(
            "blur",
            "Blur (box)",
            "Averages each pixel with its neighbours: softer, thicker strokes.",
            _kernel([[1, 1, 1], [1, 1, 1], [1, 1, 1]], 1 / 9),
        ),
        HandmadeFilter(
            "gaussian",
            "Gaussian blur",
            "A gentler blur that weighs close neighbours more.",
            _kernel([[1, 2, 1], [2, 4, 2], [1, 2, 1]], 1 / 16),
        ),
        HandmadeFilter(
            "sharpen",
            "Sharpen",
            "Boosts a pixel against its neighbours: crisper edges.",
            _kernel([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
        ),
        HandmadeFilter(
            "emboss",
            "Emboss",
            "Lights the image from the top left: a raised, 3-D look.",
            _kernel([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]]),
        ),
        HandmadeFilter(
            "diagonal",
            "Diagonal lines",
            "Likes strokes running from bottom left to top right.",
            _kernel([[-1, -1, 2], [-1, 2, -1], [2, -1, -1]]),
        ),
    )
}


def convolve2d(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Cross-correlate ``image`` with ``kernel`` as Conv2D does, zero "same" padding.

    Vectorised with a sliding-window view: a 28x28 image and a 3x3 kernel take a few
    microseconds, so the playground can refilter on every stroke.
    """
    image = np.asarray(image, dtype=np.float32)
    kernel = np.asarray(kernel, dtype=np.float32)
    if image.ndim != 2 or kernel.ndim != 2:
        raise ValueError("convolve2d needs a 2-D image and a 2-D kernel")
    kh, kw = kernel.shape
    top, left = (kh - 1) // 2, (kw - 1) // 2
    padded = np.pad(image, ((top, kh - 1 - top), (left, kw - 1 - left)))
    windows = sliding_window_view(padded, (kh, kw))
    return np.einsum("ijkl,kl->ij", windows, kernel).astype(np.float32)


def apply_all(image: np.ndarray) -> dict[str, np.ndarray]:
    """Every hand-made filter applied to one image, by filter name."""
    return {name: f.apply(image) for name, f in HANDMADE_FILTERS.items()}
