"""Many plausible variants of a few drawings, made in stroke space.

Fine-tuning on a user's 50 drawings needs more than 50 images. Distorting the strokes
(not the 28x28 image) and then rendering each variant through ``preprocess_drawing``
gives exactly what the network will see at prediction time: the same crop, scale,
centring and MNIST-like pen, so no artefact of image warping (blurred or broken
strokes) is learned. Shifting a drawing on the canvas would change nothing (the
preprocessing centres it), so what varies is what the writer varies: slant, width,
height, the shape of each stroke, and the pen; plus a one-pixel jiggle of the result,
since centring by mass is not exact for every digit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from digitpad.core.ink.drawing import Drawing
from digitpad.core.preprocess.mnist_input import STROKE_WIDTH, preprocess_drawing


@dataclass(frozen=True)
class StrokeAugmentConfig:
    """Strengths of each random distortion (0 turns one off)."""

    rotation_degrees: float = 10.0
    shear: float = 0.2
    aspect: float = 0.15  # relative change of width against height
    wobble: float = 0.03  # smooth bending, as a fraction of the drawing's size
    pen_width: float = 0.25  # relative change of the rendered stroke width
    shift_pixels: int = 1

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


def distort(
    drawing: Drawing, rng: np.random.Generator, config: StrokeAugmentConfig
) -> Drawing:
    """One random variant of ``drawing``: rotated, sheared, stretched and bent."""
    strokes = [np.asarray(s, dtype=np.float64) for s in drawing.strokes if s]
    points = np.concatenate(strokes)
    low, high = points.min(axis=0), points.max(axis=0)
    centre = (low + high) / 2
    size = float(max((high - low).max(), 1e-6))
    angle = math.radians(rng.uniform(-1, 1) * config.rotation_degrees)
    shear = rng.uniform(-1, 1) * config.shear
    aspect = 1.0 + rng.uniform(-1, 1) * config.aspect
    cos, sin = math.cos(angle), math.sin(angle)
    # y points down: shear moves the top to the right like a forward slant
    matrix = np.array([[cos, -sin], [sin, cos]]) @ np.array(
        [[aspect, -shear], [0.0, 1.0 / aspect]]
    )
    # smooth bending: each coordinate moves by a low-frequency sine of the other one
    freq = rng.uniform(0.5, 1.5, size=2) * 2 * math.pi / size
    phase = rng.uniform(0, 2 * math.pi, size=2)
    amp = rng.uniform(-1, 1, size=2) * config.wobble * size
    moved = []
    for stroke in strokes:
        p = (stroke - centre) @ matrix.T
        bend = np.stack(
            [
                amp[0] * np.sin(freq[0] * p[:, 1] + phase[0]),
                amp[1] * np.sin(freq[1] * p[:, 0] + phase[1]),
            ],
            axis=1,
        )
        moved.append(tuple(map(tuple, (p + bend + centre).tolist())))
    return Drawing(drawing.width, drawing.height, tuple(moved), drawing.pen_width)


def render_variants(
    drawings: Sequence[Drawing],
    repeats: int,
    rng: np.random.Generator,
    config: StrokeAugmentConfig | None = None,
) -> np.ndarray:
    """(len(drawings) * repeats, 28, 28) float32; rows i*repeats.. are drawing i's.

    The first variant of each drawing is the drawing itself, as it will be read.
    """
    config = config or StrokeAugmentConfig()
    images = np.zeros((len(drawings) * repeats, 28, 28), np.float32)
    for i, drawing in enumerate(drawings):
        for r in range(repeats):
            if r == 0:
                variant, width = drawing, STROKE_WIDTH
            else:
                variant = distort(drawing, rng, config)
                width = STROKE_WIDTH * (1 + rng.uniform(-1, 1) * config.pen_width)
            image = preprocess_drawing(variant, stroke_width=width).image
            if image is None:
                continue
            if r and config.shift_pixels:
                dy, dx = rng.integers(-config.shift_pixels, config.shift_pixels + 1, 2)
                image = np.roll(image, (int(dy), int(dx)), axis=(0, 1))
            images[i * repeats + r] = image
    return images


def render_plain(drawings: Sequence[Drawing]) -> np.ndarray:
    """The network input of each drawing, exactly as prediction makes it."""
    images = np.zeros((len(drawings), 28, 28), np.float32)
    for i, drawing in enumerate(drawings):
        image = preprocess_drawing(drawing).image
        if image is not None:
            images[i] = image
    return images
