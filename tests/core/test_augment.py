"""Augmentation distorts digits the way writers differ, without destroying them."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from digitpad.core.augment import AugmentConfig, augment_batch

OFF = AugmentConfig(
    shift_pixels=0,
    rotation_degrees=0,
    scale=0,
    shear=0,
    thickness=0,
    styles=0,
    elastic_pixels=0,
)


@pytest.fixture(scope="module")
def digits(mnist_test_sample) -> np.ndarray:
    return mnist_test_sample[0][:64, ..., None]


def _correlation(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a.reshape(len(a), -1) - a.mean(axis=(1, 2, 3))[:, None]
    b = b.reshape(len(b), -1) - b.mean(axis=(1, 2, 3))[:, None]
    return (a * b).sum(1) / np.sqrt((a * a).sum(1) * (b * b).sum(1))


def test_all_strengths_off_leaves_the_digits_as_they_are(digits) -> None:
    out = np.asarray(augment_batch(digits, OFF))
    np.testing.assert_allclose(out, digits, atol=1e-5)


def test_elastic_distortion_bends_strokes_but_keeps_the_digit(digits) -> None:

    out = np.asarray(augment_batch(digits, replace(OFF, elastic_pixels=1.5)))
    assert out.shape == digits.shape
    assert out.min() >= 0.0 and out.max() <= 1.0
    changed = np.abs(out - digits).mean(axis=(1, 2, 3))
    assert (changed > 0.01).all()  # every digit is distorted
    assert np.median(_correlation(out, digits)) > 0.7  # and is still that digit
    ink_ratio = out.sum(axis=(1, 2, 3)) / digits.sum(axis=(1, 2, 3))
    assert np.all((ink_ratio > 0.75) & (ink_ratio < 1.25))  # no strokes lost


def test_elastic_path_without_displacement_matches_the_affine_path(digits) -> None:

    import tensorflow as tf

    tf.random.set_seed(7)
    affine = np.asarray(
        augment_batch(digits, replace(AugmentConfig(), elastic_pixels=0, thickness=0))
    )
    tf.random.set_seed(7)
    nearly = np.asarray(
        augment_batch(
            digits, replace(AugmentConfig(), elastic_pixels=1e-6, thickness=0)
        )
    )
    np.testing.assert_allclose(nearly, affine, atol=1e-4)
