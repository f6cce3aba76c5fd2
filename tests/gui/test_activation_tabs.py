"""The viewer's other tabs: learned vs hand-made filters, saliency, preprocessing."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from PySide6.QtCore import Qt

from digitpad.core.models.inference import load_predictor
from digitpad.core.preprocess.filters import HANDMADE_FILTERS
from digitpad.gui.activations.activation_panel import TABS, ActivationPanel
from tests.support.activations import (
    QT_NOISE,
    arch_predictor,
    live_result,
    open_panel,
    seven,
    show_model,
)
from tests.support.saliency import near_ink

pytestmark = pytest.mark.qt_log_ignore(QT_NOISE)


@pytest.fixture
def panel(qtbot) -> Iterator[ActivationPanel]:
    yield from open_panel(qtbot)


def _show_tab(panel: ActivationPanel, key: str) -> None:
    panel.tabs.setCurrentIndex(TABS.index(key))
    panel.refresh()


def test_learned_filters_sit_beside_the_playground_on_the_same_input(panel, qtbot):
    predictor = arch_predictor("tutorial")
    with qtbot.waitSignal(panel.modelShown):
        panel.state.set_predictor(predictor)
    result = live_result(predictor, seven())
    panel.state.set_result(result)
    _show_tab(panel, "filters")
    learned = panel.filters.learned
    kernels = predictor.kernels()["conv1"]
    assert learned.layer == "conv1"
    assert learned.grid.grid_layout.count == kernels.shape[-1] == 32
    qtbot.mouseClick(
        learned.grid, Qt.MouseButton.LeftButton, pos=learned.grid.map_center(7)
    )
    assert learned.selected == 7
    np.testing.assert_allclose(learned.kernel_view.kernel, kernels[:, :, 0, 7])
    assert not learned.response_view.image.isNull()
    playground = panel.filters.playground
    assert set(playground.outputs) == set(HANDMADE_FILTERS)
    assert all(not view.image.isNull() for view in playground.outputs.values())


def test_hidden_tabs_catch_up_when_shown(panel, qtbot):
    predictor = arch_predictor("tutorial")
    with qtbot.waitSignal(panel.modelShown):
        panel.state.set_predictor(predictor)
    panel.state.set_result(live_result(predictor, seven()))
    panel.refresh()  # only the layers tab is visible
    assert panel.filters.playground.outputs["blur"].image.isNull()
    panel.tabs.setCurrentIndex(TABS.index("filters"))
    qtbot.waitUntil(lambda: not panel.filters.playground.outputs["blur"].image.isNull())


def test_preprocessing_stages_are_shown_side_by_side(panel, qtbot):
    predictor = arch_predictor("tutorial")
    with qtbot.waitSignal(panel.modelShown):
        panel.state.set_predictor(predictor)
    panel.state.set_result(live_result(predictor, seven()))
    _show_tab(panel, "stages")
    views = panel.stages.views
    assert list(views) == ["input", "cropped", "scaled", "centred"]
    assert all(not view.image.isNull() for view in views.values())
    assert panel.stages.sizes["input"].text() == "280×280 pixels"
    assert panel.stages.sizes["centred"].text() == "28×28 pixels"
    assert "20" in panel.stages.sizes["scaled"].text()


@pytest.mark.slow
def test_saliency_explains_the_shipped_model_off_the_gui_thread(panel, qtbot):
    predictor = load_predictor()  # LiteRT: the worker loads the .keras with TensorFlow
    show_model(panel, predictor, seven())
    assert panel.saliency._requests.token == 0  # nothing asked while the tab is hidden
    _show_tab(panel, "saliency")
    view = panel.saliency
    qtbot.waitUntil(lambda: view.last_saliency is not None, timeout=90_000)
    saliency = view.last_saliency
    assert saliency.digit == panel.state.result.prediction.digit == 7
    assert (
        not view.gradient_view.image.isNull() and not view.gradcam_view.image.isNull()
    )
    # the strongest evidence for a 7 lies on or beside its strokes, above chance
    # (one drawing; tests/core/test_saliency.py checks a sample of digits)
    near = near_ink(panel.state.result.preprocessed.image)
    for heat, above_chance in ((saliency.gradient, 1.3), (saliency.gradcam, 1.8)):
        top = heat >= np.quantile(heat, 0.9)
        assert (top & near).sum() / top.sum() > above_chance * near.mean()
    view.target.setCurrentIndex(view.target.findData(1))
    qtbot.waitUntil(
        lambda: view.last_saliency is not None and view.last_saliency.digit == 1,
        timeout=30_000,
    )
    assert "digit 1" in view.status.text()


def test_a_model_that_arrives_mid_rebuild_wins_and_the_loop_keeps_turning(panel, qtbot):
    tutorial, shipped = arch_predictor("tutorial"), load_predictor()
    turns = []
    ticker = qtbot_timer(panel, turns)
    panel.state.set_predictor(shipped)
    qtbot.waitUntil(lambda: 0 < len(panel.layers.cards) < len(shipped.layers()))
    with qtbot.waitSignal(panel.modelShown):  # half-built: the tutorial CNN takes over
        panel.state.set_predictor(tutorial)
    ticker.stop()
    assert [card.layer["name"] for card in panel.layers.cards] == tutorial.layer_names
    assert panel.filters.learned.layer == "conv1"
    assert len(turns) > len(shipped.layers()) // 2  # built across many loop turns


def qtbot_timer(parent, turns: list) -> object:
    from PySide6.QtCore import QTimer

    timer = QTimer(parent)
    timer.setInterval(0)
    timer.timeout.connect(lambda: turns.append(1))
    timer.start()
    return timer


def test_a_new_epoch_of_the_same_network_keeps_the_cards_and_shows_new_kernels(
    panel, qtbot
):
    from digitpad.core.models.inference import predictor_from_model
    from digitpad.core.networks.builder import build_preset

    before = arch_predictor("tutorial")
    after = predictor_from_model(build_preset("tutorial"), {"architecture": "tutorial"})
    with qtbot.waitSignal(panel.modelShown):
        panel.state.set_predictor(before)
    cards = list(panel.layers.cards)
    with qtbot.waitSignal(panel.modelShown):
        panel.state.set_predictor(after)  # same layers, other weights
    assert panel.layers.cards == cards  # the very same widgets, no relayout
    kernels = after.kernels()["conv1"]
    assert not np.allclose(kernels, before.kernels()["conv1"])
    _show_tab(panel, "filters")
    np.testing.assert_allclose(
        panel.filters.learned.kernel_view.kernel, kernels[:, :, 0, 0]
    )
