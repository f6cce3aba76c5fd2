"""Draw with real mouse events and read the answer, as a student would."""

from __future__ import annotations

import numpy as np
import pytest

from digitpad.core.ink.drawing import Drawing
from digitpad.core.preprocess.mnist_input import preprocess_drawing

# the offscreen platform cannot resize real windows and says so; not our concern
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.mark.parametrize(
    ("x", "y", "height"),
    [(0.5, 0.5, 0.6), (0.2, 0.25, 0.2), (0.8, 0.7, 0.35)],
    ids=["big-centre", "small-top-left", "medium-bottom-right"],
)
def test_a_vertical_line_reads_as_one_anywhere_at_any_size(window, pen, x, y, height):
    canvas = window.canvas
    w, h = canvas.width(), canvas.height()
    top, bottom = (y - height / 2) * h, (y + height / 2) * h
    pen.draw(canvas, pen.line(x * w, top, x * w + 0.02 * w, bottom))
    assert pen.settle(window) == "1"
    assert "sure it is a 1" in window.prediction.sentence.text()


@pytest.mark.parametrize(
    ("x", "y", "radius"),
    [(0.5, 0.5, 0.3), (0.25, 0.3, 0.1), (0.7, 0.75, 0.15)],
    ids=["big-centre", "small-top-left", "medium-bottom-right"],
)
def test_an_ellipse_reads_as_zero_anywhere_at_any_size(window, pen, x, y, radius):
    canvas = window.canvas
    side = min(canvas.width(), canvas.height())
    cx, cy = x * canvas.width(), y * canvas.height()
    pen.draw(canvas, pen.ellipse(cx, cy, 0.7 * radius * side, radius * side))
    assert pen.settle(window) == "0"


def test_clear_shows_no_digit_and_empties_the_preview(window, pen, qtbot):
    canvas = window.canvas
    pen.draw(canvas, pen.line(300, 100, 305, 400))
    assert pen.settle(window) == "1"
    window.actions_by_name["clear"].trigger()
    pen.settle(window)
    assert window.prediction.digit.text() == "–"
    assert "No digit" in window.prediction.sentence.text()
    assert window.prediction.bars.values() is None
    assert window.preview.pixels.array is None
    assert window.state.drawing.is_empty


def test_prediction_follows_the_pen_before_release(window, pen, qtbot):
    """The answer updates while the stroke is still being drawn."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    canvas = window.canvas
    points = pen.line(400, 120, 405, 420)
    QTest.mousePress(
        canvas,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        QPoint(400, 120),
    )
    for x, y in points[1:]:
        QTest.mouseMove(canvas, QPoint(round(x), round(y)))
    qtbot.waitUntil(
        lambda: (
            window.state.result is not None
            and window.state.result.prediction is not None
        ),
        timeout=5000,
    )
    assert window.state.drawing.strokes  # the drawing is published mid-stroke
    QTest.mouseRelease(
        canvas,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        QPoint(405, 420),
    )
    assert pen.settle(window) == "1"


def test_preview_shows_exactly_the_preprocessed_network_input(window, pen):
    canvas = window.canvas
    pen.draw(canvas, pen.ellipse(200, 200, 60, 90))
    pen.settle(window)
    expected = preprocess_drawing(canvas.drawing()).image
    shown = window.preview.pixels.array
    assert shown.shape == (28, 28)
    np.testing.assert_allclose(shown, expected, atol=1e-6)
    for stage in ("cropped", "scaled", "centred"):
        assert window.preview.stage_views[stage].array is not None


def test_stale_results_are_dropped(window, qtbot):
    """Many quick requests: only the newest one's result is ever published last."""
    live, published = window.live, []
    live.resultPublished.connect(lambda result: published.append(result.token))
    drawings = [
        Drawing(400, 400, (((200.0, 50.0), (200.0, 50.0 + 10 * i)),), 16)
        for i in range(1, 30)
    ]
    tokens = [live.schedule(d) for d in drawings]
    qtbot.waitUntil(lambda: bool(published) and published[-1] == tokens[-1])
    assert published == sorted(published)
    assert len(published) < len(tokens)  # coalesced, not one prediction per request
    assert window.state.result.token == tokens[-1]


def test_changing_the_model_repredicts_the_canvas(window, pen, predictor, qtbot):
    pen.draw(window.canvas, pen.line(300, 100, 305, 400))
    pen.settle(window)
    before = window.live.token
    with qtbot.waitSignal(window.state.resultChanged, timeout=5000):
        window.state.set_predictor(predictor)
    assert window.live.token > before


def test_a_model_that_crashes_does_not_stop_live_prediction(window, pen, predictor):
    """Any exception from a broken model is reported; the next model works again."""

    class Broken:
        def __getattr__(self, name):
            return getattr(predictor, name)

        def predict(self, image):
            raise KeyError("bogus")

    messages = []
    window.state.statusMessage.connect(messages.append)
    window.state.set_predictor(Broken())
    pen.draw(window.canvas, pen.line(300, 100, 305, 400))
    pen.qtbot.waitUntil(lambda: any("Prediction failed" in m for m in messages))
    assert window.state.result.prediction is None  # no stale answer left on screen
    window.state.set_predictor(predictor)
    pen.draw(window.canvas, pen.line(320, 100, 325, 400))
    assert pen.settle(window) == "1"


def test_clear_answers_at_once_while_a_reading_is_still_in_flight(
    window, pen, qtbot, monkeypatch
):
    """A reading that takes long (1,600 dots took minutes) held every later
    request back, Clear's included: the old answer stayed on screen."""
    import threading

    from digitpad.gui.prediction import live_prediction

    release, entered = threading.Event(), threading.Event()
    real = live_prediction.read_drawing

    def slow_read(drawing, *args, **kwargs):
        if not drawing.is_empty:
            entered.set()
            release.wait(30)
        return real(drawing, *args, **kwargs)

    monkeypatch.setattr(live_prediction, "read_drawing", slow_read)
    try:
        pen.draw(window.canvas, pen.line(300, 100, 305, 400))
        qtbot.waitUntil(entered.is_set, timeout=5000)  # the reading is under way
        window.actions_by_name["clear"].trigger()
        token = window.live.token
        qtbot.waitUntil(
            lambda: (
                window.state.result is not None and window.state.result.token == token
            ),
            timeout=5000,
        )
        assert window.state.result.prediction is None
        assert "No digit" in window.prediction.sentence.text()
    finally:
        release.set()
    pen.settle(window)
    assert window.state.result.token == token  # the stale reading was dropped


def test_digit_after_digit_the_live_reader_keeps_no_canvas_images(window, pen):
    """Each drawing's canvas-sized stages were cached (~4 MB a drawing, for good);
    now the cache holds 28x28 inputs only and the preview still shows the crop."""
    canvas = window.canvas
    w, h = canvas.width(), canvas.height()
    for i in range(12):
        x = w * (0.3 + 0.03 * i)
        if i % 2:
            pen.draw(canvas, pen.line(x, h * 0.2, x + 4, h * 0.7))
        else:
            pen.draw(canvas, pen.ellipse(x, h * 0.45, w * 0.12, h * 0.2))
        pen.settle(window)
        crop = window.preview.stage_views["cropped"].array
        assert crop is not None and 0 < crop.size < w * h
        canvas.clear()
        pen.settle(window)
    cache = window.live._cache
    assert len(cache) >= 12  # every drawing went through it
    assert cache.nbytes < w * h * 4  # less than one canvas-sized float32 image
