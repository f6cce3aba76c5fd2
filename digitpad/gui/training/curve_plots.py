"""How the training curves look: their colours, key, plots and pyqtgraph items.

Kept apart from ``training_curves`` (which holds the run's data and decides when
plots are built, shown and re-ranged) so that the styling of a curve, the key
under the plots and the faint "last kept model" lines are read in one place and
the live widget is only about data flow.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt

TRAIN_COLOUR = (31, 119, 180)
VAL_COLOUR = (255, 127, 14)
REFERENCE_ALPHA = 90  # the last kept model's curves: there, but behind this run's
# key, legend name, colour, pen width, symbol (None: a line of batches)
CURVES = tuple(
    curve
    for metric in ("loss", "accuracy")
    for curve in (
        (f"{metric}/batch", "train (batches)", TRAIN_COLOUR, 1, None),
        (f"{metric}/epoch", "train (epochs)", TRAIN_COLOUR, 2, "o"),
        (f"{metric}/val", "validation", VAL_COLOUR, 2, "s"),
    )
)
X_MARGIN = 0.05  # of the run's epochs, beyond its end: the last markers show whole


def curves_of(metric: str) -> list[tuple]:
    """The ``CURVES`` rows of one plot ("loss" or "accuracy")."""
    return [curve for curve in CURVES if curve[0].startswith(f"{metric}/")]


def show_x(plot: pg.PlotWidget, epochs: int) -> None:
    """Epoch 0 to ``epochs``, with room for a whole marker at either end."""
    plot.setXRange(-X_MARGIN * epochs, (1 + X_MARGIN) * epochs, padding=0)


def legend_html() -> str:
    """The curves' key, drawn with the curves' own colours and symbols."""

    def swatch(colour: tuple[int, int, int], glyph: str, text: str) -> str:
        rgb = "#{:02x}{:02x}{:02x}".format(*colour)
        return f"<span style='color:{rgb}'>{glyph}</span>&nbsp;{text}"

    names = {"o": "●", "s": "■", None: "—"}
    parts = [
        swatch(colour, names[symbol], name)
        for _key, name, colour, _width, symbol in curves_of("loss")
    ]
    return " &nbsp;&nbsp; ".join(parts)


def make_plot(title: str, label: str) -> pg.PlotWidget:
    """An empty, fixed (no mouse, no menu) plot with its title and axis labels."""
    plot = pg.PlotWidget(background=None)
    plot.setTitle(title)
    plot.setLabel("bottom", "epoch")
    plot.setLabel("left", label)
    plot.setMenuEnabled(False)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    plot.setAccessibleName(f"{title} curve")
    return plot


def add_curve(
    plot: pg.PlotWidget,
    xy: tuple,
    name: str,
    colour: tuple[int, int, int],
    width: int,
    symbol: str | None,
) -> pg.PlotDataItem:
    """One of this run's curves: a faint line of batches or epoch markers."""
    pen = pg.mkPen(colour + ((110,) if symbol is None else ()), width=width)
    return plot.plot(
        *xy,
        name=name,
        pen=pen,
        symbol=symbol,
        symbolSize=7,
        symbolBrush=pg.mkBrush(colour),
        symbolPen=None,
        connect="finite",
    )


def add_reference_curves(
    plot: pg.PlotWidget, metric: str, name: str, history: dict[str, list[float]]
) -> list[pg.PlotDataItem]:
    """The kept model ``name``'s per-epoch ``metric`` (train, validation), dashed
    and faint behind this run's curves."""
    items = []
    for key, colour, label in (
        (metric, TRAIN_COLOUR, "train"),
        (f"val_{metric}", VAL_COLOUR, "validation"),
    ):
        values = history.get(key)
        if not values:
            continue
        pen = pg.mkPen((*colour, REFERENCE_ALPHA), width=2, style=Qt.PenStyle.DashLine)
        item = plot.plot(
            list(range(1, len(values) + 1)),
            values,
            name=f"{label}, last kept",
            pen=pen,
        )
        item.setZValue(-1)
        item.setToolTip(f"{name}: {label} {metric} per epoch")
        items.append(item)
    return items
