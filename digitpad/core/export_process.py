"""LiteRT export of a model being trained, in a helper process.

Converting a Keras model to LiteRT runs native code that holds Python's global lock
for 100-200 ms at a time, so doing it in the training process would freeze the GUI
once per epoch while "watch it learn" is on. A helper process imports TensorFlow once,
then turns (architecture, weights) snapshots into flatbuffers; the training thread
only copies the weights and never waits for the helper.

The helper is ``python -m digitpad.core.export_process`` talking over its stdin and
stdout, not a ``multiprocessing`` child: spawning one re-runs the parent's main
script, which breaks any program embedding DigitPad without a ``__main__`` guard.
``multiprocessing.connection.Connection`` frames the messages; on POSIX it works on
pipe descriptors (on Windows it expects sockets, and LiteRT is not installed there).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import numpy as np

HELPER_GONE = "the LiteRT export helper stopped unexpectedly"
READY = "ready"  # the helper's first message: TensorFlow is loaded, send work

# (ticket, flatbuffer or None, error text or None), called on the reader thread
ExportDone = Callable[[int, bytes | None, str | None], None]
Snapshot = tuple[int, str, list[np.ndarray]]  # ticket, architecture, weights


def helper_supported() -> bool:
    """A frozen bundle's executable is the app itself, not a Python to run ``-m``."""
    return not getattr(sys, "frozen", False) and os.name == "posix"


class ExportProcess:
    """One helper process; at most one export in flight (newer snapshots win).

    Raises ``OSError`` if the helper cannot be started.
    """

    def __init__(self, on_done: ExportDone) -> None:
        package_root = str(Path(__file__).resolve().parents[2])
        self._process = subprocess.Popen(
            [sys.executable, "-m", "digitpad.core.export_process"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=package_root,  # -m puts the cwd first on sys.path: this package
            env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
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
        self._idle = threading.Condition(self._lock)
        self._ready = False  # until then snapshots wait: a send would block
        self._gone = False  # the helper exited: every snapshot fails at once
        self._in_flight: int | None = None  # ticket being exported
        self._waiting: Snapshot | None = None
        self._reader = threading.Thread(
            target=self._read, name="digitpad-export-reader", daemon=True
        )
        self._reader.start()

    @property
    def running(self) -> bool:
        """Whether the helper process is alive."""
        return self._process.poll() is None

    def submit(self, ticket: int, architecture: str, weights: list[np.ndarray]) -> None:
        """Queue a snapshot; one still waiting behind a running export is replaced.

        Never blocks on the helper: before it is ready, or while it exports, the
        snapshot waits and the reader thread sends it later.
        """
        with self._lock:
            if self._gone:
                self._report(ticket, None, HELPER_GONE)
                return
            if not self._ready or self._in_flight is not None:
                self._waiting = (ticket, architecture, weights)
                return
            self._send((ticket, architecture, weights))

    def wait_idle(self, timeout: float, stop: Callable[[], bool]) -> bool:
        """Block until every queued snapshot is exported; False on timeout or stop."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._pending() and not stop():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._idle.wait(min(0.1, remaining))  # wakes to poll ``stop``
            return not self._pending()

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
            self._process.wait()
        self._to_child.close()
        if threading.current_thread() is not self._reader:
            self._reader.join(timeout=10)  # a result being handed on finishes first

    def _pending(self) -> bool:
        alive = self._process.poll() is None
        return alive and (self._in_flight is not None or self._waiting is not None)

    def _send(self, snapshot: Snapshot) -> None:
        """Under the lock, with the helper idle and ready."""
        try:
            self._to_child.send(snapshot)
            self._in_flight = snapshot[0]
        except (OSError, ValueError):  # helper gone: say so; training goes on
            self._in_flight = None
            self._report(snapshot[0], None, HELPER_GONE)

    def _report(self, ticket: int, tflite: bytes | None, error: str | None) -> None:
        with contextlib.suppress(Exception):  # a broken receiver must not stop us
            self._on_done(ticket, tflite, error)

    def _read(self) -> None:
        try:
            while self._handle(self._from_child.recv()):
                pass
        except Exception:  # EOF: the helper exited or was stopped
            pass
        finally:
            self._from_child.close()
            with self._lock:
                self._gone = True
                lost = [self._in_flight, self._waiting and self._waiting[0]]
                self._in_flight, self._waiting = None, None
                self._idle.notify_all()
            for ticket in lost:
                if ticket is not None:
                    self._report(ticket, None, HELPER_GONE)

    def _handle(self, message: Any) -> bool:
        if message == READY:
            with self._lock:
                self._ready = True
                self._send_waiting()
            return True
        ticket, tflite, error = message
        self._report(ticket, tflite, error)
        with self._lock:
            self._in_flight = None
            self._send_waiting()
            self._idle.notify_all()
        return True

    def _send_waiting(self) -> None:
        if self._waiting is not None:
            snapshot, self._waiting = self._waiting, None
            self._send(snapshot)


def _ignore(ticket: int, tflite: bytes | None, error: str | None) -> None:
    pass


def _serve(requests: Connection, replies: Connection) -> None:
    """The helper's loop: rebuild the named architecture, load weights, export."""
    from digitpad.core.architectures import build_model
    from digitpad.core.errors import one_line
    from digitpad.core.modelfile import export_tflite
    from digitpad.core.quiet import import_tensorflow_quietly

    import_tensorflow_quietly()
    replies.send(READY)
    models: dict[str, Any] = {}
    while True:
        try:
            ticket, architecture, weights = requests.recv()
        except (EOFError, OSError):
            return
        try:
            model = models.get(architecture) or build_model(architecture)
            models[architecture] = model
            model.set_weights(weights)
            replies.send((ticket, export_tflite(model), None))
        except Exception as error:  # report, keep serving
            replies.send((ticket, None, one_line(error)))


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
