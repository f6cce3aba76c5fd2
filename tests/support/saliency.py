"""Shared by the core and GUI saliency tests: where 'on the strokes' is."""

from __future__ import annotations

import numpy as np


def near_ink(image: np.ndarray) -> np.ndarray:
    """Pixels within 2 px of a stroke (a 5x5 max filter of the ink mask)."""
    ink = np.pad(image > 0.3, 2)
    near = np.zeros((28, 28), bool)
    for dy in range(5):
        for dx in range(5):
            near |= ink[dy : dy + 28, dx : dx + 28]
    return near
