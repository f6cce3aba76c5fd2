"""Batch augmentation that makes MNIST look like what people draw on a canvas.

Drawings differ from MNIST in position, slant, size, shear and, above all, stroke
thickness; each gets a random, per-sample strength here. Runs as TensorFlow ops inside
the ``tf.data`` pipeline so it costs little next to the training step.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class AugmentConfig:
    """Strengths of each random distortion (0 turns one off)."""

    shift_pixels: float = 2.0
    rotation_degrees: float = 10.0
    scale: float = 0.12
    shear: float = 0.2
    thickness: float = 1.0
    styles: float = 1.0  # share of 0s and 1s copied as crossed zeros / flagged ones
    # digits written as pen strokes (``stroke_digits``), per MNIST training image
    stroke_digits: float = 0.0

    def __post_init__(self) -> None:
        if not 0 <= self.stroke_digits <= 2:
            raise ValueError("stroke digits must be 0 to 2 per MNIST training image")

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


def augment_batch(images: Any, config: AugmentConfig, seed: Any = None) -> Any:
    """Randomly distort a float32 batch (B, 28, 28, 1) with values in [0, 1]."""
    import tensorflow as tf

    batch = tf.shape(images)[0]
    images = _random_thickness(images, batch, config.thickness)
    transforms = _random_affine(batch, config)
    warped = tf.raw_ops.ImageProjectiveTransformV3(
        images=images,
        transforms=transforms,
        output_shape=tf.constant([28, 28]),
        fill_value=0.0,
        interpolation="BILINEAR",
        fill_mode="CONSTANT",
    )
    return tf.clip_by_value(warped, 0.0, 1.0)


def _random_thickness(images: Any, batch: Any, strength: float) -> Any:
    """Blend towards a dilated (thicker) or eroded (thinner) copy, per sample."""
    import tensorflow as tf

    if strength <= 0:
        return images
    dilated = tf.nn.max_pool2d(images, 3, 1, "SAME")
    eroded = -tf.nn.max_pool2d(-images, 3, 1, "SAME")
    amount = tf.random.uniform([batch, 1, 1, 1], -0.5 * strength, strength)
    thicker = images + tf.maximum(amount, 0.0) * (dilated - images)
    return thicker + tf.maximum(-amount, 0.0) * (eroded - images)


def _random_affine(batch: Any, config: AugmentConfig) -> Any:
    """Per-sample output->input pixel transforms about the image centre."""
    import tensorflow as tf

    def uniform(limit: float) -> Any:
        return tf.random.uniform([batch], -limit, limit)

    angle = uniform(math.radians(config.rotation_degrees))
    scale = 1.0 + uniform(config.scale)
    aspect = 1.0 + uniform(config.scale / 2)
    shear = uniform(config.shear)
    sx, sy = scale * aspect, scale / aspect
    cos, sin = tf.cos(angle), tf.sin(angle)
    # forward map: rotate(shear(scale(p))); invert it for the output->input convention
    a = cos * sx
    b = (cos * shear - sin) * sy
    c = sin * sx
    d = (sin * shear + cos) * sy
    det = a * d - b * c
    ia, ib, ic, id_ = d / det, -b / det, -c / det, a / det
    centre = 13.5
    tx = uniform(config.shift_pixels)
    ty = uniform(config.shift_pixels)
    ox = centre - ia * (centre + tx) - ib * (centre + ty)
    oy = centre - ic * (centre + tx) - id_ * (centre + ty)
    zeros = tf.zeros([batch])
    return tf.stack([ia, ib, ox, ic, id_, oy, zeros, zeros], axis=1)
