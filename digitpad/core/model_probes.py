"""Probing a loaded model before anyone sees its answers.

A model that returns probabilities for a blank image may still return NaN as soon as
there is ink, or fail to run on it. So every model is tried, at load, on what users
give it: a blank image, a drawn digit and a full square; each answer must be ten
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
    """A blank image, a drawn digit (a 7) and a full-ink square: what users give."""
    from digitpad.core.drawing import Drawing
    from digitpad.core.preprocess import preprocess_drawing

    seven = Drawing(200, 200, (((40.0, 40.0), (160.0, 40.0), (80.0, 170.0)),))
    digit = preprocess_drawing(seven).image
    assert digit is not None
    blank = np.zeros((28, 28), np.float32)
    return blank, digit, np.ones((28, 28), np.float32)


def is_distribution(probabilities: np.ndarray) -> bool:
    """Ten finite, non-negative numbers that sum to one."""
    p = np.asarray(probabilities)
    return bool(
        p.shape == (10,)
        and np.all(np.isfinite(p))
        and p.min() >= -1e-6
        and abs(float(p.sum()) - 1.0) <= 1e-3
    )


def check_outputs(predict: Any, where: Any) -> None:
    """Probe ``predict`` (image -> ``Prediction``) with blank, ink and full images.

    A model must give 10 probabilities and finite activations for all three; one
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
