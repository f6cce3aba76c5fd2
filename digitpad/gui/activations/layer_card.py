"""One layer as a card: name, kind, shape, parameters, a sentence and its output.

Spatial layers show every feature map in a clickable grid; vectors (flatten, dense,
global pooling) show a heat strip with one cell per unit; the final softmax shows ten
probability bars. A collapsed card keeps its latest activation but does not render it
until it is expanded again.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.networks.layer_explanations import (
    EXPLANATIONS,
    explain,
    is_softmax,
    kind_label,
)
from digitpad.gui.activations.feature_maps import GAP, FeatureMapGrid, as_maps
from digitpad.gui.activations.probability_columns import ProbabilityColumns

MAP_SIZES = {"Small": 28, "Medium": 44, "Large": 72}
SIGNED_KEY = (
    "Colours: <span style='color:#2d6ed2'>■</span> blue below zero · black zero · "
    "<span style='color:#dc6414'>■</span> orange above zero"
)
UNSIGNED_KEY = "Colours: black silent · purple, orange, yellow: more and more active"


def shape_text(shape: list[int]) -> str:
    return "×".join(str(int(d)) for d in shape)


def zoom_for(height: int, target: int) -> int:
    """Integer enlargement so a map is about ``target`` pixels tall."""
    return max(1, round(target / max(1, height)))


class LayerCard(QFrame):
    """A titled, collapsible card for one layer; ``mapClicked(layer, index)`` for a
    map, ``unitClicked(layer, (i,))`` for a strip cell or a probability bar."""

    mapClicked = Signal(str, int)
    unitClicked = Signal(str, object)

    def __init__(
        self,
        layer: dict[str, Any],
        layers: list[dict[str, Any]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.layer = layer
        self.name = str(layer["name"])
        self.shape = [int(d) for d in layer.get("output_shape", [])]
        self.softmax = is_softmax(layer, layers)
        self.spatial = len(self.shape) == 3
        self._activation: np.ndarray | None = None
        self._settings = (False, 640, MAP_SIZES["Medium"])
        self._stale = True
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(f"Layer {self.name}")

        self.toggle = QToolButton()
        self.toggle.setCheckable(True)
        self.toggle.setChecked(True)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow)
        self.toggle.setAutoRaise(True)
        self.toggle.setAccessibleName(f"Show {self.name}")
        self.toggle.toggled.connect(self._set_expanded)
        params = int(layer.get("parameters", 0))
        units = f"{self.shape[-1]} maps" if self.spatial else f"{self.shape[-1]} values"
        title = QLabel(
            f"<b>{self.name}</b> &nbsp;·&nbsp; {kind_label(layer, layers)}"
            f" &nbsp;·&nbsp; {shape_text(self.shape)} ({units})"
            f" &nbsp;·&nbsp; {params:,} parameters"
        )
        title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # wraps: a long title must not make the card wider than a narrow dock
        title.setWordWrap(True)
        self.title = title
        self.range_label = QLabel()
        self.range_label.setStyleSheet("color: palette(placeholder-text);")
        self.range_label.setAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop
        )
        header = QHBoxLayout()
        header.setSpacing(6)
        header.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(title, 1)
        header.addWidget(self.range_label, 0, Qt.AlignmentFlag.AlignTop)

        self.explanation = QLabel(explain(layer, layers))
        self.explanation.setWordWrap(True)
        self.explanation.setStyleSheet("color: palette(placeholder-text);")
        # what the colours mean, under every card whose maps use them
        self.colour_key = QLabel()
        self.colour_key.setStyleSheet("color: palette(placeholder-text);")
        self.colour_key.setWordWrap(True)
        self.colour_key.hide()

        if self.softmax:
            self.view: QWidget = ProbabilityColumns()
            self.view.barClicked.connect(
                lambda i: self.unitClicked.emit(self.name, (i,))
            )
        else:
            self.view = FeatureMapGrid()
            self.view.mapClicked.connect(self._map_clicked)
        self.body = QWidget()
        body_layout = QVBoxLayout(self.body)
        body_layout.setContentsMargins(28, 0, 0, 0)
        body_layout.setSpacing(6)
        body_layout.addWidget(self.explanation)
        body_layout.addWidget(self.view)
        body_layout.addWidget(self.colour_key)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 8, 8)
        layout.setSpacing(2)
        layout.addLayout(header)
        layout.addWidget(self.body)

    @property
    def expanded(self) -> bool:
        return self.toggle.isChecked()

    @property
    def map_count(self) -> int:
        """How many maps (spatial) or units (vector) the card shows."""
        return self.shape[-1] if self.shape else 0

    @property
    def stale(self) -> bool:
        """The shown image is older than the stored activation or settings."""
        return self._stale

    def set_activation(
        self, activation: np.ndarray | None, render: bool = True
    ) -> None:
        """Store the layer's output (None: clear it); render now if asked and expanded.

        The panel passes ``render=False`` for cards scrolled out of view; they stay
        stale and are drawn when they scroll in or are expanded.
        """
        self._activation = activation
        self._stale = True
        if render and self.expanded:
            self.render()

    def configure(
        self, per_map: bool, width: int, target: int, render: bool = True
    ) -> None:
        """Colour scale, available width and map size; re-renders if expanded."""
        self._settings = (per_map, width, target)
        self._stale = True
        if render and self.expanded:
            self.render()

    def render(self) -> None:
        """Draw the stored activation into this card's single image."""
        self._stale = False
        per_map, width, target = self._settings
        activation = self._activation
        if activation is None:
            activation = np.zeros(self.shape or [1], np.float32)
            self.range_label.setText("")
            self.colour_key.hide()
        if self.softmax:
            self.view.set_probabilities(activation)
            return
        maps = as_maps(activation)
        if self.spatial:
            zoom = zoom_for(maps.shape[1], target)
            cell = maps.shape[2] * zoom
        else:
            zoom = 12 if len(maps) <= 256 else 6 if len(maps) <= 2048 else 4
            cell = zoom
        columns = max(1, (width - 40 + GAP) // (cell + GAP))
        signed = self.view.set_maps(maps, columns, zoom, per_map and self.spatial)
        if self._activation is not None:
            low, high = float(activation.min()), float(activation.max())
            self.range_label.setText(f"range {low:.2f} … {high:.2f}")
            self.colour_key.setText(SIGNED_KEY if signed else UNSIGNED_KEY)
            self.colour_key.show()

    def _set_expanded(self, expanded: bool) -> None:
        self.toggle.setArrowType(
            Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow
        )
        self.body.setVisible(expanded)
        if expanded and self._stale:
            self.render()

    def _map_clicked(self, index: int) -> None:
        if self.spatial:
            self.mapClicked.emit(self.name, index)
        else:
            self.unitClicked.emit(self.name, (index,))


def input_card(view: QWidget) -> QFrame:
    """The card before the layers: the network's 28x28 input and what it is."""
    card = QFrame()
    card.setFrameShape(QFrame.Shape.StyledPanel)
    layout = QHBoxLayout(card)
    layout.addWidget(view)
    text = QLabel(f"<b>Input</b> &nbsp;·&nbsp; 28×28×1<br>{EXPLANATIONS['Input']}")
    text.setWordWrap(True)
    layout.addWidget(text, 1)
    return card
