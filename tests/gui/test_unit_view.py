"""'How this value is computed', used as a student would: click, read, draw on."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import numpy as np
import pytest
from PySide6.QtCore import Qt

from digitpad.core.models import modelfile
from digitpad.core.models.inference import load_predictor
from digitpad.gui.activations.activation_panel import ActivationPanel
from tests.support.activations import (
    QT_NOISE,
    arch_predictor,
    open_panel,
    seven,
    show_drawing,
    show_model,
    zero,
)
from tests.support.unit_models import trained_model

pytestmark = pytest.mark.qt_log_ignore(QT_NOISE)


@pytest.fixture
def panel(qtbot) -> Iterator[ActivationPanel]:
    yield from open_panel(qtbot)


def _card(panel, name):
    card = next(card for card in panel.layers.cards if card.name == name)
    panel.layers.layers_scroll.ensureWidgetVisible(card)
    return card


def _click_map_pixel(panel, qtbot, layer, index, row, col):
    card = _card(panel, layer)
    qtbot.mouseClick(
        card.view, Qt.MouseButton.LeftButton, pos=card.view.map_center(index)
    )
    detail = panel.detail
    assert detail is not None and detail.isVisible()
    point = detail.map_view.pixel_center(row, col).toPoint()
    qtbot.mouseClick(detail.map_view, Qt.MouseButton.LeftButton, pos=point)
    view = panel.unit_view
    assert view is not None
    qtbot.waitUntil(view.isVisible)
    return view


def test_clicking_a_map_pixel_explains_that_convolution_unit_live(panel, qtbot):
    predictor = arch_predictor("tutorial")
    show_model(panel, predictor, seven())
    activations = panel.state.result.prediction.activations
    row, col, channel = (
        int(i)
        for i in np.unravel_index(
            np.argmax(activations["conv2"]), activations["conv2"].shape
        )
    )
    view = _click_map_pixel(panel, qtbot, "conv2", channel, row, col)
    assert view.accessibleName() == "Unit computation" and not view.isModal()
    explanation = view.explanation
    assert explanation.kind == "conv" and explanation.unit == (row, col, channel)
    assert (
        abs(explanation.value - float(activations["conv2"][row, col, channel])) < 1e-4
    )
    text = view.numbers.toPlainText()
    assert f"{explanation.value:.3f}".replace("-", "−") in text and "bias" in text
    titles = [p.title for p in view.pictures.panels]
    assert any(t.startswith("pool1 map") for t in titles)
    assert any(t.startswith("weights for map") for t in titles)
    assert any(t.startswith("28×28 input") for t in titles)
    # the view follows the drawing (the pre-activation: a ReLU may be 0 for both)
    before = explanation.fields["pre_activation"]
    show_drawing(panel, zero(), token=2)
    qtbot.waitUntil(lambda: view.explanation.fields["pre_activation"] != before)
    fresh = panel.state.result.prediction.activations["conv2"][row, col, channel]
    assert abs(view.explanation.value - float(fresh)) < 1e-4


def test_dense_cell_and_probability_bar_open_their_explanations(panel, qtbot):
    predictor = arch_predictor("compact")
    show_model(panel, predictor, seven())
    activations = panel.state.result.prediction.activations
    dense = _card(panel, "dense")
    qtbot.mouseClick(
        dense.view, Qt.MouseButton.LeftButton, pos=dense.view.map_center(9)
    )
    view = panel.unit_view
    assert view.explanation.kind == "dense" and view.explanation.unit == (9,)
    assert abs(view.explanation.value - float(activations["dense"][9])) < 1e-4
    assert (
        "conv3_relu row" in view.numbers.toPlainText()
    )  # where flattened inputs came from
    softmax = _card(panel, "softmax")
    qtbot.waitUntil(lambda: not softmax.stale)
    bar = softmax.view.bar_center(3).toPoint()
    qtbot.mouseClick(softmax.view, Qt.MouseButton.LeftButton, pos=bar)
    view = panel.unit_view
    assert view.explanation.kind == "softmax"
    probabilities = view.explanation.fields["probabilities"]
    np.testing.assert_allclose(probabilities, activations["softmax"], atol=1e-4)
    assert (
        "logit" in view.numbers.toPlainText()
        and "sum of the exps" in view.numbers.toPlainText()
    )


def test_play_slides_the_window_over_the_map(panel, qtbot):
    show_model(panel, arch_predictor("tutorial"), seven())
    view = _click_map_pixel(panel, qtbot, "conv1", 2, 10, 10)
    qtbot.mouseClick(view.play_button, Qt.MouseButton.LeftButton)
    assert view.playing
    seen = []
    for _ in range(3):
        with qtbot.waitSignal(view.frameShown, timeout=2000) as frame:
            pass
        seen.append(frame.args[0])
    assert seen == sorted(seen) and len(set(seen)) == 3
    row, col, channel = view.explanation.unit
    assert channel == 2 and row * 26 + col == seen[-1]
    output = view.pictures.panels[-1]
    assert output.title == "conv1 map 2" and output.box[0] == row
    qtbot.mouseClick(view.play_button, Qt.MouseButton.LeftButton)
    assert not view.playing


def test_a_model_without_its_weights_file_says_so(panel, qtbot, tmp_path):
    _, saved = trained_model("tutorial")
    copy = tmp_path / "old.keras"
    for kind in ("metadata", "tflite", "kernels"):
        shutil.copyfile(modelfile.sidecar(saved, kind), modelfile.sidecar(copy, kind))
    shutil.copyfile(saved, copy)
    predictor = load_predictor(copy, kernels=True)
    assert predictor.unit_weights() is None
    show_model(panel, predictor, seven())
    view = panel.open_unit("conv1", (3, 3, 0))
    assert "no weights file" in view.numbers.toPlainText()
    assert "old.weights.npz" in view.numbers.toPlainText()


def test_global_pool_and_residual_add_units_are_explained(panel, qtbot):
    show_model(panel, arch_predictor("resnet"), seven())
    activations = panel.state.result.prediction.activations
    gap = _card(panel, "gap")
    qtbot.mouseClick(gap.view, Qt.MouseButton.LeftButton, pos=gap.view.map_center(5))
    view = panel.unit_view
    assert (
        view.explanation.kind == "pool" and view.explanation.fields["op"] == "average"
    )
    assert abs(view.explanation.value - float(activations["gap"][5])) < 1e-4
    assert view.pictures.panels[0].title.endswith("map 5")
    view = panel.open_unit("res1_add", (4, 9, 2))
    assert view.explanation.kind == "add"
    assert abs(view.explanation.value - float(activations["res1_add"][4, 9, 2])) < 1e-4
    assert "Adds its inputs" in view.numbers.toPlainText()
