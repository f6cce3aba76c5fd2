"""Real people's pen strokes, replayed as mouse events at random sizes and places.

The drawings come from writers the model never saw in training (UNIPEN). Each one is
redrawn through the canvas with press/move/release events, so the whole chain a user
exercises (canvas -> strokes -> preprocessing -> LiteRT -> prediction panel) is tested.
"""

from __future__ import annotations

import numpy as np
import pytest

from digitpad.core.ink.drawing import load_drawings
from digitpad.core.preprocess.mnist_input import preprocess_drawing

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def placed_strokes(drawing, canvas_w: int, canvas_h: int, rng) -> list[list]:
    """The drawing's strokes scaled to 20-75% of the canvas height at a random spot."""
    points = np.concatenate([np.asarray(s) for s in drawing.strokes])
    low, high = points.min(axis=0), points.max(axis=0)
    size = max(float((high - low).max()), 1.0)
    scale = rng.uniform(0.2, 0.75) * canvas_h / size
    extent = (high - low) * scale
    origin = np.array(
        [
            rng.uniform(5, canvas_w - extent[0] - 5),
            rng.uniform(5, canvas_h - extent[1] - 5),
        ]
    )
    return [((np.asarray(s) - low) * scale + origin).tolist() for s in drawing.strokes]


def test_pen_written_digits_read_through_the_canvas(window, pen, dev_strokes_path):
    drawings, _ = load_drawings(dev_strokes_path)
    sample = drawings[7::150]  # 20 drawings by different writers, every digit
    rng = np.random.default_rng(42)
    canvas = window.canvas
    shown, labels = [], []
    for drawing in sample:
        window.actions_by_name["clear"].trigger()
        for stroke in placed_strokes(drawing, canvas.width(), canvas.height(), rng):
            pen.draw(canvas, stroke if len(stroke) > 1 else stroke * 2)
        digit = pen.settle(window)
        # the app shows exactly what the core reads from the canvas's own strokes
        expected = window.state.predictor.predict(
            preprocess_drawing(window.state.drawing).image
        ).digit
        assert digit == str(expected)
        shown.append(digit)
        labels.append(str(drawing.label))
    accuracy = np.mean(np.array(shown) == np.array(labels))
    assert accuracy >= 0.9, list(zip(labels, shown, strict=True))
