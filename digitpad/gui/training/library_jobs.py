"""The model library's slow jobs for the training panel: keep a model, load one.

Moving a kept model into the library and reading a model file take a moment, so both
run on the "model-library" runner; the panel only hears the outcome, on the GUI
thread, and is "saving" while a kept model has not landed yet.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject

from digitpad.core.models import library
from digitpad.core.models.inference import Predictor
from digitpad.core.models.keras_conversion import load_without_tensorflow
from digitpad.gui.threads import Runner

Done = Callable[[Predictor], None]
Failed = Callable[[str], None]


class LibraryJobs:
    """Keeps (saves, then loads the saved copy) and loads models off the GUI thread."""

    def __init__(self, owner: QObject) -> None:
        self._runner = Runner(owner, "model-library")

    @property
    def busy(self) -> bool:
        return self._runner.busy

    def keep(self, outcome: Any, done: Done, failed: Failed) -> None:
        """Move a finished run's model into the library; ``done`` gets it loaded.

        Waits (here, off the GUI thread) until the helper has written the model, then
        renames it into the library: quick, and no TensorFlow. The run's scratch
        folder is removed once its model has moved out.
        """

        def save_and_load() -> Predictor:
            outcome.saving.wait()
            entry = library.keep_saved(outcome.path)
            shutil.rmtree(outcome.path.parent, ignore_errors=True)
            return load_without_tensorflow(entry.path)

        self._runner.start(lambda _task: save_and_load(), done, failed)

    def load(self, path: Path, done: Done, failed: Failed) -> None:
        self._runner.start(lambda _task: load_without_tensorflow(path), done, failed)

    def close(self, wait: float) -> bool:
        return self._runner.close(wait)


def load_chosen(
    jobs: LibraryJobs, entry: library.LibraryEntry, state: Any, say: Failed, parent: Any
) -> None:
    """Load a model picked in the Models tab off the GUI thread; make it current."""
    from digitpad.gui.widgets.message_boxes import show_error

    def loaded(predictor: Predictor) -> None:
        state.set_predictor(predictor)
        say(f"Now using {model_title(predictor)}.")

    def failed(message: str) -> None:
        say("Could not load that model; the current one is kept.")
        show_error(parent, "Could not load the model", message)

    say(f"Loading {entry.name}…")
    jobs.load(entry.path, loaded, failed)


def model_title(predictor: Predictor) -> str:
    """The name a user knows a model by: its saved title, else its file name."""
    return str(predictor.metadata.get("display_name") or predictor.name)
