"""The "Layers" tab: the network input and a card per layer, in a scrolling column.

Its own widget because the column has its own life apart from the other tabs: the
colour-scale and map-size controls, collapsing, and drawing only the cards in view
(one per event-loop turn, as they scroll in). ``ActivationPanel`` decides when there
is a new model or a new drawing; this tab decides which cards to draw and when.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, QObject, QRect, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from digitpad.gui.activations.layer_card import MAP_SIZES, LayerCard, input_card
from digitpad.gui.threads import Steps
from digitpad.gui.widgets.pixel_image_view import PixelImageView
from digitpad.gui.widgets.qimage_array import grey_to_qimage

RESIZE_SETTLE_MS = 60  # cards are re-laid once the viewport stops changing size


def scrolling(widget: QWidget) -> QScrollArea:
    """``widget`` in a frameless scroll area that resizes it to its width."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


class LayersTab(QWidget):
    """The input image, the model's summary line and a ``LayerCard`` per layer."""

    mapClicked = Signal(str, int)  # layer, map index
    unitClicked = Signal(str, object)  # layer, unit index tuple

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._drawing = Steps(self)  # cards that came into view, one per turn
        self.cards: list[LayerCard] = []

        self.scale_box = QComboBox()
        self.scale_box.setAccessibleName("Colour scale")
        self.scale_box.addItem("One scale per layer", False)
        self.scale_box.addItem("Each map its own scale", True)
        self.scale_box.setToolTip(
            "One scale per layer compares maps with each other; each map its own "
            "scale shows the pattern inside even a weak map."
        )
        self.size_box = QComboBox()
        self.size_box.setAccessibleName("Map size")
        self.size_box.addItems(list(MAP_SIZES))
        self.size_box.setCurrentText("Medium")
        self.collapse_button = QPushButton("Collapse all")
        self.collapse_button.clicked.connect(self._toggle_all)
        self.model_label = QLabel("No model loaded")
        self.model_label.setStyleSheet("color: palette(placeholder-text);")
        toolbar = QHBoxLayout()
        toolbar.setSpacing(8)
        toolbar.addWidget(QLabel("Colours:"))
        toolbar.addWidget(self.scale_box)
        toolbar.addWidget(QLabel("Map size:"))
        toolbar.addWidget(self.size_box)
        toolbar.addWidget(self.collapse_button)
        toolbar.addStretch(1)

        self.input_view = PixelImageView(112)
        self.input_view.setAccessibleName("Network input")

        self.cards_box = QWidget()
        self.cards_layout = QVBoxLayout(self.cards_box)
        self.cards_layout.setContentsMargins(8, 8, 8, 8)
        self.cards_layout.setSpacing(8)
        self.cards_layout.addWidget(input_card(self.input_view))
        self.cards_layout.addStretch(1)
        self.layers_scroll = scrolling(self.cards_box)
        self.layers_scroll.viewport().installEventFilter(self)
        self.cards_box.installEventFilter(self)
        self.layers_scroll.verticalScrollBar().valueChanged.connect(
            lambda _: self._render_stale_visible()
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 0, 0)
        layout.addLayout(toolbar)
        layout.addWidget(self.model_label)
        layout.addWidget(self.layers_scroll, 1)

        self._resize_timer = QTimer(self)
        self._resize_timer.setSingleShot(True)
        self._resize_timer.setInterval(RESIZE_SETTLE_MS)
        self._resize_timer.timeout.connect(self._configure_cards)
        self.scale_box.currentIndexChanged.connect(lambda _: self._configure_cards())
        self.size_box.currentIndexChanged.connect(lambda _: self._configure_cards())

    def build_cards(self, layers: list[dict[str, Any]], title: str) -> Iterator[None]:
        """Replace the cards by one per layer of a new model, a card per step."""
        for card in self.cards:
            card.setParent(None)
            card.deleteLater()
        self.cards = []
        parameters = sum(int(layer.get("parameters", 0)) for layer in layers)
        self.model_label.setText(
            f"{title} · {len(layers)} layers · {parameters:,} parameters"
        )
        yield
        for layer in layers:
            card = LayerCard(layer, layers)
            card.mapClicked.connect(self.mapClicked)
            card.unitClicked.connect(self.unitClicked)
            self.cards_layout.insertWidget(self.cards_layout.count() - 1, card)
            self.cards.append(card)
            self._configure_card(card)
            card.render()  # size its grid once so the layout is final
            yield

    def show_result(
        self, image: np.ndarray | None, activations: dict[str, np.ndarray]
    ) -> None:
        """The input and every card's maps; only the cards in view are drawn now."""
        if image is None:
            self.input_view.set_image(None, "Draw a digit")
        else:
            self.input_view.set_image(grey_to_qimage(image))
        visible = self._visible_area()
        for card in self.cards:
            card.set_activation(
                activations.get(card.name), render=visible.intersects(card.geometry())
            )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            if watched is self.cards_box:  # cards moved: draw any that came into view
                self._render_stale_visible()
            else:
                self._resize_timer.start()
        return False

    def _visible_area(self) -> QRect:
        """The part of the cards column the scroll area shows, in its coordinates."""
        viewport = self.layers_scroll.viewport()
        top = self.layers_scroll.verticalScrollBar().value()
        return QRect(0, top, viewport.width(), viewport.height())

    def _render_stale_visible(self) -> None:
        """Draw the cards that came into view, one per event-loop turn (Steps):
        opening the viewer or scrolling brings several at once, a few ms each."""
        if not self._drawing.running:
            self._drawing.start(self._draw_stale_visible())

    def _draw_stale_visible(self) -> Iterator[None]:
        while True:  # what is in view is looked at anew each turn (scrolling goes on)
            visible = self._visible_area()
            card = next(
                (
                    c
                    for c in self.cards
                    if c.stale and c.expanded and visible.intersects(c.geometry())
                ),
                None,
            )
            if card is None:
                return
            card.render()
            yield

    def _configure_cards(self, render: bool = True) -> None:
        for card in self.cards:
            self._configure_card(card)
        if render:
            self._render_stale_visible()

    def _configure_card(self, card: LayerCard) -> None:
        """Apply the width, scale and map size controls to one card (no render)."""
        width = self.layers_scroll.viewport().width() - 40
        per_map = bool(self.scale_box.currentData())
        target = MAP_SIZES[self.size_box.currentText()]
        card.configure(per_map, width, target, render=False)

    def _toggle_all(self) -> None:
        expand = all(not card.expanded for card in self.cards)
        for card in self.cards:
            card.toggle.setChecked(expand)
        self.collapse_button.setText("Collapse all" if expand else "Expand all")
