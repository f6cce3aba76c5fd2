"""Probing a loaded model before anyone sees its answers.

A model that returns probabilities for a blank image may still return NaN as soon as
there is ink, or fail to run on it. So every model is tried, at load, on what users
give it: a blank image and a drawn digit; each answer must be ten
finite probabilities and every activation finite. ``is_distribution`` is also the
per-prediction check, so no non-finite number is ever shown or written.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from digitpad.core.errors import ModelFileError, one_line


@functools.cache
def probe_images() -> tuple[np.ndarray, ...]:
    """A blank image and a drawn digit (a 7, MNIST-sized): what users give a model.

    The digit is drawn with numpy (distance to its two strokes), so probing needs
    neither Pillow nor the preprocessing pipeline at start-up.
    """
    ys, xs = np.mgrid[0:28, 0:28].astype(np.float32)
    distance = np.full((28, 28), np.inf, np.float32)
    for (x0, y0), (x1, y1) in (((8, 7), (20, 7)), ((20, 7), (12, 22))):
        dx, dy = x1 - x0, y1 - y0
        t = np.clip(((xs - x0) * dx + (ys - y0) * dy) / (dx * dx + dy * dy), 0, 1)
        distance = np.minimum(distance, np.hypot(xs - x0 - t * dx, ys - y0 - t * dy))
    digit = np.clip(1.6 - distance, 0.0, 1.0).astype(np.float32)
    return np.zeros((28, 28), np.float32), digit


def is_distribution(probabilities: np.ndarray) -> bool:
    """Ten finite, non-negative numbers that sum to one (a few microseconds)."""
    p = np.asarray(probabilities)
    return p.shape == (10,) and rows_are_distributions(p[None])


def all_distributions(rows: list[np.ndarray]) -> bool:
    """``is_distribution`` for every row, checked together (a number's digits)."""
    if not rows:
        return True
    try:
        p = np.stack(rows)
    except ValueError:  # rows of different shapes
        return False
    return p.ndim == 2 and p.shape[1] == 10 and rows_are_distributions(p)


def rows_are_distributions(p: np.ndarray) -> bool:
    """Each row of ``p`` (N, 10) is finite, non-negative and sums to one."""
    with np.errstate(invalid="ignore", over="ignore"):
        totals = p.sum(axis=1)  # NaN or infinity anywhere makes a sum non-finite
    return bool(
        np.isfinite(totals).all()
        and (np.abs(totals - 1.0) <= 1e-3).all()
        and p.min() >= -1e-6
    )


def check_outputs(predict: Any, where: Any) -> None:
    """Probe ``predict`` (image -> ``Prediction``) with a blank image and with ink.

    A model must give 10 probabilities and finite activations for both; one
    that fails, returns NaN for ink, or has no softmax is refused here, at load,
    rather than showing "nan%" later.
    """
    for image in probe_images():
        try:
            prediction = predict(image)
        except ModelFileError as error:
            raise ModelFileError(where, error.reason) from None
        except Exception as error:  # a forward pass that fails: the model is broken
            raise ModelFileError(
                where, f"the model fails to run ({one_line(error)})"
            ) from None
        if not is_distribution(prediction.probabilities):
            raise ModelFileError(
                where,
                "its output is not 10 probabilities "
                "(no softmax, or NaN/infinite values)",
            )
        for name, values in prediction.activations.items():
            if not np.all(np.isfinite(values)):
                raise ModelFileError(
                    where, f"layer {name!r} gives NaN or infinite values"
                )
