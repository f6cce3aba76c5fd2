"""Corrections: the right digit in one click (or Ctrl+digit), saved with Undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from digitpad.core.handwriting.samples import HandwritingStore

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints"
)


def labels(store: HandwritingStore) -> list[int]:
    return [sample.label for sample in store.load()[0]]


def click_row(window, digit: int) -> None:
    bars = window.prediction.bars
    centre = bars.row_rect(digit).center().toPoint()
    QTest.mouseClick(
        bars, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre
    )


def test_clicking_a_row_saves_the_drawing_with_that_label_and_undo_removes_it(
    window, pen, window_store, qtbot
):
    pen.draw(window.canvas, pen.line(300, 100, 305, 400))
    assert pen.settle(window) == "1"
    drawing = window.canvas.drawing()
    predictor = window.state.predictor

    click_row(window, 7)
    qtbot.waitUntil(lambda: labels(window_store) == [7], timeout=5000)
    qtbot.waitUntil(lambda: window.corrections.undo_button.isVisible(), timeout=5000)
    assert window.statusBar().currentMessage() == "Saved as a 7; 1 of your digits"
    saved = window_store.load()[0][0]
    assert saved.drawing.strokes == drawing.strokes  # the strokes, as drawn
    # a correction never changes the canvas or the model
    assert window.canvas.drawing() == drawing
    assert window.state.predictor is predictor
    assert window.prediction.digit.text() == "1"

    click_row(window, 4)
    qtbot.waitUntil(lambda: sorted(labels(window_store)) == [4, 7], timeout=5000)
    qtbot.waitUntil(
        lambda: window.statusBar().currentMessage().endswith("2 of your digits"),
        timeout=5000,
    )

    qtbot.mouseClick(window.corrections.undo_button, Qt.MouseButton.LeftButton)
    assert not window.corrections.undo_button.isVisible()
    qtbot.waitUntil(
        lambda: (
            window.statusBar().currentMessage() == "Removed that 4; 1 of your digits"
        ),
        timeout=5000,
    )
    assert labels(window_store) == [7]


def test_ctrl_digit_on_the_canvas_saves_a_correction(window, pen, window_store, qtbot):
    pen.draw(window.canvas, pen.ellipse(300, 250, 60, 100))
    pen.settle(window)
    window.canvas.setFocus()
    with qtbot.waitSignal(window.state.samplesChanged, timeout=5000):
        QTest.keyClick(window.canvas, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert labels(window_store) == [3]
    assert window.statusBar().currentMessage() == "Saved as a 3; 1 of your digits"


def test_nothing_is_saved_from_an_empty_canvas(window, window_store, qtbot):
    click_row(window, 5)
    assert "Draw a digit first" in window.statusBar().currentMessage()
    assert not window.corrections.busy
    assert labels(window_store) == []


def test_a_correction_over_an_opened_image_is_refused_clearly(
    window, pen, window_store, qtbot
):
    """Only the strokes drawn over the image were stored: a sample showing a
    digit the user never saw."""
    import numpy as np

    image = np.full((280, 280), 255, dtype=np.uint8)
    image[40:240, 120:150] = 0  # a 1
    assert window.canvas.show_image(image)
    pen.draw(window.canvas, pen.line(420, 380, 440, 380))  # a little mark beside it
    pen.settle(window)
    click_row(window, 1)
    qtbot.waitUntil(
        lambda: "opened image" in window.statusBar().currentMessage(), timeout=5000
    )
    assert not window.corrections.busy
    assert labels(window_store) == []
