"""What a finished fine-tune shows: before and after, honestly measured, Keep/Discard.

"Your digits" before is the base model reading every sample (it never saw them);
after is cross-validated (each sample read by a model fine-tuned without it). MNIST
test before and after says whether it still reads everyone else. Below, the samples
it now reads and the ones it no longer reads, as thumbnails.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from digitpad.core.handwriting.teach_plan import a_digit
from digitpad.gui.training.decision_view import DecisionView
from digitpad.gui.training.finetune_worker import FinetuneOutcome
from digitpad.gui.widgets.stroke_thumbnail import render_thumbnail

THUMBNAIL = 48


def _strip(name: str) -> QListWidget:
    strip = QListWidget()
    strip.setAccessibleName(name)
    strip.setViewMode(QListWidget.ViewMode.IconMode)
    strip.setIconSize(QSize(THUMBNAIL, THUMBNAIL))
    strip.setMovement(QListWidget.Movement.Static)
    strip.setResizeMode(QListWidget.ResizeMode.Adjust)
    strip.setSpacing(3)
    strip.setFlow(QListWidget.Flow.LeftToRight)
    strip.setWrapping(False)  # one row; it scrolls sideways when there are more
    strip.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    strip.setFixedHeight(THUMBNAIL + 34)
    return strip


class FinetuneResults(DecisionView):
    """The last fine-tune's result, with Keep and Discard while it is undecided."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Fine-tune on your handwriting to see how it reads your digits.",
            "fine-tuned",
            parent,
        )
        self.headline.setAccessibleName("Fine-tuning result")
        self.table = QLabel()
        self.table.setTextFormat(Qt.TextFormat.RichText)
        self.table.setAccessibleName("Before and after")
        self.now_label = QLabel()
        self.now_reads = _strip("Now reads")
        self.lost_label = QLabel()
        self.no_longer_reads = _strip("No longer reads")
        # before any fine-tune: what will appear here, instead of empty boxes
        self.empty_note = QLabel(
            "After a fine-tune this tab shows how well the model reads your digits "
            "and MNIST before and after, the digits of yours it now reads and those "
            "it no longer reads. Teach it your handwriting first, then press "
            "Fine-tune above."
        )
        self.empty_note.setWordWrap(True)
        self.empty_note.setAccessibleName("No fine-tune yet")
        self.empty_note.setStyleSheet("color: palette(placeholder-text);")
        layout = self.body
        layout.addWidget(self.empty_note)
        layout.addWidget(self.table)
        layout.addWidget(self.now_label)
        layout.addWidget(self.now_reads)
        layout.addWidget(self.lost_label)
        layout.addWidget(self.no_longer_reads)
        layout.addStretch(1)
        for widget in (self.table, self.now_label, self.lost_label):
            widget.hide()
        for strip in (self.now_reads, self.no_longer_reads):
            strip.hide()

    def show_outcome(self, outcome: FinetuneOutcome) -> None:
        run = outcome.run
        minutes, seconds = divmod(round(run.seconds), 60)
        self.headline.setText(
            f"Fine-tuned the current model on {run.sample_count} of your digits "
            f"in {minutes}:{seconds:02d}. Keep it?"
        )
        self.headline.setToolTip(f"Started from “{run.base_name}”")
        after = run.own_after
        own_after = "–" if after is None else f"<b>{after.accuracy:.1%}</b>"
        self.table.setText(
            "<table cellspacing=0 cellpadding=4>"
            "<tr><th></th><th align=right>before</th><th align=right>after</th></tr>"
            f"<tr><td>Your digits (cross-validated)</td>"
            f"<td align=right>{run.own_before.accuracy:.1%}</td>"
            f"<td align=right>{own_after}</td></tr>"
            f"<tr><td>MNIST test ({run.mnist_after.count:,} digits)</td>"
            f"<td align=right>{run.mnist_before.accuracy:.2%}</td>"
            f"<td align=right><b>{run.mnist_after.accuracy:.2%}</b></td></tr>"
            "</table>"
        )
        self._fill(self.now_reads, self.now_label, "Now reads", run.now_reads, outcome)
        self._fill(
            self.no_longer_reads,
            self.lost_label,
            "No longer reads",
            run.no_longer_reads,
            outcome,
        )
        self.empty_note.hide()
        for widget in (self.table, self.now_label, self.lost_label):
            widget.show()
        self.set_undecided(True)

    def _fill(
        self,
        strip: QListWidget,
        label: QLabel,
        title: str,
        ids: list[str],
        outcome: FinetuneOutcome,
    ) -> None:
        strip.clear()
        label.setText(f"{title}: {len(ids)} of your digits" + (":" if ids else ""))
        strip.setVisible(bool(ids))
        for sample_id in ids:
            sample = outcome.samples.get(sample_id)
            if sample is None:
                continue
            image = render_thumbnail(sample.drawing, THUMBNAIL)
            item = QListWidgetItem(QIcon(QPixmap.fromImage(image)), "")
            item.setToolTip(a_digit(sample.label).capitalize())
            item.setData(Qt.ItemDataRole.UserRole, sample_id)
            strip.addItem(item)
