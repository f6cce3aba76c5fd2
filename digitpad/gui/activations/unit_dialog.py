""" "How this value is computed": one unit's arithmetic on the current drawing, live.

Opened by clicking a pixel of a map (in the map detail window), a cell of a dense
strip or a probability bar. It re-derives the unit's value in numpy from the model's
weights sidecar and the previous layer's activations (``core.models.unit_explain``),
draws the window on the maps it reads and the field on the 28x28 input, and writes
the numbers out. Not modal; it follows the drawing while it stays open. *Play*
slides the window over the map, timer-driven (40 frames per second), filling the
output map as it goes, as the tutorial describes a convolution.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.errors import DigitPadError
from digitpad.core.models.unit_explain import Explanation, explain_unit, with_input
from digitpad.gui.activations.unit_panels import unit_panels
from digitpad.gui.activations.unit_pictures import UnitPictures
from digitpad.gui.activations.unit_text import explanation_html

# 40 frames per second asked, so that 30 or more are shown on a busy machine too
FRAME_MS = 25
PLAY_SECONDS = 8.0  # a whole map takes at most this long: big maps move faster


def no_weights_text(model_name: str) -> str:
    return (
        f"<b>This model has no weights file</b> ({model_name}.weights.npz) beside "
        "it, so its arithmetic cannot be shown. Models trained, fine-tuned or saved "
        "with this version of DigitPad have one; a .keras opened without a current "
        ".tflite beside it is converted and gets one too."
    )


class UnitDialog(QDialog):
    """One unit's computation; ``set_activations`` follows the drawing."""

    frameShown = Signal(int)  # Play showed position n of the map (row-major)

    def __init__(
        self,
        network: Any,
        model_name: str,
        layer: str,
        unit: tuple[int, ...],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("How this value is computed")
        self.setAccessibleName("Unit computation")
        self.setModal(False)
        self.network = network
        self.layer = layer
        self.unit = tuple(unit)
        self.explanation: Explanation | None = None
        self._activations: dict[str, np.ndarray] = {}
        self._position: int | None = None  # Play: the unit's row-major position
        self._images: dict = {}
        graph_layer = network.layer(layer) if network is not None else None
        self._shape = graph_layer.output_shape if graph_layer is not None else ()

        self.pictures = UnitPictures()
        # a text browser lays its rich text out once per change; a word-wrapped
        # QLabel in a scroll area did it several times (24 ms for the softmax table)
        self.numbers = QTextBrowser()
        self.numbers.setAccessibleName("Unit numbers")
        self.numbers.setOpenLinks(False)

        self.play_button = QPushButton("▶ Play")
        self.play_button.setCheckable(True)
        self.play_button.setToolTip("Slide the window over the whole map")
        self.play_button.toggled.connect(self._set_playing)
        self.play_button.setVisible(len(self._shape) == 3)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.play_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pictures)
        layout.addWidget(self.numbers, 1)
        layout.addLayout(row)

        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._next_frame)
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(0)
        self._refresh.timeout.connect(self._show)
        if network is None:
            self.numbers.setText(no_weights_text(model_name))
        self.resize(760, 620)

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    def set_activations(
        self, activations: dict[str, np.ndarray], image: Any, now: bool = True
    ) -> None:
        """Follow the drawing: the same unit, explained anew for fresh activations.

        ``now=False`` (the live panel) redraws in an event-loop turn of its own, so
        the panel's cards and this view are two short pauses rather than one long.
        """
        if self.network is None:
            return
        if image is None:
            self._activations = {}
        else:
            self._activations = with_input(self.network, activations, image)
        # coloured maps of these activations (kernels stay: they do not change)
        self._images = {k: v for k, v in self._images.items() if k[0] == "kernel"}
        if now:
            self._refresh.stop()
            self._show()
        else:
            self._refresh.start()

    def show_unit(self, unit: tuple[int, ...]) -> None:
        self.unit = tuple(unit)
        self._show()

    def _show(self) -> None:
        if self.network is None:
            return
        if not self._activations:
            self.explanation = None
            self.pictures.set_panels([])
            self.numbers.setText("Draw a digit to see how this value is computed.")
            return
        try:
            explanation = explain_unit(
                self.network, None, self._activations, self.layer, self.unit
            )
        except DigitPadError as error:
            self.explanation = None
            self.pictures.set_panels([])
            self.numbers.setText(str(error))
            return
        self.explanation = explanation
        panels = unit_panels(
            self.network, explanation, self._activations, self._position, self._images
        )
        self.pictures.set_panels(panels)
        self.pictures.setVisible(bool(panels))
        self.numbers.setText(explanation_html(explanation))

    # ------------------------------------------------------------ Play

    def _set_playing(self, playing: bool) -> None:
        if playing and len(self._shape) == 3:
            self._position = -1
            self.play_button.setText("⏸ Pause")
            self._timer.start()
        else:
            self._timer.stop()
            self._position = None
            self.play_button.setText("▶ Play")
            self._show()

    def _next_frame(self) -> None:
        """Move the window on (several positions per frame on big maps)."""
        h, w, _ = self._shape
        step = max(1, math.ceil(h * w / (PLAY_SECONDS * 1000 / FRAME_MS)))
        position = (self._position if self._position is not None else -1) + step
        if position >= h * w:
            self.play_button.setChecked(False)  # stops, shows the whole map
            return
        self._position = position
        self.unit = (position // w, position % w, self.unit[2])
        self._show()
        self.frameShown.emit(position)

    def closeEvent(self, event: Any) -> None:
        self._timer.stop()
        super().closeEvent(event)

    def done(self, result: int) -> None:
        self._timer.stop()
        super().done(result)
