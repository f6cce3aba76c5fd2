"""Shared set-up for the activation-viewer tests: small in-memory models and results.

Untrained models of every architecture give the same activations contract as the
shipped one; building and tracing each costs about a second, so they are cached.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from digitpad.core.ink.drawing import Drawing
from digitpad.core.models.inference import Predictor, predictor_from_model
from digitpad.core.networks.builder import build_preset
from digitpad.core.preprocess.mnist_input import preprocess_drawing
from digitpad.gui.activations.activation_panel import ActivationPanel
from digitpad.gui.state import AppState, LiveResult
from tests.support.digits import ellipse_stroke

ARCHITECTURE_NAMES = ("tutorial", "compact", "vgg", "resnet")
QT_NOISE = "This plugin does not support propagateSizeHints"


@functools.cache
def arch_predictor(name: str) -> Predictor:
    """A TensorFlow-backed predictor for an untrained model of architecture ``name``."""
    return predictor_from_model(build_preset(name), {"architecture": name})


def seven(shift: float = 0.0) -> Drawing:
    """A hand-drawn-looking 7; ``shift`` bends the stem so two drawings differ."""
    return Drawing(
        280,
        280,
        (((60.0, 60.0), (200.0, 60.0), (120.0 + shift, 230.0)),),
    )


def zero() -> Drawing:
    ring = tuple(tuple(point) for point in ellipse_stroke(140, 140, 60, 95))
    return Drawing(280, 280, (ring,))


def live_result(predictor: Predictor, drawing: Drawing, token: int = 1) -> LiveResult:
    """What the app's live prediction would publish for ``drawing``."""
    pre = preprocess_drawing(drawing, stages=True)
    prediction = None if pre.image is None else predictor.predict(pre.image)
    return LiveResult(token, pre, prediction)


def open_panel(qtbot) -> Iterator[ActivationPanel]:
    """A shown activation panel; its saliency worker is stopped afterwards."""
    widget = ActivationPanel(AppState())
    qtbot.addWidget(widget)
    widget.resize(900, 900)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.saliency.stop()


def show_model(panel: ActivationPanel, predictor: Predictor, drawing: Drawing) -> None:
    """Make ``predictor`` current and show what it makes of ``drawing``."""
    panel.state.set_predictor(predictor)
    panel.set_model(predictor)  # what the panel does in its next event-loop turn
    show_drawing(panel, drawing)


def show_drawing(panel: ActivationPanel, drawing: Drawing, token: int = 1) -> None:
    """Publish the current model's result for ``drawing`` and let the panel redraw."""
    panel.state.set_result(live_result(panel.state.predictor, drawing, token))
    panel.refresh()
