"""LiteRT export of a model being trained, in a helper process.

Converting a Keras model to LiteRT runs native code that holds Python's global lock
for 100-200 ms at a time, so doing it in the training process would freeze the GUI
once per epoch while "watch it learn" is on. A helper process imports TensorFlow once,
then turns (architecture, weights) snapshots into flatbuffers; the training thread
only copies the weights and never waits for the helper.

The helper is ``python -m digitpad.core.export_process`` (see ``helper_process``).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

import numpy as np

from digitpad.core.helper_process import HelperProcess, child_channel

HELPER_GONE = "the LiteRT export helper stopped unexpectedly"
READY = "ready"  # the helper's first message: TensorFlow is loaded, send work

# (ticket, flatbuffer or None, error text or None), called on the reader thread
ExportDone = Callable[[int, bytes | None, str | None], None]
Snapshot = tuple[int, str, list[np.ndarray]]  # ticket, architecture, weights


class ExportProcess:
    """One helper process; at most one export in flight (newer snapshots win).

    Raises ``OSError`` if the helper cannot be started.
    """

    def __init__(self, on_done: ExportDone) -> None:
        self._helper = HelperProcess("digitpad.core.export_process")
        self._process = self._helper.process
        self._to_child = self._helper.to_child
        self._from_child = self._helper.from_child
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
        self._helper.stop()
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
    _serve(*child_channel())


if __name__ == "__main__":
    _main()
