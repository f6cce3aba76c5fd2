"""Augmentation distorts digits the way writers differ, without destroying them."""

from __future__ import annotations

import numpy as np
import pytest

from digitpad.core.training.augment import AugmentConfig, augment_batch

OFF = AugmentConfig(
    shift_pixels=0,
    rotation_degrees=0,
    scale=0,
    shear=0,
    thickness=0,
    styles=0,
)


@pytest.fixture(scope="module")
def digits(mnist_test_sample) -> np.ndarray:
    return mnist_test_sample[0][:64, ..., None]


def correlation(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a.reshape(len(a), -1) - a.mean(axis=(1, 2, 3))[:, None]
    b = b.reshape(len(b), -1) - b.mean(axis=(1, 2, 3))[:, None]
    return (a * b).sum(1) / np.sqrt((a * a).sum(1) * (b * b).sum(1))


def test_all_strengths_off_leaves_the_digits_as_they_are(digits) -> None:
    out = np.asarray(augment_batch(digits, OFF))
    np.testing.assert_allclose(out, digits, atol=1e-5)


def test_default_augmentation_changes_every_digit_but_keeps_it_recognisable(digits):
    import tensorflow as tf

    tf.random.set_seed(0)
    out = np.asarray(augment_batch(digits, AugmentConfig()))
    assert out.shape == digits.shape
    assert out.min() >= 0.0 and out.max() <= 1.0
    assert (np.abs(out - digits).mean(axis=(1, 2, 3)) > 0.01).all()
    assert np.median(correlation(out, digits)) > 0.3  # moved, still that shape
    ink_ratio = out.sum(axis=(1, 2, 3)) / digits.sum(axis=(1, 2, 3))
    assert np.all((ink_ratio > 0.3) & (ink_ratio < 4))  # thinner/thicker, not gone
