"""The layer-activation viewer: see inside the network, live, for the drawn digit.

Composition only: it listens to ``AppState`` and feeds four tabs, the per-layer cards,
the learned/hand-made filters, the saliency overlay and the preprocessing stages. Every
activation comes from the one prediction the app already made (no second model, no
per-layer re-run). Updates are coalesced by a short single-shot timer and only the
visible tab is rendered; hidden tabs catch up when they are shown. The Layers tab's
column of cards (controls, drawing only what is in view) is ``layers_tab``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from digitpad.core.models.inference import Predictor
from digitpad.gui.activations.filters_view import FiltersView
from digitpad.gui.activations.layers_tab import LayersTab, scrolling
from digitpad.gui.activations.map_detail_dialog import MapDetailDialog
from digitpad.gui.activations.preprocess_stages import PreprocessStagesView
from digitpad.gui.activations.saliency_view import SaliencyView
from digitpad.gui.activations.unit_dialog import UnitDialog
from digitpad.gui.state import AppState, LiveResult
from digitpad.gui.threads import Steps

COALESCE_MS = 10
FILTERS_SIDE_BY_SIDE = 820  # narrower panels stack learned filters above the playground
STAGES_IN_ONE_ROW = 700
TABS = ("layers", "filters", "saliency", "stages")


class ActivationPanel(QWidget):
    """Layer activations, filters, saliency and preprocessing for the drawing."""

    modelShown = Signal()  # every view now shows the current model's layers

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Layer activations")
        self.state = state
        self._shown_model: Predictor | None = None
        self._rebuilding = Steps(self)  # a new model's cards, one per turn
        self.detail: MapDetailDialog | None = None
        self.unit_view: UnitDialog | None = None
        self._layers: list[dict[str, Any]] = []
        self._kernels: dict[str, np.ndarray] = {}
        self._result: LiveResult | None = None
        self._dirty: set[str] = set()

        self.layers = LayersTab()
        self.layers.mapClicked.connect(self.open_map)
        self.layers.unitClicked.connect(self.open_unit)
        self.filters = FiltersView()
        self.saliency = SaliencyView()
        self.stages = PreprocessStagesView()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.layers, "Layers")
        self.tabs.addTab(scrolling(self.filters), "Filters")
        self.tabs.addTab(scrolling(self.saliency), "Why this digit?")
        self.tabs.addTab(scrolling(self.stages), "Preprocessing")
        self.tabs.currentChanged.connect(lambda _: self._render_current())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COALESCE_MS)
        self._timer.timeout.connect(self._render_current)

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
        same_layers = bool(self.layers.cards) and predictor.layers() == self._layers
        self._layers = predictor.layers()
        self._kernels = predictor.kernels()
        if same_layers:
            yield from self._refresh_views(predictor)
            return
        architecture = predictor.metadata.get("architecture") or predictor.name
        yield from self.layers.build_cards(self._layers, architecture)
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
        self.layers.show_result(image, activations)
        if self.detail is not None and self.detail.isVisible():
            self.detail.set_activations(activations)
        if self.unit_view is not None and self.unit_view.isVisible():
            self.unit_view.set_activations(activations, image, now=False)

    def closeEvent(self, event: Any) -> None:
        self.saliency.stop()
        super().closeEvent(event)
