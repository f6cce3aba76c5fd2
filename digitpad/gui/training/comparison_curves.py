"""Per-epoch curves of two to four models overlaid: one colour per model.

Loss and accuracy side by side, as in the training curves; training as a solid
line, validation dashed (no symbols: a scatter item's first paint alone took up to
200 ms on a loaded machine). A plot's first build and paint
costs about 30 ms and adding a curve 5-20 ms, so each plot is built and each
curve added in an event-loop turn of its own (``Steps``), with the axes ranged once
per model rather than by auto-range per curve; a model without history draws
nothing and the caption says so.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from digitpad.core.models.model_facts import ModelFacts
from digitpad.gui.threads import Steps

MODEL_COLOURS = ((31, 119, 180), (214, 39, 40), (44, 160, 44), (148, 103, 189))
LETTERS = "ABCD"
# plot, history key, line style, symbol, legend label
_CURVES = tuple(
    (metric, key, style, symbol, label)
    for metric in ("loss", "accuracy")
    for key, style, symbol, label in (
        ("{metric}", Qt.SolidLine, None, "train"),
        ("val_{metric}", Qt.DashLine, None, "val"),
    )
)


class ComparisonCurves(QWidget):
    """Loss and accuracy per epoch, every model's train and validation curves."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Compared training curves")
        self.plots: dict[str, pg.PlotWidget] = {}
        self._pending: list[tuple[int, ModelFacts]] = []
        self._drawn: dict[int, int] = {}  # model index -> curves drawn
        self._lacking: dict[int, str] = {}
        self._extent: dict[str, list[float]] = {"loss": [], "accuracy": []}
        self._epochs = 0
        self.note = QLabel(wordWrap=True)
        self.note.setAccessibleName("What the curves lack")
        self._row = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._row, 1)
        layout.addWidget(self.note)
        self._steps = Steps(self)
        self._steps.start(self._build())

    def _build(self) -> Iterator[None]:
        for metric, title in (("loss", "Loss"), ("accuracy", "Accuracy")):
            # no context menus: the view box's alone is a fifth of the plot's build
            plot = pg.PlotWidget(background=None, enableMenu=False)
            plot.setTitle(title)
            plot.setLabel("bottom", "epoch")
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            plot.disableAutoRange()  # set once per model: each re-range re-lays axes
            plot.addLegend(offset=(-8, 8) if metric == "loss" else (-8, -8))
            plot.setAccessibleName(f"Compared {title.lower()} curves")
            self.plots[metric] = plot
            self._row.addWidget(plot, 1)
            yield
        yield from self._build_rest()

    def add_model(self, index: int, facts: ModelFacts) -> None:
        """Draw one model's curves (in later steps: one curve per event-loop turn)."""
        if facts.lacks and not facts.history:
            self._lacking[index] = f"{LETTERS[index]} has {facts.lacks[0]}."
            self._update_note()
        self._pending.append((index, facts))
        if not self._steps.running:
            self._steps.start(self._build_rest())

    def _build_rest(self) -> Iterator[None]:
        while self._pending:
            index, facts = self._pending.pop(0)
            self._drawn[index] = 0
            for metric, key, style, symbol, label in _CURVES:
                values = facts.history.get(key.format(metric=metric))
                if values:
                    self._draw(index, metric, values, style, symbol, label)
                    yield
            self._fit_ranges()
            yield

    def curve_count(self, index: int) -> int:
        """How many curves of model ``index`` are drawn (tests, captions)."""
        return self._drawn.get(index, 0)

    def _draw(self, index, metric, values, style, symbol, label) -> None:
        colour = MODEL_COLOURS[index % len(MODEL_COLOURS)]
        self.plots[metric].plot(
            list(range(1, len(values) + 1)),
            values,
            name=f"{LETTERS[index]} {label}",
            pen=pg.mkPen(colour, width=2, style=style),
            symbol=symbol,
            symbolSize=6,
            symbolBrush=pg.mkBrush(colour),
            symbolPen=None,
        )
        self._drawn[index] += 1
        self._extent[metric].extend(values)
        self._epochs = max(self._epochs, len(values))

    def _fit_ranges(self) -> None:
        """Every drawn point in view: x over the longest history, y over the values."""
        for metric, values in self._extent.items():
            if values:
                low, high = min(values), max(values)
                if metric == "loss":
                    low = 0.0
                pad = (high - low) * 0.05 or 0.01
                self.plots[metric].setYRange(low - pad, high + pad, padding=0)
                self.plots[metric].setXRange(0.8, max(self._epochs, 1) + 0.2, padding=0)

    def _update_note(self) -> None:
        self.note.setText(" ".join(self._lacking[i] for i in sorted(self._lacking)))
