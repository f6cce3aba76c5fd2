"""Load and save models off the GUI thread.

Loading the LiteRT export takes a fraction of a second, but a ``.keras`` file without a
current export pulls in TensorFlow (seconds), and saving an in-memory model always
does. A QObject worker on its own QThread does both and reports through signals, so
the window never freezes and a failure arrives as a one-line message.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from digitpad.core import modelfile
from digitpad.core.atomic import write_atomically
from digitpad.core.errors import DigitPadError
from digitpad.core.inference import Predictor, load_predictor


def save_predictor(predictor: Predictor, path: str | Path) -> Path:
    """Write the predictor's model to ``path`` (a ``.keras`` name) with its sidecars.

    A model loaded from disk is copied file by file (no TensorFlow needed, checksums
    stay valid); an in-memory model is saved with ``modelfile.save_model``. Every file
    is written atomically, the ``.keras`` file last.
    """
    path = modelfile.keras_path(path)
    model = getattr(predictor, "model", None)
    source = predictor.path
    if source is not None and source.suffix == ".keras" and source.is_file():
        if source.resolve() == path.resolve():
            return path
        for kind in ("tflite", "kernels", "metadata"):
            if modelfile.sidecar(source, kind).is_file():
                _copy(modelfile.sidecar(source, kind), modelfile.sidecar(path, kind))
            else:  # a sidecar of whatever was saved here before would not match
                modelfile.sidecar(path, kind).unlink(missing_ok=True)
        _copy(source, path)
        return path
    if model is None:
        raise DigitPadError(f"{path}: this model has no Keras file to save")
    metadata = {k: v for k, v in predictor.metadata.items() if not k.endswith("sha256")}
    metadata.setdefault("architecture", "custom")
    try:
        return modelfile.save_model(model, path, metadata)
    except OSError as error:
        raise DigitPadError(f"{path}: cannot write ({error.strerror})") from None


def _copy(source: Path, target: Path) -> None:
    try:
        write_atomically(target, lambda tmp: shutil.copyfile(source, tmp))
    except OSError as error:
        raise DigitPadError(f"{target}: cannot write ({error.strerror})") from None


def _load_in_fresh_thread(path: object) -> Predictor:
    """Run ``load_predictor`` on a new, short-lived thread and wait for it.

    Measured: under a QApplication, TensorFlow's first eager op segfaulted when it ran
    on this long-lived loader thread after the LiteRT shipped model had been created
    there; on a thread of its own it loads normally. Costs one thread start per load.
    """
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["predictor"] = load_predictor(path)  # type: ignore[arg-type]
        except BaseException as error:  # re-raised on the loader thread below
            outcome["error"] = error

    thread = threading.Thread(target=run, name="model-load", daemon=True)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["predictor"]


class _ModelWorker(QObject):
    loaded = Signal(object)  # Predictor
    saved = Signal(str)  # path written
    failed = Signal(str, str)  # what ("load"/"save"), one-line message

    @Slot(object)
    def load(self, path: object) -> None:
        try:
            self.loaded.emit(_load_in_fresh_thread(path))
        except DigitPadError as error:
            self.failed.emit("load", str(error))
        except Exception as error:  # a bad file must never crash the app
            self.failed.emit("load", f"{path}: cannot load ({error})")

    @Slot(object, str)
    def save(self, predictor: object, path: str) -> None:
        try:
            self.saved.emit(str(save_predictor(predictor, path)))  # type: ignore[arg-type]
        except DigitPadError as error:
            self.failed.emit("save", str(error))
        except Exception as error:  # report, never crash
            self.failed.emit("save", f"{path}: cannot save ({error})")


class ModelLoader(QObject):
    """GUI-side handle: ``load``/``save`` run in the background, results as signals."""

    loaded = Signal(object)  # Predictor, ready to become current
    saved = Signal(str)
    loadFailed = Signal(str)
    saveFailed = Signal(str)
    busyChanged = Signal(bool)
    _loadRequested = Signal(object)
    _saveRequested = Signal(object, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs = 0
        self._thread = QThread(self)
        self._thread.setObjectName("model-loader")
        self._worker = _ModelWorker()
        self._worker.moveToThread(self._thread)
        self._loadRequested.connect(self._worker.load)
        self._saveRequested.connect(self._worker.save)
        self._worker.loaded.connect(self._on_loaded)
        self._worker.saved.connect(self._on_saved)
        self._worker.failed.connect(self._on_failed)
        self._thread.finished.connect(self._worker.deleteLater)
        self._thread.start()

    @property
    def busy(self) -> bool:
        return self._jobs > 0

    def load(self, path: str | Path | None = None) -> None:
        """Load ``path`` (None: the shipped model) in the background."""
        self._started()
        self._loadRequested.emit(None if path is None else Path(path))

    def save(self, predictor: Predictor, path: str | Path) -> None:
        self._started()
        self._saveRequested.emit(predictor, str(path))

    def shutdown(self) -> None:
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait(30000)

    def _started(self) -> None:
        self._jobs += 1
        if self._jobs == 1:
            self.busyChanged.emit(True)

    def _ended(self) -> None:
        self._jobs -= 1
        if self._jobs == 0:
            self.busyChanged.emit(False)

    @Slot(object)
    def _on_loaded(self, predictor: Predictor) -> None:
        self._ended()
        self.loaded.emit(predictor)

    @Slot(str)
    def _on_saved(self, path: str) -> None:
        self._ended()
        self.saved.emit(path)

    @Slot(str, str)
    def _on_failed(self, what: str, message: str) -> None:
        self._ended()
        (self.loadFailed if what == "load" else self.saveFailed).emit(message)
