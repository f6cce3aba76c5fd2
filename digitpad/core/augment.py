"""Batch augmentation that makes MNIST look like what people draw on a canvas.

Drawings differ from MNIST in position, slant, size, shear and, above all, stroke
thickness; each gets a random, per-sample strength here. On top of the affine part a
smooth random displacement field bends strokes locally (elastic distortion, Simard et
al. 2003), the variation between writers that no global transform captures. Runs as
TensorFlow ops inside the ``tf.data`` pipeline so it costs little next to the training
step.
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
    styles: float = 0.5  # fraction of 0s and 1s copied as crossed zeros / flagged ones
    elastic_pixels: float = 1.5  # largest local displacement of the smooth field

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


def augment_batch(images: Any, config: AugmentConfig, seed: Any = None) -> Any:
    """Randomly distort a float32 batch (B, 28, 28, 1) with values in [0, 1]."""
    import tensorflow as tf

    batch = tf.shape(images)[0]
    images = _random_thickness(images, batch, config.thickness)
    transforms = _random_affine(batch, config)
    if config.elastic_pixels > 0:
        warped = _warp_with_field(images, transforms, config.elastic_pixels)
        return tf.clip_by_value(warped, 0.0, 1.0)
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


_FIELD_KNOTS = 4  # random displacements on a 4x4 grid, smoothly upsampled to 28x28


def _warp_with_field(images: Any, transforms: Any, max_pixels: float) -> Any:
    """Sample each image at its affine-mapped grid plus a smooth random displacement.

    One bilinear resampling for both distortions, so strokes are blurred once, not
    twice. The field is random knots bicubically upsampled, which is smooth at the
    scale of a stroke bend without the cost of a Gaussian-filtered noise image.
    """
    import tensorflow as tf

    batch = tf.shape(images)[0]
    knots = tf.random.uniform(
        [batch, _FIELD_KNOTS, _FIELD_KNOTS, 2], -max_pixels, max_pixels
    )
    field = tf.image.resize(knots, [28, 28], method="bicubic")
    grid = tf.range(28, dtype=tf.float32)
    out_x = tf.reshape(grid, [1, 1, 28])
    out_y = tf.reshape(grid, [1, 28, 1])

    def coefficient(i: int) -> Any:
        return tf.reshape(transforms[:, i], [-1, 1, 1])

    src_x = coefficient(0) * out_x + coefficient(1) * out_y + coefficient(2)
    src_y = coefficient(3) * out_x + coefficient(4) * out_y + coefficient(5)
    return _bilinear_sample(images, src_x + field[..., 0], src_y + field[..., 1])


def _bilinear_sample(images: Any, x: Any, y: Any) -> Any:
    """Bilinear lookup of (B, 28, 28, 1) images at float pixel coordinates (B, 28, 28).

    Samples outside the image read as blank paper (0), as the affine path fills.
    """
    import tensorflow as tf

    batch = tf.shape(images)[0]
    flat = tf.reshape(images, [-1])
    base = tf.reshape(tf.range(batch) * 784, [-1, 1, 1])
    x0 = tf.floor(x)
    y0 = tf.floor(y)
    fx = x - x0
    fy = y - y0

    def pixel(xi: Any, yi: Any) -> Any:
        inside = (xi >= 0) & (xi <= 27) & (yi >= 0) & (yi <= 27)
        xc = tf.cast(tf.clip_by_value(xi, 0, 27), tf.int32)
        yc = tf.cast(tf.clip_by_value(yi, 0, 27), tf.int32)
        values = tf.gather(flat, base + yc * 28 + xc)
        return tf.where(inside, values, 0.0)

    top = pixel(x0, y0) * (1 - fx) + pixel(x0 + 1, y0) * fx
    bottom = pixel(x0, y0 + 1) * (1 - fx) + pixel(x0 + 1, y0 + 1) * fx
    return tf.expand_dims(top * (1 - fy) + bottom * fy, -1)
