"""Load and save models off the GUI thread.

Loading the LiteRT export takes a fraction of a second, but a ``.keras`` file without a
current export pulls in TensorFlow (seconds), and saving an in-memory model always
does. Both run off the GUI thread and report through signals, so the window never
freezes and a failure arrives as a one-line message.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from digitpad.core.models.inference import Predictor
from digitpad.core.models.keras_conversion import load_without_tensorflow
from digitpad.core.models.predictor_save import save_predictor
from digitpad.gui.threads import Runner

SAVE_WAIT_S = 3.0  # at close, how long a save in progress may take to land


class ModelLoader(QObject):
    """GUI-side handle: ``load``/``save`` run in the background, results as signals.

    Every job runs on a thread of its own (``threads.Runner``). That also matters for
    TensorFlow: under a QApplication, its first eager op segfaulted on a long-lived
    loader thread after the LiteRT shipped model had been created there.
    """

    loaded = Signal(object)  # Predictor, ready to become current
    saved = Signal(str)
    loadFailed = Signal(str)
    saveFailed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._loads = Runner(self, "model-load")
        self._saves = Runner(self, "model-save")

    @property
    def busy(self) -> bool:
        return self._loads.busy or self._saves.busy

    def load(self, path: str | Path | None = None) -> None:
        """Load ``path`` (None: the shipped model) in the background."""
        target = None if path is None else Path(path)
        self._loads.start(
            lambda _task: load_without_tensorflow(target),
            self.loaded.emit,
            lambda message: self.loadFailed.emit(_named(target, message)),
        )

    def save(self, predictor: Predictor, path: str | Path) -> None:
        self._saves.start(
            lambda _task: str(save_predictor(predictor, path)),
            self.saved.emit,
            lambda message: self.saveFailed.emit(_named(path, message)),
        )

    def shutdown(self, save_wait: float = SAVE_WAIT_S) -> None:
        """Abandon loads at once (a hung disk must not hold up closing); give a save
        in progress a bounded moment to land (each file is replaced atomically)."""
        self._loads.close()
        self._saves.close(save_wait)


def _named(path: object, message: str) -> str:
    """Core errors name their file; anything else gets the path in front."""
    if path is None or str(path) in message:
        return message
    return f"{path}: {message}"
