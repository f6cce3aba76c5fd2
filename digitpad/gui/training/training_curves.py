"""Live loss and accuracy curves (pyqtgraph), per batch and per epoch.

The x axis is in epochs (fractional within an epoch) so batch and epoch points share
one scale. Keras reports a batch's loss as the running mean since the epoch began, so
the thin batch curve settles within each epoch; the dots are the epoch results for the
training and the held-out validation data.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QHBoxLayout, QWidget

from digitpad.core.training import BatchProgress, EpochProgress

TRAIN_COLOUR = (31, 119, 180)
VAL_COLOUR = (255, 127, 14)


class _Series:
    """A growing (x, y) series backed by numpy arrays."""

    def __init__(self) -> None:
        self.x: list[float] = []
        self.y: list[float] = []

    def extend(self, xs: list[float], ys: list[float]) -> None:
        self.x.extend(xs)
        self.y.extend(ys)

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        return np.asarray(self.x, float), np.asarray(self.y, float)


class TrainingCurves(QWidget):
    """Two plots side by side: loss and accuracy, train (batches, epochs) and val."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Training curves")
        self.loss_plot = self._make_plot("Loss", "loss")
        self.accuracy_plot = self._make_plot("Accuracy", "accuracy")
        self.accuracy_plot.setYRange(0, 1, padding=0.02)
        self.accuracy_plot.getViewBox().setLimits(yMin=-0.05, yMax=1.05)
        self._series: dict[str, _Series] = {}
        self._x_epochs: int | None = None
        self._items: dict[str, pg.PlotDataItem] = {}
        for plot, metric in (
            (self.loss_plot, "loss"),
            (self.accuracy_plot, "accuracy"),
        ):
            self._add(plot, f"{metric}/batch", "train (batches)", TRAIN_COLOUR, 1, None)
            self._add(plot, f"{metric}/epoch", "train (epochs)", TRAIN_COLOUR, 2, "o")
            self._add(plot, f"{metric}/val", "validation", VAL_COLOUR, 2, "s")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.loss_plot)
        layout.addWidget(self.accuracy_plot)
        self.setMinimumHeight(200)

    def sizeHint(self) -> QSize:
        """Modest, so a dock holding the curves does not crowd out the canvas."""
        return QSize(520, 280)

    def _make_plot(self, title: str, label: str) -> pg.PlotWidget:
        plot = pg.PlotWidget(background=None)
        plot.setTitle(title)
        plot.setLabel("bottom", "epoch")
        plot.setLabel("left", label)
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        plot.hideButtons()
        plot.addLegend(offset=(-8, 8) if label == "loss" else (-8, -8))
        plot.setAccessibleName(f"{title} curve")
        return plot

    def _add(self, plot, key, name, colour, width, symbol) -> None:
        pen = pg.mkPen(colour + ((110,) if symbol is None else ()), width=width)
        item = plot.plot(
            [],
            [],
            name=name,
            pen=pen,
            symbol=symbol,
            symbolSize=7,
            symbolBrush=pg.mkBrush(colour),
            symbolPen=None,
            connect="finite",
        )
        self._series[key] = _Series()
        self._items[key] = item

    # ------------------------------------------------------------------ data

    def clear(self) -> None:
        for key, series in self._series.items():
            series.x.clear()
            series.y.clear()
            self._items[key].setData([], [])
        self._x_epochs = None
        self.accuracy_plot.setYRange(0, 1, padding=0.02)

    def add_batches(self, batches: list[BatchProgress]) -> None:
        """Append a chunk of batch reports (one redraw per chunk, not per batch)."""
        if not batches:
            return
        xs, losses, accuracies = [], [], []
        for b in batches:
            if b.batch == 1 and self.point_count() + len(xs):
                # Keras restarts its running mean each epoch: break the line there.
                xs.append(b.epoch - 1.0)
                losses.append(np.nan)
                accuracies.append(np.nan)
            xs.append(b.epoch - 1 + b.batch / b.batches)
            losses.append(b.loss)
            accuracies.append(b.accuracy)
        self._extend("loss/batch", xs, losses)
        self._extend("accuracy/batch", xs, accuracies)
        self._show_epochs(batches[-1].epochs)

    def _show_epochs(self, epochs: int) -> None:
        """Fix the x axis to the whole run once; setting it per chunk re-lays axes."""
        if self._x_epochs == epochs:
            return
        self._x_epochs = epochs
        self.loss_plot.setXRange(0, epochs, padding=0.01)
        self.accuracy_plot.setXRange(0, epochs, padding=0.01)

    def add_epoch(self, epoch: EpochProgress) -> None:
        x = [float(epoch.epoch)]
        self._extend("loss/epoch", x, [epoch.loss])
        self._extend("accuracy/epoch", x, [epoch.accuracy])
        if epoch.val_loss is not None and epoch.val_accuracy is not None:
            self._extend("loss/val", x, [epoch.val_loss])
            self._extend("accuracy/val", x, [epoch.val_accuracy])

    def _extend(self, key: str, xs: list[float], ys: list[float]) -> None:
        series = self._series[key]
        series.extend(xs, ys)
        self._items[key].setData(*series.arrays())

    def point_count(self, key: str = "loss/batch") -> int:
        """How many points a curve holds (``"loss/batch"``, ``"accuracy/val"``...)."""
        return len(self._series[key].x)

    def values(self, key: str) -> np.ndarray:
        """The y values of a curve, without the line breaks between epochs."""
        y = self._series[key].arrays()[1]
        return y[np.isfinite(y)]
