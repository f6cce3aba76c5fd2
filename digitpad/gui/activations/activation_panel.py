"""The layer-activation viewer: see inside the network, live, for the drawn digit.

Composition only: it listens to ``AppState`` and feeds four tabs, the per-layer cards,
the learned/hand-made filters, the saliency overlay and the preprocessing stages. Every
activation comes from the one prediction the app already made (no second model, no
per-layer re-run). Updates are coalesced by a short single-shot timer and only the
visible tab is rendered; hidden tabs catch up when they are shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, QObject, QRect, QTimer, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.models.inference import Predictor
from digitpad.gui.activations.filters_view import FiltersView
from digitpad.gui.activations.layer_card import MAP_SIZES, LayerCard, input_card
from digitpad.gui.activations.map_detail_dialog import MapDetailDialog
from digitpad.gui.activations.preprocess_stages import PreprocessStagesView
from digitpad.gui.activations.saliency_view import SaliencyView
from digitpad.gui.activations.unit_dialog import UnitDialog
from digitpad.gui.state import AppState, LiveResult
from digitpad.gui.threads import Steps
from digitpad.gui.widgets.pixel_image_view import PixelImageView
from digitpad.gui.widgets.qimage_array import grey_to_qimage

COALESCE_MS = 10
FILTERS_SIDE_BY_SIDE = 820  # narrower panels stack learned filters above the playground
STAGES_IN_ONE_ROW = 700
TABS = ("layers", "filters", "saliency", "stages")


def _scrolling(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


class ActivationPanel(QWidget):
    """Layer activations, filters, saliency and preprocessing for the drawing."""

    modelShown = Signal()  # every view now shows the current model's layers

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Layer activations")
        self.state = state
        self._shown_model: Predictor | None = None
        self._rebuilding = Steps(self)  # a new model's cards, one per turn
        self._drawing = Steps(self)  # cards that came into view, one per turn
        self.cards: list[LayerCard] = []
        self.detail: MapDetailDialog | None = None
        self.unit_view: UnitDialog | None = None
        self._layers: list[dict[str, Any]] = []
        self._kernels: dict[str, np.ndarray] = {}
        self._result: LiveResult | None = None
        self._dirty: set[str] = set()

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
        self.layers_scroll = _scrolling(self.cards_box)
        self.layers_scroll.viewport().installEventFilter(self)
        self.cards_box.installEventFilter(self)
        self.layers_scroll.verticalScrollBar().valueChanged.connect(
            lambda _: self._render_stale_visible()
        )
        layers_tab = QWidget()
        layers_layout = QVBoxLayout(layers_tab)
        layers_layout.setContentsMargins(8, 8, 0, 0)
        layers_layout.addLayout(toolbar)
        layers_layout.addWidget(self.model_label)
        layers_layout.addWidget(self.layers_scroll, 1)

        self.filters = FiltersView()
        self.saliency = SaliencyView()
        self.stages = PreprocessStagesView()
        self.tabs = QTabWidget()
        self.tabs.addTab(layers_tab, "Layers")
        self.tabs.addTab(_scrolling(self.filters), "Filters")
        self.tabs.addTab(_scrolling(self.saliency), "Why this digit?")
        self.tabs.addTab(_scrolling(self.stages), "Preprocessing")
        self.tabs.currentChanged.connect(lambda _: self._render_current())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COALESCE_MS)
        self._timer.timeout.connect(self._render_current)
        self._resize_timer = QTimer(self)
        self._resize_timer.setSingleShot(True)
        self._resize_timer.setInterval(60)
        self._resize_timer.timeout.connect(self._configure_cards)
        self.scale_box.currentIndexChanged.connect(lambda _: self._configure_cards())
        self.size_box.currentIndexChanged.connect(lambda _: self._configure_cards())

        state.modelChanged.connect(self._model_changed)
        state.resultChanged.connect(self.set_result)
        if state.predictor is not None:  # its cards come in the next turns
            self._rebuilding.start(self._show_current_model())
        if state.result is not None:
            self.set_result(state.result)

    # ------------------------------------------------------------ inputs

    def _model_changed(self, _predictor: Predictor) -> None:
        # In turns of its own, after the other views: a card per turn (a compact
        # model's 14 cards took 80 ms in one go)
        self._rebuilding.start(self._show_current_model())

    def _show_current_model(self) -> Iterator[None]:
        predictor = self.state.predictor  # the newest, if several came meanwhile
        if predictor is not None and predictor is not self._shown_model:
            yield from self._rebuild(predictor)

    def set_model(self, predictor: Predictor) -> None:
        """Rebuild every view for a new model's layers and kernels, now."""
        self._rebuilding.cancel()
        for _ in self._rebuild(predictor):
            pass

    def _rebuild(self, predictor: Predictor) -> Iterator[None]:
        """The rebuild, a card or view per step; the same layers again (each epoch
        of "watch it learn") keep their cards, only the kernels and maps change."""
        self._shown_model = predictor
        for dialog in (self.detail, self.unit_view):
            if dialog is not None:
                dialog.close()
        self.detail = self.unit_view = None
        same_layers = bool(self.cards) and predictor.layers() == self._layers
        self._layers = predictor.layers()
        self._kernels = predictor.kernels()
        if same_layers:
            yield from self._refresh_views(predictor)
            return
        for card in self.cards:
            card.setParent(None)
            card.deleteLater()
        self.cards = []
        parameters = sum(int(layer.get("parameters", 0)) for layer in self._layers)
        architecture = predictor.metadata.get("architecture") or predictor.name
        self.model_label.setText(
            f"{architecture} · {len(self._layers)} layers · {parameters:,} parameters"
        )
        yield
        for layer in self._layers:
            card = LayerCard(layer, self._layers)
            card.mapClicked.connect(self.open_map)
            card.unitClicked.connect(self.open_unit)
            self.cards_layout.insertWidget(self.cards_layout.count() - 1, card)
            self.cards.append(card)
            self._configure_card(card)
            card.render()  # size its grid once so the layout is final
            yield
        yield from self._refresh_views(predictor)

    def _refresh_views(self, predictor: Predictor) -> Iterator[None]:
        self.filters.set_model(self._layers, self._kernels)
        yield
        self.saliency.set_model(predictor)
        self._dirty = set(TABS)
        self._schedule()
        self.modelShown.emit()

    def set_result(self, result: LiveResult) -> None:
        """A fresh prediction for the canvas; rendering is coalesced and lazy."""
        self._result = result
        self._dirty = set(TABS)
        self._schedule()

    def refresh(self) -> None:
        """Render the visible tab now (used by tests and the benchmark)."""
        self._timer.stop()
        self._render_current()

    def open_map(self, layer: str, index: int) -> MapDetailDialog:
        """Show map ``index`` of ``layer`` large, with its kernel, in a live dialog."""
        if self.detail is not None:
            self.detail.close()
        self.detail = MapDetailDialog(self._layers, self._kernels, layer, index, self)
        self.detail.unitClicked.connect(self.open_unit)
        self.detail.set_activations(self._activations())
        self.detail.show()
        return self.detail

    def open_unit(self, layer: str, unit: tuple[int, ...]) -> UnitDialog:
        """ "How this value is computed" for one unit, following the drawing."""
        if self.unit_view is not None:
            self.unit_view.close()
        predictor = self._shown_model
        network = predictor.unit_weights() if predictor is not None else None
        name = predictor.name if predictor is not None else "model"
        self.unit_view = UnitDialog(network, name, layer, tuple(unit), self)
        self.unit_view.set_activations(self._activations(), self._image())
        self.unit_view.show()
        return self.unit_view

    # ------------------------------------------------------------ rendering

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.filters.set_wide(self.width() >= FILTERS_SIDE_BY_SIDE)
        self.stages.set_wide(self.width() >= STAGES_IN_ONE_ROW)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._schedule()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            if watched is self.cards_box:  # cards moved: draw any that came into view
                self._render_stale_visible()
            else:
                self._resize_timer.start()
        return False

    def _schedule(self) -> None:
        if self._dirty and not self._timer.isActive():
            self._timer.start()

    def _activations(self) -> dict[str, np.ndarray]:
        prediction = self._result.prediction if self._result else None
        return prediction.activations if prediction is not None else {}

    def _image(self) -> np.ndarray | None:
        return self._result.preprocessed.image if self._result else None

    def _render_current(self) -> None:
        if not self.isVisible():
            return
        tab = TABS[self.tabs.currentIndex()]
        if tab not in self._dirty:
            return
        self._dirty.discard(tab)
        if tab == "layers":
            self._render_layers()
        elif tab == "filters":
            self.filters.set_result(self._image(), self._activations())
        elif tab == "saliency":
            self.saliency.set_image(self._image())
        else:
            stages = self._result.preprocessed.stages if self._result else {}
            self.stages.set_stages(stages)

    def _render_layers(self) -> None:
        activations = self._activations()
        image = self._image()
        if image is None:
            self.input_view.set_image(None, "Draw a digit")
        else:
            self.input_view.set_image(grey_to_qimage(image))
        visible = self._visible_area()
        for card in self.cards:
            card.set_activation(
                activations.get(card.name), render=visible.intersects(card.geometry())
            )
        if self.detail is not None and self.detail.isVisible():
            self.detail.set_activations(activations)
        if self.unit_view is not None and self.unit_view.isVisible():
            self.unit_view.set_activations(activations, image, now=False)

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

    def closeEvent(self, event: Any) -> None:
        self.saliency.stop()
        super().closeEvent(event)
