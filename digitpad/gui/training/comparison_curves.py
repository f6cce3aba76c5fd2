"""Per-epoch curves of two to four models overlaid: one colour per model.

Loss and accuracy side by side, as in the training curves; training as a solid
line with dots, validation dashed with squares. A plot's first build and paint
costs about 30 ms, so each plot is built in a step of its own and each model's
curves are added in another (``Steps``); a model without history draws nothing
and the caption says so.
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


class ComparisonCurves(QWidget):
    """Loss and accuracy per epoch, every model's train and validation curves."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Compared training curves")
        self.plots: dict[str, pg.PlotWidget] = {}
        self._pending: list[tuple[int, ModelFacts]] = []
        self._drawn: dict[int, int] = {}  # model index -> curves drawn
        self._lacking: dict[int, str] = {}
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
            plot = pg.PlotWidget(background=None)
            plot.setTitle(title)
            plot.setLabel("bottom", "epoch")
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            plot.addLegend(offset=(-8, 8) if metric == "loss" else (-8, -8))
            plot.setAccessibleName(f"Compared {title.lower()} curves")
            self.plots[metric] = plot
            self._row.addWidget(plot, 1)
            yield
        while self._pending:
            self._draw(*self._pending.pop(0))
            yield

    def add_model(self, index: int, facts: ModelFacts) -> None:
        """Draw one model's curves (in a later step if the plots are not built)."""
        if facts.lacks and not facts.history:
            self._lacking[index] = f"{LETTERS[index]} has {facts.lacks[0]}."
            self._update_note()
        self._pending.append((index, facts))
        if not self._steps.running:
            self._steps.start(self._build_rest())

    def _build_rest(self) -> Iterator[None]:
        while self._pending:
            self._draw(*self._pending.pop(0))
            yield

    def curve_count(self, index: int) -> int:
        """How many curves of model ``index`` are drawn (tests, captions)."""
        return self._drawn.get(index, 0)

    def _draw(self, index: int, facts: ModelFacts) -> None:
        colour = MODEL_COLOURS[index % len(MODEL_COLOURS)]
        letter = LETTERS[index]
        drawn = 0
        for metric in ("loss", "accuracy"):
            plot = self.plots[metric]
            for key, style, symbol, label in (
                (metric, Qt.SolidLine, "o", "train"),
                (f"val_{metric}", Qt.DashLine, "s", "val"),
            ):
                values = facts.history.get(key)
                if not values:
                    continue
                epochs = list(range(1, len(values) + 1))
                plot.plot(
                    epochs,
                    values,
                    name=f"{letter} {label}",
                    pen=pg.mkPen(colour, width=2, style=style),
                    symbol=symbol,
                    symbolSize=6,
                    symbolBrush=pg.mkBrush(colour),
                    symbolPen=None,
                )
                drawn += 1
        self._drawn[index] = drawn

    def _update_note(self) -> None:
        self.note.setText(" ".join(self._lacking[i] for i in sorted(self._lacking)))
