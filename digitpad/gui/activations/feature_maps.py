"""A layer's activations -> one colour image, and the widget that shows and picks maps.

Rendering is vectorised numpy: every map of a layer is normalised, enlarged and tiled
into one array in a handful of whole-array operations, coloured with a lookup table and
wrapped in a single QImage. A layer therefore costs one image, however many maps it has,
which keeps the viewer cheap enough to refresh on every stroke.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from digitpad.gui.widgets.qimage_array import argb_to_qimage

GAP = 2  # pixels between maps
TRANSPARENT = 0x00000000  # gaps and empty cells let the panel background through


def _lut(anchors: list[tuple[int, int, int]]) -> np.ndarray:
    """256 ARGB32 colours interpolated through ``anchors``."""
    points = np.linspace(0, 255, len(anchors))
    channels = np.asarray(anchors, dtype=np.float64).T
    r, g, b = (
        np.interp(np.arange(256), points, c).round().astype(np.uint32) for c in channels
    )
    return (0xFF000000 | (r << 16) | (g << 8) | b).astype(np.uint32)


# inferno for values >= 0: dark = silent, bright yellow = strongly active
SEQUENTIAL = _lut(
    [(0, 0, 4), (32, 12, 73), (86, 15, 109), (137, 34, 106), (187, 54, 84),
     (227, 89, 50), (249, 140, 9), (249, 201, 50), (252, 255, 164)]
)  # fmt: skip
# blue (negative) - black (zero) - orange (positive), for signed values such as weights
DIVERGING = _lut(
    [(120, 200, 255), (40, 110, 210), (15, 35, 80), (0, 0, 0),
     (90, 35, 10), (220, 100, 20), (255, 210, 120)]
)  # fmt: skip


@dataclass(frozen=True)
class GridLayout:
    """Where each map sits in a rendered grid, for hit-testing clicks."""

    count: int
    columns: int
    cell: QSize  # one map's size in pixels, without the gap
    gap: int

    def index_at(self, point: QPoint) -> int | None:
        col, x = divmod(point.x(), self.cell.width() + self.gap)
        row, y = divmod(point.y(), self.cell.height() + self.gap)
        if x >= self.cell.width() or y >= self.cell.height() or col >= self.columns:
            return None
        index = row * self.columns + col
        return index if 0 <= index < self.count else None

    def rect_of(self, index: int) -> QRect:
        row, col = divmod(index, self.columns)
        step_x, step_y = self.cell.width() + self.gap, self.cell.height() + self.gap
        return QRect(col * step_x, row * step_y, self.cell.width(), self.cell.height())


def as_maps(activation: np.ndarray) -> np.ndarray:
    """(H, W, C) -> (C, H, W); a vector (N,) -> N maps of 1x1 (a heat strip)."""
    a = np.asarray(activation, dtype=np.float32)
    if a.ndim == 3:
        return np.moveaxis(a, -1, 0)
    return a.reshape(-1, 1, 1)


def colour_indices(maps: np.ndarray, per_map: bool) -> tuple[np.ndarray, bool]:
    """Maps -> uint8 lookup indices; signed data is centred on zero (diverging)."""
    signed = bool(maps.min(initial=0.0) < 0)
    magnitude = np.abs(maps) if signed else maps
    if per_map:
        scale = magnitude.reshape(len(maps), -1).max(axis=1)[:, None, None]
    else:
        scale = np.float32(magnitude.max(initial=0.0))
    scale = np.where(scale > 0, scale, 1.0).astype(np.float32)
    unit = maps / scale
    if signed:
        unit = (unit + 1.0) * 0.5
    return np.clip(unit * 255.0 + 0.5, 0, 255).astype(np.uint8), signed


def tile_maps(
    maps: np.ndarray, columns: int, zoom: int, lut: np.ndarray, gap: int = GAP
) -> tuple[np.ndarray, GridLayout]:
    """(C, H, W) uint8 indices -> one ARGB32 array with the maps in a grid."""
    count, h, w = maps.shape
    columns = max(1, min(columns, count))
    rows = -(-count // columns)
    columns = -(-count // rows)  # balance the rows: 11+11+10 rather than 13+13+6
    big = maps.repeat(zoom, axis=1).repeat(zoom, axis=2) if zoom > 1 else maps
    ch, cw = h * zoom, w * zoom
    padded = np.full((rows * columns, ch + gap, cw + gap), TRANSPARENT, np.uint32)
    padded[:count, :ch, :cw] = lut[big]
    grid = padded.reshape(rows, columns, ch + gap, cw + gap).swapaxes(1, 2)
    image = grid.reshape(rows * (ch + gap), columns * (cw + gap))[
        : -gap or None, : -gap or None
    ]
    return np.ascontiguousarray(image), GridLayout(count, columns, QSize(cw, ch), gap)


class FeatureMapGrid(QWidget):
    """Shows one layer's maps as a single image; a click on a map reports its index."""

    mapClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image = QImage()
        self._layout: GridLayout | None = None
        self._hover: int | None = None
        self.setMouseTracking(True)
        # as wide as its image, but never what makes a card wider than the dock: a
        # card out of view keeps the image of an older, wider dock until it is
        # scrolled in and drawn anew for the width there is now
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return self._image.size() if not self._image.isNull() else QSize(0, 0)

    def minimumSizeHint(self) -> QSize:
        cell = self._layout.cell.width() if self._layout is not None else 0
        return QSize(min(cell, self._image.width()), self._image.height())

    @property
    def grid_layout(self) -> GridLayout | None:
        return self._layout

    @property
    def image(self) -> QImage:
        return self._image

    def set_maps(
        self, maps: np.ndarray, columns: int, zoom: int, per_map: bool, gap: int = GAP
    ) -> bool:
        """Render (C, H, W) float maps; returns whether the data was signed."""
        indices, signed = colour_indices(maps, per_map)
        lut = DIVERGING if signed else SEQUENTIAL
        argb, layout = tile_maps(indices, columns, zoom, lut, gap)
        self._image = argb_to_qimage(argb)
        if layout != self._layout:
            self._layout = layout
            self.updateGeometry()
        self.update()
        return signed

    def map_center(self, index: int) -> QPoint:
        """Where map ``index`` is drawn (for tests and accessibility tools)."""
        assert self._layout is not None
        return self._layout.rect_of(index).center()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.drawImage(0, 0, self._image)
        if self._hover is not None and self._layout is not None:
            painter.setPen(QColor(255, 255, 255))
            painter.drawRect(self._layout.rect_of(self._hover).adjusted(-1, -1, 0, 0))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = (
            self._layout.index_at(event.position().toPoint()) if self._layout else None
        )
        if index != self._hover:
            self._hover = index
            self.setCursor(
                Qt.CursorShape.PointingHandCursor
                if index is not None
                else Qt.CursorShape.ArrowCursor
            )
            self.update()

    def leaveEvent(self, event: object) -> None:
        self._hover = None
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._layout is None:
            return
        index = self._layout.index_at(event.position().toPoint())
        if index is not None:
            self.mapClicked.emit(index)
