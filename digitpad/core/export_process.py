"""LiteRT export of a model being trained, in a helper process.

Converting a Keras model to LiteRT runs native code that holds Python's global lock
for 100-200 ms at a time, so doing it in the training process would freeze the GUI
once per epoch while "watch it learn" is on. A spawned helper process imports
TensorFlow once, then turns (architecture, weights) snapshots into flatbuffers; the
training thread only copies the weights and never waits for it.

The helper is ``python -m digitpad.core.export_process`` talking over its stdin and
stdout, not a ``multiprocessing`` child: spawning one re-runs the parent's main
script, which breaks any program embedding DigitPad without a ``__main__`` guard.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import numpy as np

HELPER_GONE = "the LiteRT export helper stopped unexpectedly"

# (epoch, flatbuffer or None, error text or None), delivered on a reader thread
ExportDone = Callable[[int, bytes | None, str | None], None]


class ExportProcess:
    """One helper process; at most one export in flight (newer snapshots win)."""

    def __init__(self, on_done: ExportDone) -> None:
        package_root = str(Path(__file__).resolve().parents[2])
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(
                p for p in (package_root, os.environ.get("PYTHONPATH")) if p
            ),
            "TF_CPP_MIN_LOG_LEVEL": "3",
        }
        self._process = subprocess.Popen(
            [sys.executable, "-m", "digitpad.core.export_process"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        assert self._process.stdin is not None and self._process.stdout is not None
        self._to_child = Connection(
            os.dup(self._process.stdin.fileno()), readable=False
        )
        self._from_child = Connection(
            os.dup(self._process.stdout.fileno()), writable=False
        )
        self._process.stdin.close()
        self._process.stdout.close()
        self._on_done = on_done
        self._lock = threading.Lock()
        self._busy = False
        self._in_flight: int | None = None  # epoch being exported
        self._waiting: tuple[int, str, list[np.ndarray]] | None = None
        self._idle = threading.Condition(self._lock)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    @property
    def running(self) -> bool:
        """Whether the helper process is alive."""
        return self._process.poll() is None

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
        if self._process.poll() is None:
            self._process.terminate()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
        self._to_child.close()

    def _send(self, epoch: int, architecture: str, weights: list[np.ndarray]) -> None:
        try:
            self._to_child.send((epoch, architecture, weights))
            self._busy, self._in_flight = True, epoch
        except (OSError, ValueError):  # helper gone: say so; training goes on
            self._busy = False
            self._on_done(epoch, None, HELPER_GONE)

    def _read(self) -> None:
        while True:
            try:
                epoch, tflite, error = self._from_child.recv()
            except (EOFError, OSError, ValueError):
                self._from_child.close()
                with self._lock:
                    lost = self._in_flight if self._busy else None
                    self._busy = False
                    self._idle.notify_all()
                    on_done = self._on_done
                if lost is not None:
                    on_done(lost, None, HELPER_GONE)
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


def _serve(requests: Connection, replies: Connection) -> None:
    """The helper's loop: rebuild the named architecture, load weights, export."""
    from digitpad.core.architectures import build_model
    from digitpad.core.errors import one_line
    from digitpad.core.modelfile import export_tflite
    from digitpad.core.quiet import import_tensorflow_quietly

    import_tensorflow_quietly()
    models: dict[str, Any] = {}
    while True:
        try:
            epoch, architecture, weights = requests.recv()
        except (EOFError, OSError):
            return
        try:
            model = models.get(architecture) or build_model(architecture)
            models[architecture] = model
            model.set_weights(weights)
            replies.send((epoch, export_tflite(model), None))
        except Exception as error:  # report, keep serving
            replies.send((epoch, None, one_line(error)))


def _main() -> None:
    """Replies go to a private copy of stdout; fd 1 and 2 go to /dev/null, so
    nothing TensorFlow prints can corrupt the stream."""
    replies = Connection(os.dup(1), readable=False)
    requests = Connection(os.dup(0), writable=False)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    _serve(requests, replies)


if __name__ == "__main__":
    _main()
