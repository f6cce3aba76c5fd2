"""Write a number with real mouse events: the number, its boxes, one digit picked."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtTest import QTest

from digitpad.gui.activations.activation_panel import TABS, ActivationPanel
from digitpad.gui.canvas.digit_boxes import box_rect
from digitpad.gui.widgets.qimage_array import grey_to_qimage
from tests.support.digits import written_number

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def write(window, pen, text: str, gap: float = 0.25) -> None:
    canvas = window.canvas
    height = 0.28 * canvas.height()
    for stroke in written_number(
        text, 0.08 * canvas.width(), 0.25 * canvas.height(), height, gap
    ):
        pen.draw(canvas, stroke)
    pen.settle(window)


def click(widget, point) -> None:
    QTest.mouseClick(
        widget,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        QPoint(round(point.x()), round(point.y())),
    )


def assert_viewers_show(window, index: int) -> None:
    digit = window.state.result.digits[index]
    np.testing.assert_array_equal(window.preview.pixels.array, digit.preprocessed.image)
    np.testing.assert_allclose(window.prediction.bars.values(), digit.probabilities)
    count = len(window.state.result.digits)
    assert window.prediction.sentence.text().startswith(f"Digit {index + 1} of {count}")


def test_writing_2026_reads_the_number_and_boxes_each_digit(window, pen):
    write(window, pen, "2026")
    result = window.state.result
    assert result.reading.number == "2026"
    assert window.prediction.number.isVisible()
    assert window.prediction.number.number == "2026"
    assert not window.prediction.digit.isVisible()  # the number replaces the digit
    marks = window.canvas.digit_marks
    assert len(marks) == 4
    lefts = [mark.box[0] for mark in marks]
    assert lefts == sorted(lefts)
    for mark, digit in zip(marks, "2026", strict=True):
        assert mark.caption.startswith(digit)
    for a, b in itertools.pairwise(marks):
        assert a.box[2] < b.box[0] + 0.1 * (b.box[2] - b.box[0])  # side by side
    # the digit written last is the one shown in detail
    assert window.state.selected_digit == 3
    assert_viewers_show(window, 3)


def test_clicking_a_box_selects_its_digit_and_draws_nothing(window, pen, qtbot):
    write(window, pen, "2026")
    canvas = window.canvas
    strokes = len(window.state.drawing.strokes)
    with qtbot.waitSignal(window.state.selectedDigitChanged) as selected:
        click(canvas, box_rect(canvas.digit_marks[1]).center())
    assert selected.args == [1]
    assert_viewers_show(window, 1)
    assert window.prediction.number.selected == 1
    assert len(canvas.content.strokes) == strokes  # a click is not a dot here
    # a real stroke that starts inside a box still draws
    inside = box_rect(canvas.digit_marks[1]).center()
    pen.draw(canvas, pen.line(inside.x(), inside.y(), inside.x() + 4, inside.y() + 60))
    pen.settle(window)
    assert len(window.state.drawing.strokes) == strokes + 1


def test_clicking_a_digit_of_the_number_selects_it(window, pen, qtbot):
    write(window, pen, "2026")
    number = window.prediction.number
    click(number, number.cell_rect(0).center())
    assert window.state.selected_digit == 0
    assert_viewers_show(window, 0)
    # the choice survives a re-read of the same digits (here: a model change)
    window.state.set_predictor(window.state.predictor)
    pen.settle(window)
    assert window.state.selected_digit == 0


def test_the_layer_viewer_and_saliency_read_the_selected_digit(window, pen, qtbot):
    write(window, pen, "2026")
    panel = ActivationPanel(window.state)
    qtbot.addWidget(panel)
    panel.resize(900, 900)
    panel.show()
    qtbot.waitExposed(panel)
    try:
        window.state.select_digit(1)
        zero = window.state.result.digits[1].preprocessed.image
        panel.refresh()
        assert panel.layers.input_view.image == grey_to_qimage(zero)
        panel.tabs.setCurrentIndex(TABS.index("saliency"))
        panel.refresh()
        assert panel.saliency.input_view.image == grey_to_qimage(zero)
    finally:
        panel.saliency.stop()


def test_boxes_can_be_hidden_and_the_choice_is_kept(window, pen):
    write(window, pen, "2026")
    toggle = window.actions_by_name["digit_boxes"]
    assert toggle.isCheckable() and toggle.isChecked()
    assert toggle in window.view_menu.actions()
    toggle.trigger()
    assert not window.canvas.boxes_visible
    assert QSettings().value("canvas/show_digit_boxes", type=bool) is False
    # without boxes a click inside one is a dot, as anywhere else
    strokes = len(window.state.drawing.strokes)
    click(window.canvas, box_rect(window.canvas.digit_marks[1]).center())
    pen.settle(window)
    assert len(window.state.drawing.strokes) == strokes + 1


def test_one_digit_looks_as_it_always_did(window, pen):
    write(window, pen, "6")
    result = window.state.result
    assert window.prediction.digit.isVisible()
    assert window.prediction.digit.text() == "6"
    assert not window.prediction.number.isVisible()
    assert window.canvas.digit_marks == ()
    assert result.selected is None
    assert "sure it is a 6" in window.prediction.sentence.text()
    assert not window.prediction.sentence.text().startswith("Digit")


def test_erasing_a_gap_in_a_stem_keeps_the_digit_whole(window, pen, qtbot):
    """1999, then a small gap erased across the last 9's stem: the loop and the cut-off
    end of the stem are still that 9, not a loop joined to the 9 before it. Written
    closely, so the loop alone is no further from that 9 than digits often are."""
    canvas = window.canvas
    gap = 0.05
    write(window, pen, "1999", gap)
    assert window.state.result.reading.number == "1999"
    strokes = len(canvas.content.strokes)

    height = 0.28 * canvas.height()  # as ``write`` places the digits
    last = 0.08 * canvas.width() + 3 * (0.75 + gap) * height  # the last 9's left
    y = 0.25 * canvas.height() + 0.7 * height
    stem = last + (0.58 - 0.03 * (0.7 - 0.28) / 0.72) * height
    eraser = window.tools.widgetForAction(window.actions_by_name["eraser"])
    qtbot.mouseClick(eraser, Qt.MouseButton.LeftButton)
    pen.draw(canvas, pen.line(stem - 15, y, stem + 15, y, n=10))
    pen.settle(window)

    assert len(canvas.content.strokes) == strokes + 1  # the stem is cut in two
    assert window.state.result.reading.number == "1999"
    marks = canvas.digit_marks
    assert len(marks) == 4
    assert marks[3].box[3] > y + 0.2 * height  # the stem's end is in the last box
    assert marks[2].box[2] < last  # the third 9 took nothing of the fourth
