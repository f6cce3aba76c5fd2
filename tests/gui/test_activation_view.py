"""The layer-activation viewer, used as a student would: draw, look, click, switch."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget

from digitpad.core.ink.drawing import Drawing
from digitpad.gui.activations.activation_panel import ActivationPanel
from digitpad.gui.activations.feature_maps import as_maps, colour_indices, tile_maps
from digitpad.gui.activations.layer_card import LayerCard
from digitpad.gui.activations.map_detail_dialog import producing_conv
from digitpad.gui.activations.probability_columns import ProbabilityColumns
from tests.support.activations import (
    ARCHITECTURE_NAMES,
    QT_NOISE,
    arch_predictor,
    live_result,
    open_panel,
    seven,
    show_drawing,
    show_model,
    zero,
)

pytestmark = pytest.mark.qt_log_ignore(QT_NOISE)


@pytest.fixture
def panel(qtbot) -> Iterator[ActivationPanel]:
    yield from open_panel(qtbot)


def _image_bytes(card: LayerCard) -> bytes:
    image = card.view.image
    return bytes(image.constBits())


def test_every_layer_of_every_architecture_is_shown_with_its_maps(panel, qtbot):
    for name in ARCHITECTURE_NAMES:
        predictor = arch_predictor(name)
        show_model(panel, predictor, seven())
        layers = predictor.layers()
        assert [card.name for card in panel.layers.cards] == [
            layer["name"] for layer in layers
        ]
        activations = panel.state.result.prediction.activations
        for card, layer in zip(panel.layers.cards, layers, strict=True):
            shape = layer["output_shape"]
            assert card.map_count == shape[-1]
            if card.softmax:
                assert isinstance(card.view, ProbabilityColumns)
                panel.layers.layers_scroll.ensureWidgetVisible(
                    card
                )  # drawn once in view
                qtbot.waitUntil(lambda card=card: not card.stale)
                np.testing.assert_allclose(
                    card.view.probabilities, panel.state.result.prediction.probabilities
                )
            else:
                grid = card.view.grid_layout
                assert grid is not None and grid.count == shape[-1], card.name
                assert activations[card.name].shape == tuple(shape)
        kinds = {layer["kind"] for layer in layers}
        if name == "resnet":
            assert {"Add", "GlobalAveragePooling2D", "BatchNormalization"} <= kinds


def test_drawing_updates_the_viewer_live(panel, qtbot):
    predictor = arch_predictor("tutorial")
    with qtbot.waitSignal(panel.modelShown):
        panel.state.set_predictor(predictor)
    panel.state.set_result(live_result(predictor, seven(), token=1))
    conv1 = panel.layers.cards[0]
    qtbot.waitUntil(lambda: conv1.range_label.text() != "")
    before = _image_bytes(conv1)
    panel.state.set_result(live_result(predictor, zero(), token=2))
    qtbot.waitUntil(lambda: _image_bytes(conv1) != before)
    assert not panel.layers.input_view.image.isNull()


def test_an_empty_canvas_clears_the_maps(panel, qtbot):
    predictor = arch_predictor("tutorial")
    show_model(panel, predictor, seven())
    show_drawing(panel, Drawing(280, 280, ()))
    assert panel.layers.input_view.image.isNull()
    assert all(card.range_label.text() == "" for card in panel.layers.cards)
    assert not panel.layers.cards[-1].view.probabilities.any()


def test_clicking_a_map_opens_it_large_with_its_kernel(panel, qtbot):
    predictor = arch_predictor("compact")
    show_model(panel, predictor, seven())
    relu = next(card for card in panel.layers.cards if card.name == "conv1_relu")
    with qtbot.waitSignal(relu.mapClicked) as clicked:
        qtbot.mouseClick(
            relu.view, Qt.MouseButton.LeftButton, pos=relu.view.map_center(5)
        )
    assert clicked.args == ["conv1_relu", 5]
    dialog = panel.detail
    assert dialog is not None and dialog.isVisible()
    assert dialog.index == 5 and "conv1_relu" in dialog.windowTitle()
    assert not dialog.map_view.image.isNull()
    # a ReLU map comes from the convolution before it: filter 5 of conv1
    np.testing.assert_allclose(
        dialog.kernel_view.kernel, predictor.kernels()["conv1"][:, :, 0, 5]
    )
    dialog.next_button.click()
    assert dialog.index == 6
    # the open dialog follows the drawing
    old = bytes(dialog.map_view.image.constBits())
    show_drawing(panel, zero(), token=2)
    assert bytes(dialog.map_view.image.constBits()) != old


def test_deeper_maps_show_one_kernel_slice_per_input_map(panel, qtbot):
    predictor = arch_predictor("tutorial")
    show_model(panel, predictor, seven())
    dialog = panel.open_map("pool2", 3)
    assert dialog.kernel_grid.isVisibleTo(dialog)
    assert dialog.kernel_grid.grid_layout.count == 32  # conv2 reads pool1's 32 maps


def test_residual_sums_have_no_single_kernel():
    layers = arch_predictor("resnet").layers()
    assert producing_conv(layers, "res1_add") is None
    assert producing_conv(layers, "res1_out") is None
    assert producing_conv(layers, "stem_relu") == "stem"
    assert producing_conv(layers, "pool1") is None  # after a residual block


def test_switching_models_rebuilds_the_view(panel, qtbot):
    tutorial, resnet = arch_predictor("tutorial"), arch_predictor("resnet")
    show_model(panel, tutorial, seven())
    dialog = panel.open_map("conv1", 0)
    old_cards = list(panel.layers.cards)
    show_model(panel, resnet, seven())
    assert not dialog.isVisible()
    assert [c.name for c in panel.layers.cards] == resnet.layer_names
    assert not set(old_cards) & set(panel.layers.cards)
    assert "resnet" in panel.layers.model_label.text()
    assert panel.filters.learned.layer == "stem"


def test_collapsed_layers_are_not_rendered_until_expanded(panel, qtbot):
    predictor = arch_predictor("tutorial")
    show_model(panel, predictor, seven())
    conv1 = panel.layers.cards[0]
    before = _image_bytes(conv1)
    conv1.toggle.click()
    assert not conv1.expanded and not conv1.body.isVisible()
    show_drawing(panel, zero(), token=2)
    assert _image_bytes(conv1) == before
    conv1.toggle.click()
    assert _image_bytes(conv1) != before
    panel.layers.collapse_button.click()
    assert not any(card.expanded for card in panel.layers.cards)
    assert panel.layers.collapse_button.text() == "Expand all"


def test_only_cards_in_view_are_redrawn(panel, qtbot):
    predictor = arch_predictor("compact")
    show_model(panel, predictor, seven())
    softmax = panel.layers.cards[-1]
    viewport = panel.layers.layers_scroll.viewport()
    qtbot.waitUntil(lambda: softmax.geometry().top() > viewport.height())
    first = softmax.view.probabilities.copy()
    show_drawing(panel, zero(), token=2)
    assert softmax.stale and not panel.layers.cards[0].stale  # far below the fold
    np.testing.assert_array_equal(softmax.view.probabilities, first)
    panel.layers.layers_scroll.ensureWidgetVisible(softmax)
    qtbot.waitUntil(lambda: not softmax.stale)
    np.testing.assert_allclose(
        softmax.view.probabilities, panel.state.result.prediction.probabilities
    )


def test_colour_scale_can_be_per_map(panel, qtbot):
    predictor = arch_predictor("tutorial")
    show_model(panel, predictor, seven())
    conv2 = panel.layers.cards[2]
    shared = _image_bytes(conv2)
    panel.layers.scale_box.setCurrentIndex(1)  # the cards in view redraw, one per turn
    qtbot.waitUntil(lambda: _image_bytes(conv2) != shared)


def test_accessible_names_for_assistive_tools(panel):
    names = {w.accessibleName() for w in panel.findChildren(QWidget)}
    names.add(panel.accessibleName())
    assert {
        "Layer activations",
        "Learned filters",
        "Filter playground",
        "Saliency",
    } <= names


def test_tiling_puts_each_map_in_its_cell():
    rng = np.random.default_rng(0)
    activation = rng.random((5, 4, 7)).astype(np.float32)  # 7 maps of 5x4
    indices, signed = colour_indices(as_maps(activation), per_map=False)
    assert not signed
    lut = np.arange(256, dtype=np.uint32) | 0xFF000000
    image, layout = tile_maps(indices, columns=3, zoom=2, lut=lut, gap=1)
    assert layout.columns == 3 and layout.count == 7
    assert image.shape == (3 * 11 - 1, 3 * 9 - 1)
    rect = layout.rect_of(4)  # row 1, column 1
    cell = image[rect.top() : rect.top() + 10, rect.left() : rect.left() + 8] & 0xFF
    np.testing.assert_array_equal(cell[::2, ::2], indices[4])
    assert layout.index_at(rect.center()) == 4
    gap = QPoint(rect.right() + 1, rect.center().y())
    assert layout.index_at(gap) is None
    assert layout.index_at(layout.rect_of(8).center()) is None  # empty last cell
