"""Tiny stand-ins for fine-tuning tests: labelled drawings and a fake MNIST file.

Fine-tuning tests must not need the real MNIST (nor ../shared): the replay and test
images here are rendered from synthetic strokes, a few hundred of them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from digitpad.core.ink.drawing import Drawing
from digitpad.core.training.data import MnistData
from digitpad.core.training.stroke_augment import render_plain


def digit_like(label: int, variant: int) -> Drawing:
    """A polyline whose shape depends on the label (learnable), jittered by variant."""
    rng = np.random.default_rng(label * 1000 + variant)
    angles = np.linspace(0, (label + 1) * 0.7 * np.pi, 12 + label)
    radius = 80 + 10 * np.arange(len(angles)) * (label % 3)
    xs = 200 + radius * np.cos(angles) + rng.normal(0, 3, len(angles))
    ys = (
        200 + radius * np.sin(angles) * (1 + label / 10) + rng.normal(0, 3, len(angles))
    )
    return Drawing(400, 400, (tuple(zip(xs.tolist(), ys.tolist(), strict=True)),))


def labelled_drawings(per_digit: int) -> tuple[list[Drawing], list[int]]:
    drawings, labels = [], []
    for variant in range(per_digit):
        for digit in range(10):
            drawings.append(digit_like(digit, variant))
            labels.append(digit)
    return drawings, labels


def tiny_mnist(train: int = 200, test: int = 100) -> MnistData:
    drawings, labels = labelled_drawings((train + test) // 10)
    images = (render_plain(drawings) * 255).astype(np.uint8)
    y = np.asarray(labels, dtype=np.uint8)
    return MnistData(
        images[:train], y[:train], images[train:], y[train:], "synthetic test data"
    )


def write_tiny_mnist(path: Path) -> Path:
    data = tiny_mnist()
    np.savez(
        path,
        x_train=data.x_train,
        y_train=data.y_train,
        x_test=data.x_test,
        y_test=data.y_test,
    )
    return path
