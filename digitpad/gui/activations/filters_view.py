"""Learned first-layer filters beside classic hand-made ones, on the same input.

Left: the kernels the network learned in its first convolution, and what the selected
one responds to in the current digit (straight from the live activations). Right: the
"filter playground", Sobel edges, blur, sharpen, emboss and friends, applied with the
same sliding-window arithmetic to the same 28x28 input, so a student can see that the
network learned edge- and stroke-detectors much like the ones people design by hand.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.preprocess.filters import HANDMADE_FILTERS
from digitpad.gui.activations.feature_maps import FeatureMapGrid
from digitpad.gui.activations.kernel_view import KernelView
from digitpad.gui.activations.map_detail_dialog import map_image
from digitpad.gui.widgets.pixel_image_view import PixelImageView

PLAYGROUND_COLUMNS = 2


def first_conv(
    layers: list[dict[str, Any]], kernels: dict[str, np.ndarray]
) -> str | None:
    """The first convolution that reads the image itself (one input channel)."""
    for layer in layers:
        kernel = kernels.get(layer["name"])
        if (
            layer.get("kind") == "Conv2D"
            and kernel is not None
            and kernel.shape[2] == 1
        ):
            return str(layer["name"])
    return None


def _muted(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(placeholder-text);")
    return label


class LearnedFiltersView(QGroupBox):
    """The first conv layer's kernels; click one to see its response to the digit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Learned filters", parent)
        self.setAccessibleName("Learned filters")
        self.layer: str | None = None
        self.selected = 0
        self._kernels: np.ndarray | None = None  # (count, kh, kw)
        self._response: np.ndarray | None = None
        self.summary = _muted("")
        self.grid = FeatureMapGrid()
        self.grid.setAccessibleName("Learned kernels")
        self.grid.mapClicked.connect(self.select)
        self.kernel_view = KernelView(cell=40)
        self.response_view = PixelImageView(120)
        self.selection_label = QLabel()
        self.selection_label.setWordWrap(True)
        detail = QHBoxLayout()
        detail.setSpacing(16)
        detail.addWidget(self.kernel_view, 0, Qt.AlignmentFlag.AlignTop)
        detail.addWidget(self.response_view, 0, Qt.AlignmentFlag.AlignTop)
        detail.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(self.summary)
        layout.addWidget(self.grid)
        layout.addWidget(self.selection_label)
        layout.addLayout(detail)
        layout.addStretch(1)
        self.set_model([], {})

    def set_model(
        self, layers: list[dict[str, Any]], kernels: dict[str, np.ndarray]
    ) -> None:
        """Show the first conv layer's kernels of a (new) model."""
        self.layer = first_conv(layers, kernels)
        self._response = None
        if self.layer is None:
            self._kernels = None
            self.summary.setText("This model has no convolution on the image to show.")
            self.grid.hide()
            self.kernel_view.hide()
            self.response_view.hide()
            self.selection_label.hide()
            return
        kernel = kernels[self.layer]
        self._kernels = np.moveaxis(kernel[:, :, 0, :], -1, 0)
        count, kh, kw = self._kernels.shape
        self.summary.setText(
            f"The {count} {kh}×{kw} filters of <b>{self.layer}</b>, as learned in "
            "training: orange weights are positive, blue negative. Click one."
        )
        self.grid.set_maps(self._kernels, 8, max(1, 36 // kh), False, gap=4)
        for widget in (self.grid, self.kernel_view, self.response_view):
            widget.show()
        self.selection_label.show()
        self.select(0)

    def set_activations(self, activations: dict[str, np.ndarray]) -> None:
        self._response = activations.get(self.layer) if self.layer else None
        self._draw_response()

    def select(self, index: int) -> None:
        if self._kernels is None:
            return
        self.selected = index
        self.kernel_view.set_kernel(self._kernels[index])
        self.selection_label.setText(
            f"<b>Filter {index + 1}</b> and where it fires on your digit:"
        )
        self._draw_response()

    def _draw_response(self) -> None:
        if self._response is None or self._kernels is None:
            self.response_view.set_image(None, "Draw a digit")
            return
        self.response_view.set_image(map_image(self._response[..., self.selected]))


class FilterPlayground(QGroupBox):
    """Every hand-made filter applied to the current 28x28 input."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Filter playground", parent)
        self.setAccessibleName("Filter playground")
        self.outputs: dict[str, PixelImageView] = {}
        self._image: np.ndarray | None = None
        grid = QGridLayout()
        grid.setHorizontalSpacing(20)
        grid.setVerticalSpacing(14)
        for number, (name, handmade) in enumerate(HANDMADE_FILTERS.items()):
            kernel = KernelView(cell=26)
            kernel.set_kernel(handmade.kernel)
            output = PixelImageView(78)
            output.setAccessibleName(handmade.title)
            output.setToolTip(handmade.description)
            kernel.setToolTip(handmade.description)
            cell = QVBoxLayout()
            cell.setSpacing(4)
            cell.addWidget(QLabel(f"<b>{handmade.title}</b>"))
            pair = QHBoxLayout()
            pair.setSpacing(10)
            pair.addWidget(kernel, 0, Qt.AlignmentFlag.AlignVCenter)
            pair.addWidget(QLabel("→"))
            pair.addWidget(output)
            pair.addStretch(1)
            cell.addLayout(pair)
            row, column = divmod(number, PLAYGROUND_COLUMNS)
            grid.addLayout(cell, row, column)
            self.outputs[name] = output
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(
            _muted(
                "Classic filters designed by hand, slid over the same 28×28 input the "
                "network sees. Compare them with the learned filters."
            )
        )
        layout.addLayout(grid)
        layout.addStretch(1)
        self.set_image(None)

    def set_image(self, image28: np.ndarray | None) -> None:
        """Refilter the network's current input (None: no digit)."""
        self._image = image28
        for name, view in self.outputs.items():
            if image28 is None:
                view.set_image(None, "Draw a digit")
            else:
                view.set_image(map_image(HANDMADE_FILTERS[name].apply(image28)))


class FiltersView(QWidget):
    """Learned filters and the playground side by side."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.learned = LearnedFiltersView()
        self.playground = FilterPlayground()
        self._layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._layout.setContentsMargins(12, 12, 12, 12)
        self._layout.setSpacing(12)
        self._layout.addWidget(self.learned, 1)
        self._layout.addWidget(self.playground, 1)

    def set_wide(self, wide: bool) -> None:
        """Side by side when there is room, learned above hand-made otherwise."""
        direction = (
            QBoxLayout.Direction.LeftToRight
            if wide
            else QBoxLayout.Direction.TopToBottom
        )
        if self._layout.direction() != direction:
            self._layout.setDirection(direction)

    def set_model(
        self, layers: list[dict[str, Any]], kernels: dict[str, np.ndarray]
    ) -> None:
        self.learned.set_model(layers, kernels)

    def set_result(
        self, image28: np.ndarray | None, activations: dict[str, np.ndarray]
    ) -> None:
        self.learned.set_activations(activations)
        self.playground.set_image(image28)
