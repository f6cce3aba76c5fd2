"""Qt-free rules of the canvas content: eraser geometry, history, drawing files."""

from __future__ import annotations

import numpy as np

from digitpad.core.ink.canvas_content import (
    CanvasContent,
    InkStroke,
    PlacedImage,
    drawing_json,
    strokes_from_drawing,
)
from digitpad.core.ink.canvas_history import History
from digitpad.core.ink.drawing import parse_drawing
from digitpad.core.ink.eraser import erase


def stroke(*points, width=10.0):
    return InkStroke(tuple((x, y, width) for x, y in points))


def test_eraser_cuts_a_long_segment_between_its_two_points():
    content = CanvasContent((stroke((0, 0), (100, 0)),))
    after = erase(content, (50, -20), (50, 20), 5)
    left, right = after.strokes
    assert left.points[-1][0] <= 50 - 5 - 5 + 1
    assert right.points[0][0] >= 50 + 5 + 5 - 1


def test_eraser_far_away_returns_the_same_content():
    content = CanvasContent((stroke((0, 0), (100, 0)),))
    assert erase(content, (50, 40), (60, 40), 5) is content


def test_eraser_over_a_dot_removes_it():
    content = CanvasContent((stroke((10, 10)),))
    assert erase(content, (12, 12), (12, 12), 4).strokes == ()


def test_eraser_clears_image_ink_it_crosses():
    ink = np.ones((10, 10), np.float32)
    content = CanvasContent((), PlacedImage(ink, (0.0, 0.0, 100.0, 100.0)))
    after = erase(content, (50, 0), (50, 100), 5)
    assert after.image.ink[:, 5].max() == 0 and after.image.ink[:, 0].min() == 1
    assert content.image.ink.min() == 1  # the old state (for undo) is untouched


def test_history_forgets_redo_after_a_new_change():
    history = History()
    one = CanvasContent((stroke((0, 0)),))
    two = CanvasContent((stroke((0, 0)), stroke((5, 5))))
    history.push(one)
    history.push(two)
    assert history.undo() == one
    history.push(CanvasContent())
    assert not history.can_redo
    assert history.undo() == one


def test_pressure_widths_survive_a_json_round_trip():
    content = CanvasContent((InkStroke(((0, 0, 4.0), (10, 0, 12.0))),))
    data = drawing_json(content, 100, 100)
    assert data["point_widths"] == [[4.0, 12.0]]
    restored = strokes_from_drawing(parse_drawing(data))
    assert restored == content.strokes


def test_uniform_width_files_are_plain_core_drawings():
    content = CanvasContent((stroke((0, 0), (10, 0)),))
    data = drawing_json(content, 100, 100)
    assert set(data) == {"width", "height", "strokes", "pen_width"}


def test_a_gesture_shows_the_stroke_in_progress_and_skips_repeated_points():
    from digitpad.core.ink.gesture import Gesture

    committed = CanvasContent((InkStroke(((0.0, 0.0, 5.0),)),))
    gesture = Gesture()
    gesture.start_stroke(10, 10, 6)
    assert gesture.extend_stroke(10, 10, 6) is None  # the pen did not move
    assert gesture.extend_stroke(20, 15, 7) == ((10, 10, 6), (20, 15, 7))
    shown = gesture.content(committed)
    assert shown.strokes[0] is committed.strokes[0]
    assert shown.strokes[1].points == ((10, 10, 6), (20, 15, 7))
    gesture.cancel()
    assert not gesture.active and gesture.content(committed) is committed


def test_an_eraser_gesture_only_reports_a_change_when_ink_goes():
    from digitpad.core.ink.gesture import Gesture

    line = InkStroke(tuple((float(x), 50.0, 4.0) for x in range(0, 101, 10)))
    gesture = Gesture()
    gesture.start_erasing(CanvasContent((line,)), 50, 0)
    assert not gesture.erase_to(60, 0, 5)  # nowhere near the ink
    assert gesture.erase_to(60, 100, 5)  # straight down across the line
    pieces = gesture.content(CanvasContent()).strokes
    assert len(pieces) == 2
    assert all(abs(x - 60) > 5 for s in pieces for x, _, _ in s.points)


def test_pieces_the_eraser_cut_keep_their_stroke_through_undo_states_and_files():
    """The pieces of a cut stroke are marked as one stroke (number reading keeps them
    in one digit), also after a second cut and a save and reopen."""
    content = CanvasContent((stroke((0, 0), (0, 100)), stroke((50, 0), (50, 100))))
    assert content.drawing(200, 200).stroke_origins is None  # nothing cut: as before
    cut = erase(content, (-10, 30), (10, 30), 3.0)
    cut = erase(cut, (-10, 70), (10, 70), 3.0)
    assert len(cut.strokes) == 4
    assert cut.drawing(200, 200).stroke_origins == (0, 0, 0, 3)
    data = drawing_json(cut, 200, 200)
    restored = CanvasContent(strokes_from_drawing(parse_drawing(data)))
    assert restored.drawing(200, 200).stroke_origins == (0, 0, 0, 3)
    again = erase(restored, (40, 50), (60, 50), 3.0)
    assert again.drawing(200, 200).stroke_origins == (0, 0, 0, 3, 3)
