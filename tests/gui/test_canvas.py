"""The canvas: strokes from real mouse events, undo/redo, eraser, width, files."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QImage, QKeySequence, QPointingDevice, QTabletEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QSlider

from digitpad.gui.canvas import canvas_files
from digitpad.gui.canvas.drawing_canvas import ERASER, PEN, DrawingCanvas
from digitpad.gui.widgets.qimage_array import qimage_to_grey

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def canvas(qtbot):
    widget = DrawingCanvas()
    qtbot.addWidget(widget)
    widget.resize(400, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def ink_at(widget: DrawingCanvas, x: int, y: int) -> float:
    """How dark the canvas looks at (x, y): 0 = paper, 1 = ink."""
    return 1.0 - float(qimage_to_grey(widget.picture())[y, x])


def test_a_stroke_becomes_drawing_points_in_canvas_pixels(canvas, pen, qtbot):
    pen.draw(canvas, pen.line(100, 50, 100, 350))
    qtbot.waitUntil(lambda: ink_at(canvas, 100, 200) > 0.8)
    drawing = canvas.drawing()
    assert (drawing.width, drawing.height) == (400, 400)
    (stroke,) = drawing.strokes
    assert stroke[0] == (100, 50) and stroke[-1] == (100, 350)
    assert drawing.pen_width == canvas.pen_width
    assert ink_at(canvas, 100, 200) > 0.8
    assert ink_at(canvas, 300, 200) < 0.05


def test_a_click_is_a_dot(canvas, pen):
    pen.draw(canvas, [(200, 200)])
    assert canvas.drawing().strokes == (((200.0, 200.0),),)
    assert ink_at(canvas, 200, 200) > 0.8


def test_undo_and_redo_restore_strokes(canvas, pen):
    pen.draw(canvas, pen.line(50, 50, 50, 300))
    pen.draw(canvas, pen.line(150, 50, 150, 300))
    two = canvas.drawing().strokes
    canvas.undo()
    assert canvas.drawing().strokes == two[:1]
    assert ink_at(canvas, 150, 150) < 0.05
    canvas.redo()
    assert canvas.drawing().strokes == two
    canvas.clear()
    assert canvas.drawing().is_empty
    canvas.undo()
    assert canvas.drawing().strokes == two
    assert canvas.can_redo  # the clear can be redone
    canvas.undo()
    canvas.undo()
    assert not canvas.can_undo and canvas.drawing().is_empty


def test_shrinking_the_canvas_scales_the_ink_so_none_is_hidden(canvas, pen, qtbot):
    from digitpad.core.preprocess.mnist_input import preprocess_drawing

    pen.draw(canvas, pen.line(300, 60, 380, 340))  # near the right edge
    pen.draw(canvas, pen.line(260, 60, 300, 60))
    drawn = canvas.drawing().strokes
    before = preprocess_drawing(canvas.drawing()).image
    assert ink_at(canvas, 204, 200) < 0.05
    canvas.resize(240, 400)  # a dock takes 40% of the width
    qtbot.waitUntil(lambda: canvas.width() == 240)
    points = [p for s in canvas.drawing().strokes for p in s]
    assert all(0 <= x <= 240 and 0 <= y <= 400 for x, y in points)
    assert ink_at(canvas, 204, 200) > 0.5  # scaled by 0.6 about the top-left...
    assert ink_at(canvas, 204, 200 - 80) < 0.05  # ...and centred vertically
    after = preprocess_drawing(canvas.drawing()).image
    assert np.abs(after - before).mean() < 0.01  # the network sees the same digit
    canvas.undo()  # undo works in the new coordinates too
    (stroke,) = canvas.drawing().strokes
    assert all(0 <= x <= 240 for x, _ in stroke)
    canvas.redo()
    canvas.resize(400, 400)  # the dock closes: every stroke is back where it was
    qtbot.waitUntil(lambda: canvas.width() == 400)
    assert np.allclose(canvas.drawing().strokes[1], drawn[1])


def test_ink_drawn_beyond_the_first_size_stays_in_view_when_squeezed(
    canvas, pen, qtbot
):
    canvas.resize(800, 400)  # wider than the page it started with (400 x 400)
    qtbot.waitUntil(lambda: canvas.width() == 800)
    pen.draw(canvas, pen.line(30, 100, 30, 300))  # left of where the page shows
    pen.draw(canvas, pen.line(770, 100, 770, 300))  # and right of it
    canvas.resize(500, 400)
    qtbot.waitUntil(lambda: canvas.width() == 500)
    xs = [x for stroke in canvas.drawing().strokes for x, _ in stroke]
    assert min(xs) > 0 and max(xs) < 500
    assert ink_at(canvas, round(min(xs)), 200) > 0.5
    assert ink_at(canvas, round(max(xs)), 200) > 0.5


def test_eraser_removes_exactly_the_ink_it_crosses(canvas, pen):
    pen.draw(canvas, pen.line(50, 200, 350, 200))
    canvas.set_tool(ERASER)
    canvas.set_pen_width(20)
    pen.draw(canvas, pen.line(200, 120, 200, 280))
    strokes = canvas.drawing().strokes
    assert len(strokes) == 2  # cut in two
    assert ink_at(canvas, 200, 200) < 0.05
    assert ink_at(canvas, 100, 200) > 0.8 and ink_at(canvas, 300, 200) > 0.8
    # no remaining point's ink reaches into the eraser's path
    xs = [x for stroke in strokes for x, _ in stroke]
    half = canvas.drawing().pen_width / 2
    assert all(abs(x - 200) >= 10 + half - 1.01 for x in xs)
    canvas.undo()  # one eraser drag is one undo step
    assert len(canvas.drawing().strokes) == 1
    canvas.set_tool(PEN)


def test_eraser_missing_everything_changes_nothing(canvas, pen):
    pen.draw(canvas, pen.line(50, 50, 50, 300))
    canvas.set_tool(ERASER)
    before = canvas.can_redo, canvas.drawing().strokes
    pen.draw(canvas, pen.line(300, 50, 300, 300))
    assert canvas.drawing().strokes == before[1]


def test_width_slider_sets_pen_width(window, pen):
    slider = next(
        s for s in window.findChildren(QSlider) if s.accessibleName() == "Pen width"
    )
    slider.setValue(30)
    assert window.canvas.pen_width == 30
    pen.draw(window.canvas, pen.line(100, 100, 100, 300))
    assert window.canvas.drawing().pen_width == 30


def test_tablet_pressure_changes_width(canvas, qtbot):
    device = QPointingDevice.primaryPointingDevice()

    def send(kind, x, y, pressure):
        event = QTabletEvent(
            kind,
            device,
            QPointF(x, y),
            QPointF(x, y),
            pressure,
            0,
            0,
            0,
            0,
            0,
            Qt.KeyboardModifier.NoModifier,
            Qt.MouseButton.LeftButton,
            Qt.MouseButton.LeftButton,
        )
        QApplication.sendEvent(canvas, event)

    send(QTabletEvent.Type.TabletPress, 100, 100, 0.1)
    send(QTabletEvent.Type.TabletMove, 150, 150, 0.5)
    send(QTabletEvent.Type.TabletRelease, 200, 200, 1.0)
    (stroke,) = canvas.content.strokes
    widths = [w for _, _, w in stroke.points]
    assert widths == sorted(widths) and widths[0] < widths[-1]


def test_save_json_and_open_it_again(canvas, pen, tmp_path):
    pen.draw(canvas, pen.line(100, 50, 120, 350))
    path = tmp_path / "one.json"
    canvas_files.save_canvas(path, canvas)
    data = json.loads(path.read_text())
    assert data["width"] == 400 and len(data["strokes"]) == 1
    saved = canvas.drawing().strokes
    canvas.clear()
    assert "Opened one.json" in canvas_files.open_onto_canvas(path, canvas)
    assert np.allclose(canvas.drawing().strokes[0], saved[0])


def test_save_png_is_what_the_user_sees(canvas, pen, tmp_path):
    pen.draw(canvas, pen.line(100, 50, 100, 350))
    path = tmp_path / "digit.png"
    canvas_files.save_canvas(path, canvas)
    image = np.asarray(Image.open(path).convert("L"))
    assert image.shape == (400, 400)
    assert image[200, 100] < 80 and image[200, 300] > 230
    assert not list(tmp_path.glob("*.tmp"))  # written atomically, no leftovers


def test_open_a_bad_file_raises_a_one_line_error(canvas, tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text("{not json")
    with pytest.raises(Exception, match="not valid JSON") as error:
        canvas_files.open_onto_canvas(bad, canvas)
    assert "\n" not in str(error.value)


def test_image_then_strokes_are_composited_and_undo_brings_image_back(
    canvas, pen, mnist_test_sample
):
    images, _ = mnist_test_sample
    assert canvas.show_image(images[0])
    assert canvas.content.image is not None
    assert ink_at(canvas, 200, 200) >= 0.0
    pen.draw(canvas, pen.line(20, 20, 60, 20))
    content = canvas.content
    assert content.image is not None and len(content.strokes) == 1
    source = canvas.prediction_source()
    assert isinstance(source, np.ndarray) and source.shape == (400, 400)
    assert source[20, 40] > 0.8  # the stroke is part of what is predicted
    canvas.undo()
    assert canvas.content.image is not None and not canvas.content.strokes
    canvas.clear()
    assert canvas.content.is_empty


def test_blank_image_is_refused(canvas):
    assert not canvas.show_image(np.zeros((28, 28), np.float32))
    assert canvas.content.is_empty


def test_paste_image_from_clipboard(window, mnist_test_sample, qtbot, pen):
    images, labels = mnist_test_sample
    grey = (images[1] * 255).astype(np.uint8)
    image = QImage(grey.data, 28, 28, 28, QImage.Format.Format_Grayscale8).copy()
    QApplication.clipboard().setImage(image)
    window.actions_by_name["paste"].trigger()
    assert window.canvas.content.image is not None
    assert pen.settle(window) == str(labels[1])


def test_shortcuts(window, pen, qtbot):
    canvas = window.canvas
    pen.draw(canvas, pen.line(100, 100, 100, 300))
    canvas.setFocus()
    QTest.keySequence(window, QKeySequence("Ctrl+Z"))
    assert canvas.drawing().is_empty
    QTest.keySequence(window, QKeySequence("Ctrl+Shift+Z"))
    assert not canvas.drawing().is_empty
    QTest.keyClick(canvas, Qt.Key.Key_Escape)
    assert canvas.drawing().is_empty
    QTest.keyClick(canvas, Qt.Key.Key_E)
    assert canvas.tool == ERASER
    QTest.keyClick(canvas, Qt.Key.Key_P)
    assert canvas.tool == PEN


def test_file_menu_saves_and_opens_a_drawing_starting_in_the_last_folder(
    window, pen, tmp_path, monkeypatch, qtbot
):
    from PySide6.QtWidgets import QFileDialog

    asked: list[str] = []
    folder = tmp_path / "digits"
    folder.mkdir()

    def save_dialog(parent, title, start, name_filter):
        asked.append(start)
        return str(folder / "seven.json"), name_filter

    def open_dialog(parent, title, start, name_filter):
        asked.append(start)
        return str(folder / "seven.json"), name_filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", open_dialog)
    pen.draw(window.canvas, pen.line(120, 100, 320, 100))
    pen.draw(window.canvas, pen.line(320, 100, 200, 380))
    drawn = window.canvas.drawing().strokes
    window.actions_by_name["save"].trigger()
    assert (folder / "seven.json").is_file()
    window.canvas.clear()

    def shows(digit):
        result = window.state.result
        return (
            result is not None
            and (result.prediction and result.prediction.digit) == digit
        )

    qtbot.waitUntil(lambda: shows(None))  # cleared: "no digit"
    window.actions_by_name["open"].trigger()
    assert asked[1] == str(folder)  # the open dialog starts where the save went
    # read on a worker (a big list parses in a helper), then shown
    qtbot.waitUntil(lambda: len(window.canvas.drawing().strokes) == len(drawn))
    qtbot.waitUntil(lambda: shows(7))


def test_a_page_left_from_before_anything_was_drawn_does_not_shrink_the_drawing(
    canvas, pen, qtbot
):
    """The canvas's first size was narrow (a dock open at start-up); it widened
    before the user drew: squeezing and widening again puts every stroke back."""
    canvas.resize(240, 400)
    qtbot.waitUntil(lambda: canvas.width() == 240)
    canvas.resize(800, 400)
    qtbot.waitUntil(lambda: canvas.width() == 800)
    pen.draw(canvas, pen.line(30, 40, 60, 360))  # near the left edge only
    pen.draw(canvas, pen.line(30, 40, 400, 40))
    drawn = canvas.drawing().strokes
    canvas.resize(300, 400)
    qtbot.waitUntil(lambda: canvas.width() == 300)
    canvas.resize(800, 400)
    qtbot.waitUntil(lambda: canvas.width() == 800)
    for before, after in zip(drawn, canvas.drawing().strokes, strict=True):
        np.testing.assert_allclose(after, before, atol=0.5)


def test_ink_beyond_the_page_on_one_side_comes_back_where_it_was_drawn(
    canvas, pen, qtbot
):
    pen.draw(canvas, pen.line(200, 100, 200, 300))  # the page: 400 x 400
    canvas.resize(800, 400)  # the page shows in the middle, x 200-600
    qtbot.waitUntil(lambda: canvas.width() == 800)
    pen.draw(canvas, pen.line(40, 100, 40, 300))  # left of the page, not right
    drawn = canvas.drawing().strokes
    canvas.resize(500, 400)
    qtbot.waitUntil(lambda: canvas.width() == 500)
    assert all(0 < x < 500 for s in canvas.drawing().strokes for x, _ in s)
    canvas.resize(800, 400)
    qtbot.waitUntil(lambda: canvas.width() == 800)
    for before, after in zip(drawn, canvas.drawing().strokes, strict=True):
        np.testing.assert_allclose(after, before, atol=0.5)
