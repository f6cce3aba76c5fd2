"""Where a design comes from and goes to: presets, saved designs, spec files, models.

Saving keeps the design in the user's designs folder (``networks.designs``, atomic)
and tells ``AppState``, so the Training panel lists it; *Train this network* saves and
asks the Training panel (through ``AppState``) to choose it. A model's network opens
as a new design to edit. Every failure is a one-line dialog; nothing is lost.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from digitpad.core.errors import DigitPadError
from digitpad.core.models.model_network import model_network
from digitpad.core.networks import designs
from digitpad.core.networks.presets import PRESETS
from digitpad.core.networks.spec import NetworkSpec, SpecError
from digitpad.core.paths import user_models_dir
from digitpad.gui.widgets import file_dialogs
from digitpad.gui.widgets.message_boxes import ask, show_error

if TYPE_CHECKING:
    from digitpad.gui.designer.designer_window import DesignerWindow

SPEC_FILTER = "Network specs (*.json);;All files (*)"
# Tests set DontUseNativeDialog to drive the dialogs with real events.
DIALOG_OPTIONS = file_dialogs.NO_OPTIONS


class DesignFiles(QObject):
    """The designer's saving, exporting, importing, opening and training."""

    def __init__(self, window: DesignerWindow) -> None:
        super().__init__(window)
        self.window = window
        self._saved: NetworkSpec | None = None  # the design as last saved or opened
        self._choices: dict[str, NetworkSpec] = {}

    @property
    def folder(self) -> Path | None:
        return self.window.state.designs_dir

    # ------------------------------------------------------------------ saved state

    def mark_saved(self, spec: NetworkSpec | None) -> None:
        self._saved = spec

    def is_saved(self, spec: NetworkSpec) -> bool:
        preset = PRESETS.get(spec.name)
        return spec == self._saved or (preset is not None and preset.spec == spec)

    # ------------------------------------------------------------------ start from

    def reload_start_choices(self) -> None:
        """Presets, then the saved designs, in the *Start from* choice."""
        combo = self.window.bar.start
        listing = designs.list_designs(self.folder)
        self._choices = {f"preset:{n}": p.spec for n, p in PRESETS.items()}
        combo.blockSignals(True)
        combo.clear()
        for name, preset in PRESETS.items():
            combo.addItem(preset.title, f"preset:{name}")
        if listing.specs:
            combo.insertSeparator(combo.count())
        for spec in listing.specs:
            self._choices[f"design:{spec.name}"] = spec
            combo.addItem(spec.name, f"design:{spec.name}")
        combo.setCurrentIndex(-1)
        combo.setPlaceholderText("a preset or design…")
        combo.blockSignals(False)

    def designs_changed(self, _name: str) -> None:
        self.reload_start_choices()

    def start_from_choice(self, index: int) -> None:
        key = self.window.bar.start.itemData(index)
        spec = self._choices.get(key or "")
        if spec is not None:
            self.window.open_spec(spec, saved=key.startswith("design:"))

    def open_requested(self, spec: NetworkSpec) -> None:
        """Show a spec someone asked for: a preset or saved design as itself, any
        other network (a model's) as a new design under a free name."""
        preset = PRESETS.get(spec.name)
        if preset is not None and preset.spec == spec:
            self.window.open_spec(spec)
            return
        try:
            if designs.load_design(spec.name, self.folder) == spec:
                self.window.open_spec(spec, saved=True)
                return
        except SpecError:
            pass
        name = designs.unique_name(designs.file_stem(spec.name), self.folder)
        self.window.open_spec(replace(spec, name=name))

    # ------------------------------------------------------------------ saving

    def save(self) -> bool:
        """Keep the design under its name; True when it was saved."""
        spec = self.window.spec
        try:
            path = designs.design_path(spec.name, self.folder)
            replacing = (
                path.is_file()
                and (self._saved is None or self._saved.name != spec.name)
                and designs.load_design(spec.name, self.folder) != spec
            )
        except SpecError as error:
            show_error(self.window, "Cannot save the design", str(error))
            return False
        if replacing and not ask(
            self.window,
            "Replace the design?",
            f"A design named '{spec.name}' exists already. Replace it?",
        ):
            return False
        try:
            designs.save_design(spec, self.folder)
        except SpecError as error:
            show_error(self.window, "Cannot save the design", str(error))
            return False
        self._saved = spec
        self.window.state.notify_designs_changed(spec.name)
        self.window.state.statusMessage.emit(f"Saved the design '{spec.name}'")
        self.window.refresh_title()
        return True

    def train(self) -> None:
        """Save the design if needed and have the Training panel choose it."""
        spec = self.window.spec
        preset = PRESETS.get(spec.name)
        if not (preset is not None and preset.spec == spec) and not (
            spec == self._saved or self.save()
        ):
            return
        self.window.state.notify_designs_changed(spec.name)
        self.window.trainRequested.emit(spec.name)

    # ------------------------------------------------------------------ files

    def export(self) -> None:
        spec = self.window.spec
        path = file_dialogs.ask_save(
            self.window,
            "Export the network spec",
            f"{designs.file_stem(spec.name)}.json",
            SPEC_FILTER,
            options=DIALOG_OPTIONS,
        )
        if not path:
            return
        try:
            designs.export_design(spec, path)
        except SpecError as error:
            show_error(self.window, "Cannot export the design", str(error))
            return
        self.window.state.statusMessage.emit(f"Exported the design to {path}")

    def import_spec(self) -> None:
        path = file_dialogs.ask_open(
            self.window, "Import a network spec", SPEC_FILTER, options=DIALOG_OPTIONS
        )
        if not path:
            return
        try:
            spec = designs.import_design(path, self.folder)
        except SpecError as error:
            show_error(self.window, "Cannot import the spec", str(error))
            return
        self.window.state.notify_designs_changed(spec.name)
        self.window.open_spec(spec, saved=True)

    def open_model_network(self) -> None:
        path = file_dialogs.ask_open(
            self.window,
            "Open a model's network",
            file_dialogs.MODEL_FILTER,
            user_models_dir(),
            options=DIALOG_OPTIONS,
        )
        if not path:
            return
        try:
            spec = model_network(path)
        except (DigitPadError, OSError) as error:
            show_error(self.window, "Cannot open the model's network", str(error))
            return
        name = designs.unique_name(designs.file_stem(Path(path).stem), self.folder)
        self.window.open_spec(replace(spec, name=name))
