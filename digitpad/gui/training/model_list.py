"""The model library as a list: switch the current model, delete kept ones.

The shipped model is always first and cannot be deleted. The current model (from
``state.modelChanged``) is shown in bold with a check mark; while "watch it learn" has
a training preview live, no library entry is current and the caption says so. The
library is read off the GUI thread (a slow disk must not freeze the window); an entry
whose files are broken is listed with the reason, cannot be used, and can be deleted.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.errors import DigitPadError
from digitpad.core.models import library
from digitpad.core.models.library import LibraryEntry
from digitpad.core.models.model_facts import sanitised_history
from digitpad.core.training.comparison import MAX_MODELS, MIN_MODELS
from digitpad.gui.latest_request import LatestRequestRunner
from digitpad.gui.widgets.message_boxes import ask, show_error


class ModelList(QWidget):
    """Lists library entries; asks the panel to load one via ``modelChosen``."""

    modelChosen = Signal(object)  # LibraryEntry the user wants to make current
    compareRequested = Signal(list)  # 2-4 LibraryEntry to compare side by side
    refreshed = Signal()  # the list shows the library as it is on disk now

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries: list[LibraryEntry] = []
        self._current: Path | None = None
        self._current_name = ""
        self._reads: LatestRequestRunner[list[LibraryEntry]] = LatestRequestRunner(
            self, "model-list"
        )

        self.caption = QLabel(wordWrap=True)
        self.list = QListWidget()
        self.list.setAccessibleName("Saved models")
        self.list.setAlternatingRowColors(True)
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(self._use_item)
        self.list.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.list.currentRowChanged.connect(self._update_buttons)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.use_button = QPushButton("Use model")
        self.use_button.setAccessibleName("Use the selected model")
        self.use_button.clicked.connect(self.use_selected)
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setAccessibleName("Delete the selected model")
        self.delete_button.clicked.connect(self.delete_selected)
        self.compare_button = QPushButton("Compare…")
        self.compare_button.setAccessibleName("Compare models")
        self.compare_button.setToolTip(
            "Select two to four models (Ctrl+click) to compare them side by side"
        )
        self.compare_button.clicked.connect(self.compare_selected)

        buttons = QHBoxLayout()
        buttons.addWidget(self.compare_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.use_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.caption)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.refresh()

    # ------------------------------------------------------------------ content

    def entries(self) -> list[LibraryEntry]:
        return list(self._entries)

    def refresh(self) -> None:
        """Re-read the library from disk (off the GUI thread); ``refreshed`` follows."""
        self._reads.request(
            lambda _task: library.list_models(), self._show, self._read_failed
        )

    def _show(self, entries: list[LibraryEntry]) -> None:
        self._entries = entries
        self._populate()
        self.refreshed.emit()

    def _populate(self) -> None:
        selected = self.selected_entry()
        self.list.clear()
        bold = QFont(self.list.font())
        bold.setBold(True)
        for entry in self._entries:
            current = self._is_current(entry)
            mark = "✓ " if current else ("⚠ " if entry.broken else "    ")
            item = QListWidgetItem(f"{mark}{entry.name}\n    {entry.summary()}")
            item.setToolTip(
                f"{entry.path}\n{entry.problem}" if entry.broken else str(entry.path)
            )
            if current:
                item.setFont(bold)
            self.list.addItem(item)
        paths = [e.path for e in self._entries]
        if selected is not None and selected.path in paths:
            self.list.setCurrentRow(paths.index(selected.path))
        self._update_caption()
        self._update_buttons()

    def _read_failed(self, message: str) -> None:
        self.caption.setText(f"Could not read your models: {message}")

    def set_current(self, path: Path | None, name: str = "") -> None:
        """Mark the model at ``path`` as current (None: an unsaved model is current)."""
        self._current = Path(path).resolve() if path else None
        self._current_name = name
        self._populate()  # the marks move now
        # The disk is read again only for a saved model the list does not show yet
        # (kept, deleted and opened models refresh on their own). Each epoch's preview
        # of "watch it learn" becomes current too: re-reading the library for it
        # started a thread from the GUI thread per epoch, and under training load
        # that start alone once blocked the window for 215 ms.
        listed = {entry.path.resolve() for entry in self._entries}
        if self._current is not None and self._current not in listed:
            self.refresh()

    def selected_entry(self) -> LibraryEntry | None:
        row = self.list.currentRow()
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def selected_entries(self) -> list[LibraryEntry]:
        """Every selected entry, in list order (the first is compared as A)."""
        rows = sorted(index.row() for index in self.list.selectedIndexes())
        return [self._entries[row] for row in rows if 0 <= row < len(self._entries)]

    def _is_current(self, entry: LibraryEntry) -> bool:
        return self._current is not None and entry.path.resolve() == self._current

    def _update_caption(self) -> None:
        if self._current is None and self._current_name:
            text = f"Current: {self._current_name} (not saved)."
        elif not any(self._is_current(e) for e in self._entries):
            text = "Models kept from training appear here."
        else:
            text = (
                "Double-click a model to make it current; select two to four "
                "(Ctrl+click) to compare them."
            )
        self.caption.setText(text)

    def _update_buttons(self) -> None:
        entry = self.selected_entry()
        usable = entry is not None and not entry.broken
        self.use_button.setEnabled(usable and not self._is_current(entry))
        self.delete_button.setEnabled(entry is not None and not entry.shipped)
        chosen = self.selected_entries()
        self.compare_button.setEnabled(
            MIN_MODELS <= len(chosen) <= MAX_MODELS
            and not any(e.broken for e in chosen)
        )

    # ------------------------------------------------------------------ actions

    def _use_item(self, item: QListWidgetItem) -> None:
        self.list.setCurrentItem(item)
        self.use_selected()

    def use_selected(self) -> None:
        entry = self.selected_entry()
        if entry is not None and not entry.broken:
            self.modelChosen.emit(entry)

    def compare_selected(self) -> None:
        chosen = self.selected_entries()
        if MIN_MODELS <= len(chosen) <= MAX_MODELS:
            self.compareRequested.emit(chosen)

    def delete_selected(self) -> None:
        entry = self.selected_entry()
        if entry is None or entry.shipped:
            return
        question = f"Delete “{entry.name}” from your models?\n{entry.path}"
        if not ask(self, "Delete model", question, QMessageBox.StandardButton.Cancel):
            return
        try:
            library.delete_model(entry)
        except DigitPadError as error:
            show_error(self, "Delete model", str(error))
        self.refresh()


def last_kept_history(entries: list) -> tuple[str, dict | None]:
    """The newest kept model with per-epoch history (else the shipped one's)."""
    kept = [e for e in entries if not e.shipped] + [e for e in entries if e.shipped]
    for entry in kept:
        training = entry.metadata.get("training")
        history = training.get("history") if isinstance(training, dict) else None
        history = sanitised_history(history)
        if history and not entry.broken:
            return entry.name, history
    return "", None
