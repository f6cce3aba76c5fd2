"""Model comparison driven as a user would: select two models in the Models tab,
press Compare models, read the window, click a digit they disagree on."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from digitpad.core import paths
from digitpad.core.handwriting.samples import HandwritingStore
from digitpad.gui.state import AppState
from digitpad.gui.training.training_panel import TrainingPanel
from tests.support.activations import live_result, seven, zero
from tests.support.compare import save_two_models

pytestmark = pytest.mark.slow


@pytest.fixture
def panel(qtbot, tmp_path, monkeypatch, shipped_predictor):
    monkeypatch.setattr(paths, "user_data_dir", lambda: tmp_path / "user")
    saved = save_two_models(paths.user_models_dir())
    state = AppState()
    state.set_predictor(shipped_predictor)
    widget = TrainingPanel(state)
    qtbot.addWidget(widget)
    widget.resize(900, 900)
    widget.show()
    widget.tabs.setCurrentWidget(widget.models)
    qtbot.waitUntil(lambda: len(widget.models.entries()) == 3, timeout=10_000)
    yield widget, saved
    for window in _comparison_windows():
        window.close()
    assert widget.shutdown(wait=30)


def _comparison_windows():
    return [
        w
        for w in QApplication.topLevelWidgets()
        if w.accessibleName() == "Model comparison" and w.isVisible()
    ]


def _click_row(qtbot, listing, row: int, modifier=Qt.NoModifier) -> None:
    rect = listing.visualItemRect(listing.item(row))
    qtbot.mouseClick(listing.viewport(), Qt.LeftButton, modifier, rect.center())


def _compare_button(panel) -> QPushButton:
    (button,) = [
        b
        for b in panel.findChildren(QPushButton)
        if b.accessibleName() == "Compare models"
    ]
    return button


def test_select_two_compare_and_click_a_digit_they_disagree_on(qtbot, panel):
    panel, saved = panel
    listing = panel.models.list
    button = _compare_button(panel)
    _click_row(qtbot, listing, 1)
    assert not button.isEnabled()  # one model is no comparison
    _click_row(qtbot, listing, 2, Qt.ControlModifier)
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.LeftButton)

    qtbot.waitUntil(lambda: len(_comparison_windows()) == 1, timeout=5000)
    (window,) = _comparison_windows()
    assert not window.isModal()
    qtbot.waitUntil(lambda: len(window.results) == 2, timeout=60_000)
    # rows 1 and 2 of the list: the newer model (saved second) first
    order = [saved[1], saved[0]]
    for index, (path, result) in enumerate(order):
        scored = window.results[index].scored
        assert scored.facts.path == path
        assert window.table.text("test", index) == f"{scored.accuracy:.2%}"
        assert window.table.text("batch_size", index) == str(result.config.batch_size)
    qtbot.waitUntil(lambda: window.curves.curve_count(1) == 4, timeout=5000)
    assert window.curves.curve_count(0) == 4  # loss, val loss, accuracy, val acc

    first, second = (window.results[i].scored for i in (0, 1))
    differ = np.flatnonzero(first.predictions != second.predictions)
    assert len(differ) > 0
    qtbot.waitUntil(
        lambda: window.gallery.count() == min(len(differ), 200), timeout=10_000
    )
    expected = np.diag(second.evaluation.confusion - first.evaluation.confusion)
    np.testing.assert_array_equal(np.diag(window.confusion.difference), expected)

    gallery = window.gallery
    item = gallery.item(0)
    with qtbot.waitSignal(panel.state.imageRequested, timeout=5000) as shown:
        rect = gallery.visualItemRect(item)
        qtbot.mouseClick(gallery.viewport(), Qt.LeftButton, pos=rect.center())
    index = int(differ[0])
    test_images = window._test.images
    np.testing.assert_allclose(shown.args[0], test_images[index] / 255.0)
    qtbot.waitUntil(lambda: "B reads" in window.answers.text(), timeout=5000)
    answers = window.answers.text()
    assert f"A reads {first.predictions[index]}" in answers
    assert f"B reads {second.predictions[index]}" in answers

    # what is on the canvas is read by both models, live
    panel.state.set_result(live_result(panel.state.predictor, seven()))
    qtbot.waitUntil(lambda: "On the canvas:" in window.answers.text(), timeout=5000)
    assert "A reads" in window.answers.text().split("On the canvas:")[1]
    assert "B reads" in window.answers.text().split("On the canvas:")[1]


def test_a_model_without_history_shows_what_it_has_and_what_it_lacks(qtbot, panel):
    import json

    from digitpad.core.models.metadata import sidecar

    panel, saved = panel
    meta_path = sidecar(saved[0][0], "metadata")
    meta = json.loads(meta_path.read_text())
    meta["training"] = {}
    meta_path.write_text(json.dumps(meta))
    with qtbot.waitSignal(panel.models.refreshed):
        panel.models.refresh()
    store = HandwritingStore(saved[0][0].parent.parent / "my-handwriting")
    for drawing, label in ((seven(), 7), (seven(30.0), 7), (zero(), 0)):
        store.add(drawing, label)
    panel.state.set_handwriting(store)
    _click_row(qtbot, panel.models.list, 1)
    _click_row(qtbot, panel.models.list, 2, Qt.ControlModifier)
    window = panel.compare_models(panel.models.selected_entries())
    qtbot.waitUntil(lambda: len(window.results) == 2, timeout=60_000)
    bare = 1  # saved[0] is the older one: second in the list
    assert "no per-epoch history" in window.table.text("lacks", bare)
    assert window.table.text("epochs", bare) == "n/a"
    assert window.table.text("params", bare) == f"{meta['parameters']:,}"
    assert window.table.text("test", bare).endswith("%")  # scored all the same
    qtbot.waitUntil(lambda: window.curves.curve_count(0) == 4, timeout=5000)
    assert window.curves.curve_count(bare) == 0
    assert "B has no per-epoch history" in window.curves.note.text()
    # neither model trained on the drawings: each reads all three now
    for index in (0, 1):
        assert window.table.text("handwriting", index).endswith("of 3 (read now)")


def test_models_in_view_are_scored_ahead_so_compare_reads_remembered_answers(
    qtbot, panel
):
    panel, _saved = panel  # the fixture put the Models tab in view
    qtbot.waitUntil(lambda: not panel._score_ahead.busy, timeout=60_000)
    _click_row(qtbot, panel.models.list, 0)
    _click_row(qtbot, panel.models.list, 1, Qt.ControlModifier)
    _click_row(qtbot, panel.models.list, 2, Qt.ControlModifier)
    qtbot.mouseClick(_compare_button(panel), Qt.LeftButton)
    qtbot.waitUntil(lambda: len(_comparison_windows()) == 1, timeout=5000)
    (window,) = _comparison_windows()
    qtbot.waitUntil(lambda: len(window.results) == 3, timeout=60_000)
    assert all(result.scored.cached for result in window.results.values())
