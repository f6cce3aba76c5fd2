"""*My handwriting*: the user's samples, grouped by digit, marked when misread.

Left, the digits with their counts (and how many the current model misreads); right,
thumbnails of the chosen digit's samples, a frame on each one the model reads as
something else. Delete, relabel, import and export act on the store on a worker
thread; every change (here, a correction, a teach session) reaches the panel as
``AppState.samplesChanged`` and the panel reloads its snapshot off the GUI thread.
A file that cannot be read costs only itself: one line in the panel names it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.handwriting.samples import counts_by_digit, missing_digits
from digitpad.gui.handwriting.sample_list_model import SAMPLE_ID, SampleListModel
from digitpad.gui.handwriting.sample_snapshot import (
    THUMBNAIL,
    SampleSnapshot,
    take_snapshot,
)
from digitpad.gui.latest_request import LatestRequestRunner
from digitpad.gui.state import AppState
from digitpad.gui.threads import Runner
from digitpad.gui.widgets import file_dialogs

LIST_FILTER = "Labelled drawings (*.json)"
ALL = -1
PROBLEM_STYLE = "color: #b91c1c;"


class HandwritingPanel(QWidget):
    """Browse, delete, relabel, import and export the user's own digits."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self._loader: LatestRequestRunner[SampleSnapshot] = LatestRequestRunner(
            self, "handwriting-load"
        )
        self._edits = Runner(self, "handwriting-edits")
        self.snapshot: SampleSnapshot | None = None
        self._snapshot_store = None  # the store ``snapshot`` came from

        self.summary = QLabel("Loading your digits…")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Your digits")
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(PROBLEM_STYLE)
        self.problems.setAccessibleName("Sample problems")
        self.problems.hide()
        self.digits = QListWidget()
        self.digits.setAccessibleName("Digits")
        self.digits.setMaximumWidth(150)
        self.digits.currentRowChanged.connect(lambda _row: self._fill_grid())
        self.samples = SampleListModel()
        self.grid = QListView()
        self.grid.setModel(self.samples)
        self.grid.setAccessibleName("Samples")
        self.grid.setViewMode(QListView.ViewMode.IconMode)
        self.grid.setIconSize(QSize(THUMBNAIL, THUMBNAIL))
        self.grid.setResizeMode(QListView.ResizeMode.Adjust)
        self.grid.setMovement(QListView.Movement.Static)
        self.grid.setSpacing(4)
        self.grid.setUniformItemSizes(True)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.grid.selectionModel().selectionChanged.connect(self._update_buttons)

        self.teach_button = self._button(
            "Teach it my handwriting…", state.request_teach
        )
        self.import_button = self._button("Import…", self.import_samples)
        self.export_button = self._button("Export…", self.export_samples)
        self.delete_button = self._button("Delete", self.delete_selected)
        QShortcut(QKeySequence.StandardKey.Delete, self.grid, self.delete_selected)
        self.relabel = QComboBox()
        self.relabel.setAccessibleName("Relabel the selected samples")
        self.relabel.addItems(["Relabel as…", *map(str, range(10))])
        self.relabel.activated.connect(self._relabel_chosen)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.digits)
        splitter.addWidget(self.grid)
        splitter.setStretchFactor(1, 1)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.teach_button)
        edit = QHBoxLayout()
        edit.addWidget(self.delete_button)
        edit.addWidget(self.relabel)
        edit.addStretch(1)
        edit.addWidget(self.import_button)
        edit.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.problems)
        layout.addWidget(splitter, 1)
        layout.addLayout(edit)

        state.samplesChanged.connect(self.reload)
        state.modelChanged.connect(lambda _predictor: self.reload())
        self._update_buttons()
        self.reload()

    def _button(self, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text.rstrip("…"))
        button.clicked.connect(slot)
        return button

    # ------------------------------------------------------------------ loading

    @property
    def loading(self) -> bool:
        return self._loader.busy or self._edits.busy

    def reload(self) -> None:
        store, predictor = self.state.handwriting, self.state.predictor
        earlier = self.snapshot if self._snapshot_store is store else None
        self._snapshot_store = store
        self._loader.request(
            lambda _task: take_snapshot(store, predictor, earlier),
            self._show_snapshot,
            lambda message: self.summary.setText(f"Cannot read your digits: {message}"),
        )

    def _show_snapshot(self, snapshot: SampleSnapshot) -> None:
        self.snapshot = snapshot
        counts = counts_by_digit(snapshot.samples)
        wrong = counts_by_digit(s for s in snapshot.samples if s.id in snapshot.misread)
        chosen = self._chosen_digit()
        self.digits.blockSignals(True)
        self.digits.clear()
        self.digits.addItem(f"All · {len(snapshot.samples)}")
        for digit in range(10):
            text = f"{digit} · {counts[digit]}"
            if wrong[digit]:
                text += f" ({wrong[digit]} misread)"
            self.digits.addItem(text)
        self.digits.setCurrentRow(chosen + 1)
        self.digits.blockSignals(False)
        self.summary.setText(self._summary_text(snapshot))
        self._show_problems(snapshot)
        self._fill_grid()

    def _summary_text(self, snapshot: SampleSnapshot) -> str:
        total = len(snapshot.samples)
        if not total:
            return (
                "No digits of yours yet. Click the right digit under a wrong answer, "
                "or teach it your handwriting."
            )
        text = f"{total} of your digits"
        if snapshot.model_checked:
            text += f" · the current model misreads {len(snapshot.misread)}"
        missing = missing_digits(s.label for s in snapshot.samples)
        if missing:
            text += f" · none yet of {', '.join(map(str, missing))}"
        return text

    def _show_problems(self, snapshot: SampleSnapshot) -> None:
        problems = snapshot.problems
        if not problems:
            self.problems.hide()
            return
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        self.problems.setText(
            f"Skipped {len(problems)} unreadable file{'s' if len(problems) > 1 else ''}"
            f": {first.source}: {first.reason}{more}"
        )
        self.problems.setToolTip("\n".join(f"{p.source}: {p.reason}" for p in problems))
        self.problems.show()

    def _chosen_digit(self) -> int:
        return max(ALL, self.digits.currentRow() - 1)

    def _fill_grid(self) -> None:
        snapshot = self.snapshot
        if snapshot is None:
            return
        digit = self._chosen_digit()
        shown = [s for s in snapshot.samples if digit in (ALL, s.label)]
        shown.sort(key=lambda s: s.label)
        self.samples.set_samples(shown, snapshot.thumbnails, snapshot.misread)
        self._update_buttons()

    # ------------------------------------------------------------------ edits

    def selected_samples(self) -> list:
        if self.snapshot is None:
            return []
        ids = {index.data(SAMPLE_ID) for index in self.grid.selectedIndexes()}
        return [s for s in self.snapshot.samples if s.id in ids]

    def _update_buttons(self) -> None:
        chosen = self.grid.selectionModel().hasSelection()
        self.delete_button.setEnabled(chosen)
        self.relabel.setEnabled(chosen)
        self.export_button.setEnabled(bool(self.snapshot and self.snapshot.samples))

    def delete_selected(self) -> None:
        store = self.state.handwriting
        self._edit_selected(
            lambda sample: store.delete(sample.id),
            lambda count: f"Deleted {count} of your digits",
        )

    def _relabel_chosen(self, index: int) -> None:
        self.relabel.setCurrentIndex(0)
        if index > 0:
            self.relabel_selected(index - 1)

    def relabel_selected(self, label: int) -> None:
        store = self.state.handwriting
        self._edit_selected(
            lambda sample: store.relabel(sample, label),
            lambda count: f"Relabelled {count} of your digits as {label}",
        )

    def _edit_selected(
        self, change: Callable[[Any], object], done: Callable[[int], str]
    ) -> None:
        """Apply ``change`` to every selected sample off the GUI thread; ``done(count)``
        is the status line when all went through."""
        samples = self.selected_samples()
        if not samples:
            return

        def job(_task) -> str:
            for sample in samples:
                change(sample)
            return done(len(samples))

        self._edit(job)

    def import_samples(self, path: str | None = None) -> None:
        path = path or file_dialogs.ask_open(self, "Import your digits", LIST_FILTER)
        if not path:
            return
        store = self.state.handwriting

        def job(task) -> str:
            result = store.import_file(path, lambda: task.cancelled)
            text = f"Imported {len(result.added)} digits"
            if result.duplicates:
                text += f"; {result.duplicates} you already had"
            if result.problems:
                first = result.problems[0]
                text += f"; skipped {len(result.problems)} ({first.reason})"
            return text

        self._edit(job)

    def export_samples(self, path: str | None = None) -> None:
        path = path or file_dialogs.ask_save(
            self, "Export your digits", "my-digits.json", LIST_FILTER
        )
        if not path:
            return
        store = self.state.handwriting
        self._edit(lambda _task: f"Exported {store.export(path)} digits to {path}")

    def _edit(self, job: Callable) -> None:
        self._edits.start(job, self._edited, self._edit_failed)

    def _edited(self, message: str) -> None:
        self.state.statusMessage.emit(message)
        self.state.samplesChanged.emit()

    def _edit_failed(self, message: str) -> None:
        self.state.statusMessage.emit(message)
        self.problems.setText(message)
        self.problems.show()
        self.state.samplesChanged.emit()  # part of it may have happened
