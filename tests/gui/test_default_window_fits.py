"""The default window (1180 x 800, Training and Layer activations open): nothing is
cut off, no panel scrolls sideways, the drawing comes back whole (issue 20).

The window is the app's own (``create_window`` with its panels); the digit is drawn
with real mouse events. tests/benchmarks/screens_1180.py takes the same screens as
pictures for a person to look at.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QDockWidget, QWidget

from tests.support.activations import QT_NOISE

pytestmark = pytest.mark.qt_log_ignore(QT_NOISE)
SIZE = (1180, 800)
BOTH = ["TrainingDock", "ActivationsDock"]


def _docks(window) -> dict[str, QDockWidget]:
    return {d.objectName(): d for d in window.findChildren(QDockWidget)}


def _open_window(qtbot, predictor, open_panels: list[str]):
    """The app's window at the default size, with ``open_panels`` left open last
    time (the saved layout), as the user starts it."""
    from digitpad.gui import create_window
    from digitpad.gui.app import ensure_application

    ensure_application()  # the names QSettings() files the layout under
    QSettings().setValue("window/open_panels", open_panels)
    window = create_window(load_model=False, panels=True)
    qtbot.addWidget(window)
    window.resize(*SIZE)
    window.show()
    qtbot.waitExposed(window)
    viewer = _docks(window)["ActivationsDock"].widget()
    with qtbot.waitSignal(viewer.modelShown, timeout=10_000):  # every card built
        window.state.set_predictor(predictor)
    return window


def _close(window) -> None:
    for panel in window._panels:
        for name in ("saliency",):
            view = getattr(panel, name, None)
            if view is not None:
                view.stop()
        shutdown = getattr(panel, "shutdown", None)
        if shutdown is not None:
            shutdown(5.0)


@pytest.fixture
def both_open(qtbot, predictor, pen):
    """Both panels open (the viewer in front) and a 2 drawn on the canvas."""
    window = _open_window(qtbot, predictor, BOTH)
    canvas = window.canvas
    w, h = canvas.width(), canvas.height()
    pen.draw(canvas, pen.ellipse(w / 2, h * 0.3, w * 0.3, h * 0.12)[:30])
    pen.draw(canvas, pen.line(w * 0.75, h * 0.35, w * 0.2, h * 0.75))
    pen.draw(canvas, pen.line(w * 0.2, h * 0.75, w * 0.8, h * 0.75))
    pen.settle(window)
    docks = _docks(window)
    docks["ActivationsDock"].raise_()
    viewer = docks["ActivationsDock"].widget()
    qtbot.waitUntil(viewer.isVisible)
    viewer.refresh()
    yield window
    _close(window)


def _inside(widget: QWidget, area: QWidget) -> bool:
    """``widget`` lies wholly within ``area`` (a scroll area's viewport, a dock)."""
    top_left = widget.mapTo(area, QPoint(0, 0))
    return (
        top_left.x() >= 0
        and top_left.y() >= 0
        and top_left.x() + widget.width() <= area.width()
        and top_left.y() + widget.height() <= area.height()
    )


def test_the_window_keeps_its_default_size_with_both_panels_open(both_open):
    assert tuple(both_open.size().toTuple()) == SIZE


def test_layer_activations_need_no_sideways_scroll_bar(both_open, qtbot):
    viewer = _docks(both_open)["ActivationsDock"].widget()
    viewer.refresh()
    scroll = viewer.layers.layers_scroll
    for (
        card
    ) in viewer.layers.cards:  # the wrapped titles, ranges and maps of every card
        scroll.ensureWidgetVisible(card)
        qtbot.waitUntil(lambda card=card: not card.stale)
        assert not scroll.horizontalScrollBar().isVisible(), card.name
        assert card.geometry().right() < scroll.viewport().width(), card.name
        if not card.softmax:  # its percentages are on its columns
            assert card.range_label.text(), card.name
            assert _inside(card.range_label, scroll.viewport()), card.name


def test_the_softmax_card_shows_all_ten_digits(both_open, qtbot):
    viewer = _docks(both_open)["ActivationsDock"].widget()
    softmax = next(card for card in viewer.layers.cards if card.softmax)
    viewer.layers.layers_scroll.ensureWidgetVisible(softmax)
    qtbot.waitUntil(lambda: not softmax.stale)
    qtbot.waitUntil(
        lambda: not viewer.layers._drawing.running
    )  # cards above drawn anew
    viewer.layers.layers_scroll.ensureWidgetVisible(softmax)  # (and so moved it)
    columns = softmax.view
    # the columns are laid out over the widget's width: all of it is in view
    assert _inside(columns, viewer.layers.layers_scroll.viewport())
    np.testing.assert_allclose(
        columns.probabilities, both_open.state.result.prediction.probabilities
    )


def test_conv1_says_what_its_colours_mean(both_open):
    viewer = _docks(both_open)["ActivationsDock"].widget()
    viewer.refresh()
    conv1 = viewer.layers.cards[0]
    assert not conv1.stale
    assert conv1.colour_key.isVisible()
    key = conv1.colour_key.text()
    assert "blue" in key and "orange" in key


def test_why_this_digit_shows_grad_cam_and_its_caption_whole_in_a_narrow_dock(
    both_open, qtbot
):
    dock = _docks(both_open)["ActivationsDock"]
    viewer = dock.widget()
    viewer.saliency.stop()  # the layout is the point here, not the helper
    # also with the dock dragged as narrow as it goes
    both_open.resizeDocks([dock], [dock.minimumSizeHint().width()], Qt.Horizontal)
    qtbot.waitUntil(lambda: dock.width() < 500)
    viewer.tabs.setCurrentIndex(2)
    saliency = viewer.saliency
    qtbot.waitUntil(saliency.gradcam_view.isVisible)
    viewport = viewer.tabs.currentWidget().viewport()
    box = saliency.gradcam_view.parentWidget()
    assert _inside(saliency.gradcam_view, viewport)
    assert _inside(box, viewport)  # with the caption under the image
    assert not viewer.tabs.currentWidget().horizontalScrollBar().isVisible()


def test_the_confusion_matrix_shows_rows_0_to_9(both_open, qtbot):
    docks = _docks(both_open)
    docks["TrainingDock"].raise_()
    panel = docks["TrainingDock"].widget()
    rng = np.random.default_rng(0)
    confusion = rng.integers(0, 9, (10, 10)) + np.diag(rng.integers(80, 120, 10))
    panel.results.confusion.set_confusion(confusion)
    panel.tabs.setCurrentWidget(panel.results)
    table = panel.results.confusion
    qtbot.waitUntil(table.isVisible)
    dock = docks["TrainingDock"]
    assert _inside(table, dock)  # the panel fits its dock: nothing below is cut
    for row in range(10):
        top = table.rowViewportPosition(row)
        assert top >= 0 and top + table.rowHeight(row) <= table.viewport().height()
        assert table.item(row, row).text() == str(confusion[row, row])


def test_your_digits_says_what_will_appear_before_any_fine_tune(both_open, qtbot):
    docks = _docks(both_open)
    docks["TrainingDock"].raise_()
    panel = docks["TrainingDock"].widget()
    panel.tabs.setCurrentWidget(panel.finetune_results)
    view = panel.finetune_results
    qtbot.waitUntil(view.isVisible)
    assert view.empty_note.isVisible() and "fine-tune" in view.empty_note.text()
    assert not view.now_reads.isVisible() and not view.no_longer_reads.isVisible()


def test_the_drawing_grows_back_after_every_panel_closes(qtbot, predictor, pen):
    """Started with both panels open (so the canvas first had its narrow size),
    closed them, drew, opened and closed them again: every stroke is back where
    it was drawn, at its size."""
    window = _open_window(qtbot, predictor, BOTH)
    docks = _docks(window)
    toggles = [docks[name].toggleViewAction() for name in BOTH]
    for toggle in toggles:
        toggle.trigger()  # closed, as the tool bar's buttons do
    canvas = window.canvas
    qtbot.waitUntil(lambda: canvas.width() > 700)
    w, h = canvas.width(), canvas.height()
    pen.draw(canvas, pen.line(w * 0.08, h * 0.1, w * 0.3, h * 0.9))
    pen.draw(canvas, pen.line(w * 0.08, h * 0.1, w * 0.6, h * 0.12))
    drawn = canvas.drawing().strokes
    for toggle in toggles:
        toggle.trigger()
    qtbot.waitUntil(lambda: canvas.width() < w / 2)
    for toggle in toggles:
        toggle.trigger()
    qtbot.waitUntil(lambda: canvas.width() == w)
    assert canvas.size().toTuple() == (w, h)
    for before, after in zip(drawn, canvas.drawing().strokes, strict=True):
        np.testing.assert_allclose(after, before, atol=0.5)
    _close(window)
