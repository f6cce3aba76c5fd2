"""The training curves build and show themselves a piece per event-loop turn, and
nothing a run reports meanwhile is lost."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from digitpad.core.training.progress import BatchProgress, EpochProgress
from digitpad.gui.training.training_curves import TrainingCurves


def _batches(epoch: int, count: int, of: int = 20) -> list[BatchProgress]:
    return [
        BatchProgress(epoch, 2, b, of, 2.0 / (b + 20 * epoch), 1 - 1 / (b + 2), 1.0)
        for b in range(1, count + 1)
    ]


def _plot(curves: TrainingCurves, name: str) -> pg.PlotWidget | None:
    found = [
        w for w in curves.findChildren(pg.PlotWidget) if w.accessibleName() == name
    ]
    return found[0] if found else None


def _drawn(plot: pg.PlotWidget) -> list[int]:
    """How many points each curve of a plot holds."""
    items = plot.getPlotItem().listDataItems()
    return sorted(len(item.xData) if item.xData is not None else 0 for item in items)


def test_reports_before_the_plots_exist_are_drawn_once_they_are(qtbot):
    curves = TrainingCurves()
    qtbot.addWidget(curves)
    curves.add_batches(_batches(1, 12))  # a run reports before any plot is built
    assert _plot(curves, "Loss curve") is None
    curves.add_epoch(EpochProgress(1, 2, 0.4, 0.9, 0.5, 0.88, 1.0))
    curves.show()
    qtbot.waitUntil(
        lambda: all(
            (plot := _plot(curves, name)) is not None and plot.isVisible()
            for name in ("Loss curve", "Accuracy curve")
        ),
        timeout=5000,
    )
    for name in ("Loss curve", "Accuracy curve"):
        assert _drawn(_plot(curves, name)) == [1, 1, 12]  # val, epoch, batches
    # the loss axis holds every point, from 0 up
    low, high = _plot(curves, "Loss curve").getViewBox().viewRange()[1]
    assert low <= 0.0 and high >= curves.values("loss/batch").max()


def test_the_loss_axis_follows_a_falling_loss_without_moving_each_chunk(qtbot):
    curves = TrainingCurves()
    qtbot.addWidget(curves)
    loss = curves.loss_plot  # built now
    ranges = []
    for start in range(0, 200, 10):  # 20 chunks of a loss falling from 2.0 to ~0.1
        batch = [
            BatchProgress(1, 1, b + 1, 200, float(2.0 * np.exp(-b / 60)), 0.5, 1.0)
            for b in range(start, start + 10)
        ]
        curves.add_batches(batch)
        ranges.append(tuple(loss.getViewBox().viewRange()[1]))
        assert ranges[-1][1] >= curves.values("loss/batch").max()
    assert ranges[0][1] >= 2.0  # grown from the empty plot's 0-1 at once
    assert len(set(ranges)) <= 2  # then left alone, not moved per chunk
    curves.clear()
    curves.add_batches(_batches(1, 5))  # a new run's smaller losses: it shrinks
    high = loss.getViewBox().viewRange()[1][1]
    assert curves.values("loss/batch").max() <= high < 0.5 * ranges[-1][1]


def test_one_epoch_shows_its_markers_whole_and_the_key_covers_no_curve(qtbot):
    curves = TrainingCurves()
    qtbot.addWidget(curves)
    curves.resize(520, 280)
    curves.show()
    qtbot.waitUntil(
        lambda: all(
            (plot := _plot(curves, name)) is not None and plot.isVisible()
            for name in ("Loss curve", "Accuracy curve")
        ),
        timeout=5000,
    )
    curves.add_batches([BatchProgress(1, 1, 20, 20, 0.5, 1.0, 1.0)])  # one epoch
    curves.add_epoch(EpochProgress(1, 1, 0.5, 1.0, 0.4, 1.0, 1.0))
    for name in ("Loss curve", "Accuracy curve"):
        plot = _plot(curves, name)
        box = plot.getViewBox()
        _, (y0, y1) = box.viewRange()
        shown = box.mapViewToDevice(box.viewRect()).boundingRect()
        for y in (0.5, 1.0, 0.4):  # the epoch markers at x = 1 (the run's end)
            at = box.mapViewToDevice(pg.QtCore.QPointF(1.0, y))
            if not y0 <= y <= y1:
                continue
            assert at.x() + 4 <= shown.right(), name  # a 7 px marker, whole
            if name == "Accuracy curve":  # 100 % sits at the top of the axis
                assert at.y() - 4 >= shown.top(), name
        # the key is not drawn inside the plot, on the curves
        assert plot.getPlotItem().legend is None
    assert curves.legend.isVisible()
    for name in ("Loss curve", "Accuracy curve"):
        assert not curves.legend.geometry().intersects(_plot(curves, name).geometry())


def test_the_last_kept_models_curves_show_faintly_beside_the_run(qtbot):
    curves = TrainingCurves()
    qtbot.addWidget(curves)
    curves.show()
    kept = {"loss": [0.5, 0.3], "val_loss": [0.4, 0.35], "accuracy": [0.8, 0.9]}
    curves.set_reference("Kept model", kept)
    qtbot.waitUntil(
        lambda: (plot := _plot(curves, "Loss curve")) is not None and plot.isVisible(),
        timeout=5000,
    )
    curves.add_epoch(EpochProgress(1, 2, 0.45, 0.85, 0.42, 0.84, 1.0))
    loss = _plot(curves, "Loss curve").getPlotItem().listDataItems()
    faint = [item for item in loss if _dashed(item)]
    assert sorted(list(item.yData) for item in faint) == [[0.4, 0.35], [0.5, 0.3]]
    assert all(item.opts["pen"].color().alpha() < 128 for item in faint)
    curves.clear()  # a new run keeps the reference
    assert curves.reference_values("loss") == [0.5, 0.3]
    curves.set_reference("", None)
    loss = _plot(curves, "Loss curve").getPlotItem().listDataItems()
    assert not any(_dashed(item) for item in loss)


def _dashed(item) -> bool:
    from PySide6.QtCore import Qt

    return item.opts["pen"].style() == Qt.PenStyle.DashLine


def test_the_reference_is_the_newest_kept_model_with_history():
    from pathlib import Path

    from digitpad.core.models.library import LibraryEntry
    from digitpad.gui.training.model_list import last_kept_history

    def entry(name, history, shipped=False):
        meta = {"display_name": name, "training": {"history": history}}
        return LibraryEntry(Path(f"{name}.keras"), meta, shipped)

    entries = [
        entry("shipped", {"loss": [0.1]}, shipped=True),
        entry("imported", {}),
        entry("newest trained", {"loss": [0.3, 0.2]}),
        entry("older", {"loss": [0.9]}),
    ]
    assert last_kept_history(entries) == ("newest trained", {"loss": [0.3, 0.2]})
    assert last_kept_history(entries[:2]) == ("Shipped model", {"loss": [0.1]})
