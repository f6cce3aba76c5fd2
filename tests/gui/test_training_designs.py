"""Saved designs in the Training panel: listed, reloaded, trained, kept, looked into."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PySide6.QtWidgets import QMessageBox

from digitpad.core import paths
from digitpad.core.models.metadata import read_metadata
from digitpad.core.networks import designs
from digitpad.core.networks.presets import PRESETS
from digitpad.core.networks.spec import parse_spec
from digitpad.gui.activations.activation_panel import ActivationPanel
from digitpad.gui.state import AppState
from digitpad.gui.training.training_panel import TrainingPanel
from tests.support.activations import QT_NOISE, seven, show_drawing

pytestmark = pytest.mark.qt_log_ignore(QT_NOISE)

BLOCKS = {
    "name": "blocks",
    "layers": [
        {"type": "Conv2D", "filters": 4, "kernel_size": 3, "strides": 2},
        {"type": "ResidualBlock", "filters": 6},
        {
            "type": "InceptionBlock",
            "filters_1x1": 2,
            "filters_3x3": 2,
            "filters_5x5": 2,
            "filters_pool": 2,
        },
        {"type": "GlobalMaxPooling2D"},
    ],
}


@pytest.fixture
def panel(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "user_data_dir", lambda: tmp_path / "user")
    warnings: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _p, _t, text, *a, **k: warnings.append(text)
    )
    state = AppState()
    widget = TrainingPanel(state)
    qtbot.addWidget(widget)
    widget.show()
    widget.warnings = warnings
    yield widget
    assert widget.shutdown(wait=30)


def _choices(panel: TrainingPanel) -> list[str]:
    combo = panel.form.architecture
    return [combo.itemData(i) for i in range(combo.count()) if combo.itemData(i)]


def test_saved_designs_are_listed_and_the_list_follows_changes(panel):
    assert _choices(panel) == list(PRESETS)
    spec = parse_spec(BLOCKS)
    designs.save_design(spec)
    panel.state.notify_designs_changed("blocks")
    assert _choices(panel) == [*PRESETS, "blocks"]
    assert panel.form.architecture.currentData() == "blocks"
    assert panel.form.config().spec == spec
    assert "blocks" in panel.form.architecture.currentText()

    (designs.designs_dir() / "broken.json").write_text("{")
    designs.delete_design("blocks")
    panel.state.notify_designs_changed()
    assert _choices(panel) == list(PRESETS)
    assert panel.form.architecture.currentData() == "tutorial"
    assert "broken.json" in panel.form.description.toolTip()


@pytest.mark.slow
def test_a_design_trains_keeps_its_spec_and_shows_every_inner_layer(
    qtbot, panel, tmp_path
):
    designs.save_design(parse_spec(BLOCKS))
    panel.state.notify_designs_changed("blocks")
    panel.form.size.setValue(1)  # 1,000 images
    panel.form.epochs.setValue(1)
    panel.start_button.click()
    qtbot.waitUntil(lambda: not panel.is_training(), timeout=180_000)
    assert panel.warnings == [], panel.progress.status.text()
    with qtbot.waitSignal(panel.state.modelChanged, timeout=60_000):
        panel.results.keep_button.click()
    predictor = panel.state.predictor
    assert json.loads(json.dumps(read_metadata(predictor.path)["network"])) == BLOCKS

    viewer = ActivationPanel(panel.state)
    qtbot.addWidget(viewer)
    viewer.show()
    viewer.set_model(predictor)
    show_drawing(viewer, seven())
    names = [card.name for card in viewer.layers.cards]
    for inner in (
        "res1_proj",
        "res1_a",
        "res1_b_bn",
        "res1_add",
        "inception1_5x5",
        "inception1_pool_proj",
        "inception1_concat",
        "softmax",
    ):
        assert inner in names
    activations = panel.state.result.prediction.activations
    assert activations["inception1_concat"].shape == (13, 13, 8)
    assert np.isfinite(activations["res1_out"]).all()
    viewer.saliency.stop()
