"""Live loss and accuracy curves (pyqtgraph), per batch and per epoch.

The x axis is in epochs (fractional within an epoch) so batch and epoch points share
one scale. Keras reports a batch's loss as the running mean since the epoch began, so
the thin batch curve settles within each epoch; the dots are the epoch results for the
training and the held-out validation data. Faint dashed lines show the last kept
model's epochs (``set_reference``), so "is this run doing better" shows as it runs.
This module holds the run's data and when plots are built, shown and re-ranged;
how a curve looks (colours, key, pyqtgraph items) is in ``curve_plots``.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from digitpad.core.training.progress import BatchProgress, EpochProgress
from digitpad.gui.threads import Steps
from digitpad.gui.training.curve_plots import (
    CURVES,
    add_curve,
    add_reference_curves,
    curves_of,
    legend_html,
    make_plot,
    show_x,
)


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
    """Two plots side by side: loss and accuracy, train (batches, epochs) and val.

    The plots are built a piece per event-loop turn (``Steps``) once the widget
    exists: pyqtgraph takes about 60 ms for both, which in one go froze start-up.
    Data that arrives before a curve exists is kept and drawn when it is built.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Training curves")
        self._series = {key: _Series() for key, *_ in CURVES}
        self._x_epochs: int | None = None
        self._items: dict[str, pg.PlotDataItem] = {}
        self._plots: dict[str, pg.PlotWidget] = {}
        self._reference: tuple[str, dict[str, list[float]]] | None = None
        self._reference_items: list[tuple[pg.PlotWidget, pg.PlotDataItem]] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.setSpacing(2)
        self._layout = QHBoxLayout()
        outer.addLayout(self._layout, 1)
        # one key under both plots: a legend inside a plot sat on its curves
        self.legend = QLabel(legend_html())
        self.legend.setAccessibleName("Curve key")
        self.legend.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # one line, no word wrap: a wrapping label would make the plots' height
        # a minimum (height-for-width) and squeeze the set-up above the tabs
        outer.addWidget(self.legend)
        self.setMinimumHeight(200)
        self._building = Steps(self)
        self._building.start(self._build())
        self._revealing = Steps(self)

    def sizeHint(self) -> QSize:
        """Modest, so a dock holding the curves does not crowd out the canvas."""
        return QSize(520, 280)

    @property
    def loss_plot(self) -> pg.PlotWidget:
        return self._plot("loss")

    @property
    def accuracy_plot(self) -> pg.PlotWidget:
        return self._plot("accuracy")

    def _plot(self, metric: str) -> pg.PlotWidget:
        self._building.finish()  # whoever asks for a plot gets it whole
        return self._plots[metric]

    def _build(self) -> Iterator[None]:
        for metric, title in (("loss", "Loss"), ("accuracy", "Accuracy")):
            self._plots[metric] = plot = make_plot(title, metric)
            plot.setYRange(0, 1, padding=0.02)  # the loss axis: then _fit_loss_range
            if metric == "accuracy":  # room for a whole marker at 100 %
                plot.getViewBox().setLimits(yMin=-0.05, yMax=1.06)
                plot.setYRange(0, 1, padding=0.05)
            if self._x_epochs is not None:
                show_x(plot, self._x_epochs)
            # shown by _reveal_when_visible in a turn of its own; its place is kept
            policy = plot.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            plot.setSizePolicy(policy)
            plot.hide()
            self._layout.addWidget(plot, 1)  # equal halves, whichever shows first
            yield
            for key, name, colour, width, symbol in curves_of(metric):
                xy = self._series[key].arrays()
                self._items[key] = add_curve(plot, xy, name, colour, width, symbol)
            self._fit_loss_range()
            yield
            self._warm_up(metric)
            yield
        self._draw_reference()
        self._reveal_when_visible()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._reveal_when_visible()

    def _reveal_when_visible(self) -> None:
        """Show the built plots one per turn once this widget is on screen.

        A plot's first paint at its real size lays out and labels its axes, title
        and legend: about 30 ms each. Shown with the panel, both plots' came on top
        of the panel's own first layout and paint, one 100 ms freeze when the
        Training panel first opened.
        """
        hidden = [plot for plot in self._plots.values() if plot.isHidden()]
        if hidden and self.isVisible() and not self._revealing.running:
            self._revealing.start(plot.show() for plot in hidden)

    def _warm_up(self, metric: str) -> None:
        """Paint the plot once off screen, with a few points, before any run.

        A plot's first paint with data (glyphs, symbol images, axis text) takes
        20-30 ms; paid here, in a step of its own, it no longer lands in the first
        epoch of the user's first run.
        """
        keys = [key for key, *_ in curves_of(metric)]
        if any(self._series[key].x for key in keys):
            return  # a run has begun: its own data will do
        for key in keys:
            self._items[key].setData([0.0, 0.5, 1.0], [0.9, 0.5, 0.2])
        self._plots[metric].grab()
        for key in keys:
            self._items[key].setData(*self._series[key].arrays())

    # ------------------------------------------------------------------ reference

    def set_reference(self, name: str, history: dict[str, list[float]] | None) -> None:
        """Show ``history`` (a kept model's per-epoch curves) faintly; None: none."""
        self._reference = (name, dict(history)) if history else None
        if not self._building.running:
            self._draw_reference()

    @property
    def reference_name(self) -> str | None:
        return self._reference[0] if self._reference else None

    def reference_values(self, key: str) -> list[float]:
        """The reference's per-epoch values of ``key`` ("loss", "val_accuracy"...)."""
        return list(self._reference[1].get(key, [])) if self._reference else []

    def _draw_reference(self) -> None:
        for plot, item in self._reference_items:
            plot.removeItem(item)  # and from its legend
        self._reference_items = []
        if self._reference is None:
            return
        name, history = self._reference
        for metric, plot in self._plots.items():
            for item in add_reference_curves(plot, metric, name, history):
                self._reference_items.append((plot, item))
        self._fit_loss_range()

    # ------------------------------------------------------------------ data

    def clear(self) -> None:
        for key, series in self._series.items():
            series.x.clear()
            series.y.clear()
            if key in self._items:
                self._items[key].setData([], [])
        self._x_epochs = None
        for metric, plot in self._plots.items():
            plot.setYRange(0, 1, padding=0.05 if metric == "accuracy" else 0.02)

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
        self._fit_loss_range()

    def _show_epochs(self, epochs: int) -> None:
        """Fix the x axis to the whole run once; setting it per chunk re-lays axes."""
        if self._x_epochs == epochs:
            return
        self._x_epochs = epochs
        for plot in self._plots.values():
            show_x(plot, epochs)

    def add_epoch(self, epoch: EpochProgress) -> None:
        x = [float(epoch.epoch)]
        self._extend("loss/epoch", x, [epoch.loss])
        self._extend("accuracy/epoch", x, [epoch.accuracy])
        if epoch.val_loss is not None and epoch.val_accuracy is not None:
            self._extend("loss/val", x, [epoch.val_loss])
            self._extend("accuracy/val", x, [epoch.val_accuracy])
        self._fit_loss_range()

    def _fit_loss_range(self) -> None:
        """Keep every loss point in view, from 0 up, changing the range seldom.

        pyqtgraph's auto-range moves the axis with every chunk of batches, and
        each move re-lays and re-labels the axis (about half of a redraw's cost).
        Here the range grows when a point would leave it and shrinks only when
        every point sits below 40% of it (a new run's smaller losses), so a run
        re-ranges once or twice.
        """
        plot = self._plots.get("loss")
        values = [self.values(key) for key in ("loss/batch", "loss/epoch", "loss/val")]
        values += [np.asarray(self.reference_values(k)) for k in ("loss", "val_loss")]
        values = [v for v in values if len(v)]
        if plot is None or not values:
            return
        top = float(max(v.max() for v in values))
        shown = plot.getViewBox().viewRange()[1][1]
        if top > shown or top < 0.4 * shown:
            plot.setYRange(0, max(top, 1e-6) * 1.15, padding=0)

    def _extend(self, key: str, xs: list[float], ys: list[float]) -> None:
        series = self._series[key]
        series.extend(xs, ys)
        if key in self._items:  # otherwise drawn when the curve is built
            self._items[key].setData(*series.arrays())

    def point_count(self, key: str = "loss/batch") -> int:
        """How many points a curve holds (``"loss/batch"``, ``"accuracy/val"``...)."""
        return len(self._series[key].x)

    def values(self, key: str) -> np.ndarray:
        """The y values of a curve, without the line breaks between epochs."""
        y = self._series[key].arrays()[1]
        return y[np.isfinite(y)]
