"""A clicked feature map, large, beside the learned filter (kernel) that produced it.

Maps of batch-norm, ReLU and pooling layers come from the convolution before them, one
channel to one channel, so their kernel is that convolution's filter with the same
index. The dialog is not modal and follows the drawing live while it stays open. A
click on a pixel of the map asks for "How this value is computed" for that unit.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from digitpad.gui.activations.feature_maps import (
    DIVERGING,
    SEQUENTIAL,
    FeatureMapGrid,
    colour_indices,
)
from digitpad.gui.activations.kernel_view import KernelView
from digitpad.gui.widgets.pixel_image_view import PixelImageView
from digitpad.gui.widgets.qimage_array import argb_to_qimage

_CHANNEL_PRESERVING = ("BatchNormalization", "ReLU", "Activation", "MaxPooling2D")


def producing_conv(layers: list[dict[str, Any]], name: str) -> str | None:
    """The Conv2D whose filter ``i`` makes map ``i`` of layer ``name`` (or None)."""
    names = [layer["name"] for layer in layers]
    if name not in names:
        return None
    position = names.index(name)
    channels = layers[position]["output_shape"][-1]
    for layer in reversed(layers[: position + 1]):
        kind = layer.get("kind")
        if layer["output_shape"][-1] != channels:
            return None
        if kind == "Conv2D":
            return str(layer["name"])
        if kind not in _CHANNEL_PRESERVING:
            return None
    return None


def map_image(activation_map: np.ndarray) -> Any:
    """One (H, W) map coloured like the grid (own scale)."""
    indices, signed = colour_indices(activation_map[None], per_map=True)
    lut = DIVERGING if signed else SEQUENTIAL
    return argb_to_qimage(lut[indices[0]])


class MapDetailDialog(QDialog):
    """Map ``index`` of layer ``name`` enlarged, with its kernel; steps through maps.

    ``unitClicked(layer, (row, column, map))`` when a pixel of the map is clicked.
    """

    unitClicked = Signal(str, object)

    def __init__(
        self,
        layers: list[dict[str, Any]],
        kernels: dict[str, np.ndarray],
        name: str,
        index: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName("Feature map detail")
        self._layers = layers
        self._kernels = kernels
        self.layer = next(layer for layer in layers if layer["name"] == name)
        self.count = int(self.layer["output_shape"][-1])
        self.index = index
        self._activations: dict[str, np.ndarray] = {}

        self.map_view = PixelImageView(308)
        self.map_view.setAccessibleName("Feature map")
        self.map_view.setToolTip("Click a pixel to see how its value is computed")
        self.map_view.pixelClicked.connect(
            lambda row, col: self.unitClicked.emit(
                self.layer["name"], (row, col, self.index)
            )
        )
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.kernel_title = QLabel()
        self.kernel_title.setWordWrap(True)
        self.kernel_view = KernelView(cell=56)
        self.kernel_grid = FeatureMapGrid()
        self.kernel_note = QLabel()
        self.kernel_note.setWordWrap(True)
        self.kernel_note.setStyleSheet("color: palette(placeholder-text);")

        kernel_box = QVBoxLayout()
        kernel_box.setSpacing(8)
        kernel_box.addWidget(self.kernel_title)
        kernel_box.addWidget(self.kernel_view)
        kernel_box.addWidget(self.kernel_grid)
        kernel_box.addWidget(self.kernel_note)
        kernel_box.addStretch(1)
        content = QGridLayout()
        content.setHorizontalSpacing(24)
        content.addWidget(self.map_view, 0, 0)
        content.addLayout(kernel_box, 0, 1)
        content.addWidget(self.caption, 1, 0, 1, 2)

        self.previous_button = QPushButton("◀ Previous map")
        self.next_button = QPushButton("Next map ▶")
        self.previous_button.clicked.connect(lambda: self.show_map(self.index - 1))
        self.next_button.clicked.connect(lambda: self.show_map(self.index + 1))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.previous_button)
        row.addWidget(self.next_button)
        row.addStretch(1)
        row.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.setSpacing(12)
        layout.addLayout(content)
        layout.addLayout(row)
        self.show_map(index)

    def set_activations(self, activations: dict[str, np.ndarray]) -> None:
        """Follow the live drawing: redraw the current map from fresh activations."""
        self._activations = activations
        self._draw_map()

    def show_map(self, index: int) -> None:
        self.index = index % self.count
        name = self.layer["name"]
        self.setWindowTitle(f"{name}: map {self.index + 1} of {self.count}")
        self.previous_button.setEnabled(self.count > 1)
        self.next_button.setEnabled(self.count > 1)
        self._draw_map()
        self._draw_kernel()

    def _draw_map(self) -> None:
        activation = self._activations.get(self.layer["name"])
        if activation is None:
            self.map_view.set_image(None, "Draw a digit to see this map")
            self.caption.setText("")
            return
        current = np.asarray(activation)[..., self.index]
        self.map_view.set_image(map_image(current))
        h, w = current.shape
        self.caption.setText(
            f"<b>{self.layer['name']}</b>, map {self.index + 1} of {self.count} "
            f"({h}×{w}): values {current.min():.2f} … {current.max():.2f}. "
            "Bright means the filter's pattern is strongly present at that spot."
        )

    def _draw_kernel(self) -> None:
        conv = producing_conv(self._layers, self.layer["name"])
        kernel = self._kernels.get(conv) if conv else None
        if kernel is None or kernel.ndim != 4 or self.index >= kernel.shape[-1]:
            self.kernel_title.setText("<b>No single filter</b>")
            self.kernel_view.hide()
            self.kernel_grid.hide()
            self.kernel_note.setText(
                "This map is not made by one convolution filter (for example it adds "
                "a shortcut to a block's output), so there is no kernel to show."
            )
            return
        weights = kernel[..., self.index]  # (kh, kw, in)
        kh, kw, inputs = weights.shape
        via = "" if conv == self.layer["name"] else f" (then {self.layer['kind']})"
        self.kernel_title.setText(
            f"<b>Filter {self.index + 1} of {conv}</b>{via}: {kh}×{kw}×{inputs} weights"
        )
        if inputs == 1:
            self.kernel_view.set_kernel(weights[..., 0])
            self.kernel_view.show()
            self.kernel_grid.hide()
            self.kernel_note.setText(
                "The filter slides over the 28×28 input; where the image looks like "
                "its orange (positive) cells and not its blue (negative) ones, the map "
                "lights up."
            )
        else:
            self.kernel_view.hide()
            columns = int(np.ceil(np.sqrt(inputs)))
            self.kernel_grid.set_maps(
                np.moveaxis(weights, -1, 0), columns, max(1, 30 // kh), False, gap=4
            )
            self.kernel_grid.show()
            self.kernel_note.setText(
                f"One {kh}×{kw} patch per input map ({inputs} of them, from the layer "
                "before); the filter adds up all their responses. Blue weights are "
                "negative, orange positive."
            )
