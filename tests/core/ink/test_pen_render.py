"""Strokes are rasterised as a round pen draws them: the pixels near the path."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from digitpad.core.ink.pen_path import pen_paths
from digitpad.core.ink.pen_render import render_paths

RADIUS = 9.6


def render_strokes(size, strokes, radius):
    """Strokes in pixel coordinates, drawn as the app draws a drawing's pen paths."""
    return render_paths(size, pen_paths(strokes), radius)


def _round_pen(size: tuple[int, int], path: np.ndarray, radius: float) -> np.ndarray:
    """Reference: a pixel is ink when its centre is within ``radius`` of the path."""
    ys, xs = np.mgrid[0 : size[1], 0 : size[0]]
    pixels = np.stack([xs.ravel(), ys.ravel()], axis=1).astype(np.float64)
    nearest = np.full(len(pixels), np.inf)
    ends = list(itertools.pairwise(path)) or [(path[0], path[0])]
    for a, b in ends:
        step = b - a
        t = np.zeros(len(pixels))
        if step @ step > 0:
            t = np.clip((pixels - a) @ step / (step @ step), 0.0, 1.0)
        distance = np.linalg.norm(pixels - (a + t[:, None] * step), axis=1)
        nearest = np.minimum(nearest, distance)
    return (nearest <= radius).reshape(size[1], size[0])


@pytest.mark.parametrize(
    "points",
    [
        [(20.3, 20.7), (80.2, 20.7)],  # a bar
        [(20.0, 20.0), (50.5, 90.0), (80.0, 20.0)],  # a sharp V: a round joint
        [(30.0, 80.0), (60.0, 20.0), (35.0, 50.0), (85.0, 55.0)],  # a 4, doubling back
        [(50.0, 50.0)],  # a dot
    ],
)
def test_ink_is_where_a_round_pen_would_leave_it(points: list) -> None:
    path = np.asarray(points, dtype=np.float64)
    ink = render_strokes((110, 110), [path], RADIUS) > 0
    expected = _round_pen((110, 110), path, RADIUS)
    disagree = ink != expected
    # only the one-pixel rim differs (Pillow's own rounding); never a gap or a blob
    assert disagree.sum() <= 0.12 * expected.sum()
    rim = expected ^ _round_pen((110, 110), path, RADIUS - 1.5)
    rim |= _round_pen((110, 110), path, RADIUS + 1.5) ^ expected
    assert not (disagree & ~rim).any()


def test_a_sharp_turn_leaves_no_notch_and_repeated_points_change_nothing() -> None:
    v_shape = np.array([(20.0, 20.0), (50.0, 90.0), (80.0, 20.0)])
    ink = render_strokes((110, 110), [v_shape], RADIUS)
    # just below the tip, on the outside of the turn, within the pen's reach
    assert ink[97, 50] == 255
    repeated = np.array([(20, 20), (20, 20), (50, 90), (50, 90), (80, 20)], float)
    assert np.array_equal(render_strokes((110, 110), [repeated], RADIUS), ink)


def test_strokes_worked_out_together_turn_exactly_where_each_alone_does() -> None:
    """The turns of a whole drawing come from one pass; a stroke's end and the next
    stroke's start are never a turn, and empty strokes are skipped."""
    v_shape = np.array([(20.0, 20.0), (50.0, 90.0), (80.0, 20.0)])
    bar = np.array([(10.0, 60.0), (10.0, 60.0), (90.0, 60.0), (90.0, 95.0)])
    dot = np.array([(40.0, 40.0)])
    together = pen_paths([v_shape, np.zeros((0, 2)), bar, dot])
    alone = [pen_paths([stroke])[0] for stroke in (v_shape, bar, dot)]
    assert len(together) == 3
    for joint, single in zip(together, alone, strict=True):
        assert np.array_equal(joint.points, single.points)
        assert np.array_equal(joint.turns, single.turns)
    assert together[0].turns.tolist() == [False, True, False]
    assert together[1].points.tolist() == [[10, 60], [90, 60], [90, 95]]
    assert together[1].turns.tolist() == [False, True, False]
