"""LiteRT export of a model being trained, in a helper process.

Converting a Keras model to LiteRT runs native code that holds Python's global lock
for 100-200 ms at a time, so doing it in the training process would freeze the GUI
once per epoch while "watch it learn" is on. A spawned helper process imports
TensorFlow once, then turns (architecture, weights) snapshots into flatbuffers; the
training thread only copies the weights and never waits for it.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from typing import Any

import numpy as np

# (epoch, flatbuffer or None, error text or None), delivered on a reader thread
ExportDone = Callable[[int, bytes | None, str | None], None]


class ExportProcess:
    """One helper process; at most one export in flight (newer snapshots win)."""

    def __init__(self, on_done: ExportDone) -> None:
        context = multiprocessing.get_context("spawn")  # never fork a threaded process
        self._conn, child_conn = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(child_conn,), name="digitpad-export", daemon=True
        )
        self._process.start()
        child_conn.close()
        self._on_done = on_done
        self._lock = threading.Lock()
        self._busy = False
        self._waiting: tuple[int, str, list[np.ndarray]] | None = None
        self._idle = threading.Condition(self._lock)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    @property
    def running(self) -> bool:
        """Whether the helper process is alive."""
        return self._process.is_alive()

    def submit(self, epoch: int, architecture: str, weights: list[np.ndarray]) -> None:
        """Queue a snapshot; one still waiting behind a running export is replaced."""
        with self._lock:
            if self._busy:
                self._waiting = (epoch, architecture, weights)
                return
            self._send(epoch, architecture, weights)

    def wait_idle(self, timeout: float, stop: Callable[[], bool]) -> bool:
        """Block until every queued snapshot is exported; False on timeout or stop."""
        with self._idle:
            remaining = timeout
            while self._busy and remaining > 0 and not stop():
                self._idle.wait(min(0.1, remaining))
                remaining -= 0.1
            return not self._busy

    def close(self) -> None:
        """Stop the helper at once, even mid-export; no result arrives after this."""
        with self._lock:
            self._waiting = None
            self._on_done = _ignore
        if self._process.is_alive():
            self._process.terminate()
        self._process.join(timeout=5)
        self._conn.close()

    def _send(self, epoch: int, architecture: str, weights: list[np.ndarray]) -> None:
        try:
            self._conn.send((epoch, architecture, weights))
            self._busy = True
        except (OSError, ValueError):  # helper gone: previews stop, training goes on
            self._busy = False

    def _read(self) -> None:
        while True:
            try:
                epoch, tflite, error = self._conn.recv()
            except (EOFError, OSError, ValueError):
                with self._lock:
                    self._busy = False
                    self._idle.notify_all()
                return
            with self._lock:
                on_done = self._on_done
            on_done(epoch, tflite, error)
            with self._lock:
                self._busy = False
                if self._waiting is not None:
                    waiting, self._waiting = self._waiting, None
                    self._send(*waiting)
                self._idle.notify_all()


def _ignore(epoch: int, tflite: bytes | None, error: str | None) -> None:
    pass


def _serve(conn: Any) -> None:
    """The helper's loop: rebuild the named architecture, load weights, export."""
    _silence_native_output()
    from digitpad.core.architectures import build_model
    from digitpad.core.errors import one_line
    from digitpad.core.modelfile import export_tflite
    from digitpad.core.quiet import import_tensorflow_quietly

    import_tensorflow_quietly()
    models: dict[str, Any] = {}
    while True:
        try:
            epoch, architecture, weights = conn.recv()
        except (EOFError, OSError):
            return
        try:
            model = models.get(architecture) or build_model(architecture)
            models[architecture] = model
            model.set_weights(weights)
            conn.send((epoch, export_tflite(model), None))
        except Exception as error:  # report, keep serving
            conn.send((epoch, None, one_line(error)))


def _silence_native_output() -> None:
    """TensorFlow's C++ start-up notices would land in the user's terminal."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)
