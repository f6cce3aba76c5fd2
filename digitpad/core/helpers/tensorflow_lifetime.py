"""How the app's one TensorFlow helper process lives: started on demand, gone when idle.

``tensorflow_helper.TensorFlowHelper`` is what jobs call (``ask`` a question, ``run``
a training); underneath it one helper process at a time has to be kept: started when a
job needs it, its pipe read by a thread of its own that routes every message to whoever
waits for it, ended after ``idle_timeout`` seconds without work, swapped for a fresh
one after a run (``_recycle``), and retired for good when it dies, garbles or hangs,
failing whatever waited on it. That machinery is this module, so the public end reads
as the two kinds of work and this one as the process's life, each on its own.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import queue
import threading
import time
from typing import Any

from digitpad.core.errors import DigitPadError
from digitpad.core.helpers.process import HelperProcess
from digitpad.core.helpers.tensorflow_run import GONE as _GONE

IDLE_TIMEOUT_S = 150.0  # a helper with no job for this long exits
IDLE_ENV = "DIGITPAD_HELPER_IDLE_S"  # overrides it (tests, benchmarks)
HELPER_GONE = "the TensorFlow helper process stopped unexpectedly"
GARBLED = "the TensorFlow helper process sent something DigitPad cannot read"


def idle_timeout_from_env() -> float:
    """``DIGITPAD_HELPER_IDLE_S`` if set to a positive number, else the default."""
    try:
        value = float(os.environ.get(IDLE_ENV, ""))
    except ValueError:
        return IDLE_TIMEOUT_S
    return value if value > 0 else IDLE_TIMEOUT_S


class Live:
    """One started helper: its process, the thread reading it, who waits on it."""

    def __init__(self, module: str) -> None:
        self.process = HelperProcess(module)
        self.send_lock = threading.Lock()
        self.answers: dict[int, queue.Queue] = {}
        self.run_events: queue.Queue | None = None
        self.problem = HELPER_GONE
        self.ended = threading.Event()
        self.ready = threading.Event()
        self.recycled = False  # ended on purpose after a run, not by a failure
        self.stopping = False  # a thread is ending the process (once only)
        self.stopped = threading.Event()

    def send(self, message: Any) -> None:
        with self.send_lock:
            self.process.to_child.send(message)

    def send_bytes(self, data: bytes) -> None:
        with self.send_lock:
            self.process.to_child.send_bytes(data)


class HelperLifetime:
    """One helper process at a time for ``TensorFlowHelper`` (thread-safe).

    ``_begin``/``_end`` bracket every job (the helper is busy in between and never
    idles out); the reader and idle threads, ``_retire`` and ``_recycle`` do the rest.
    """

    def __init__(
        self,
        idle_timeout: float | None = None,
        module: str = "digitpad.core.helpers.tensorflow_process",
    ) -> None:
        self.module = module  # tests start a stand-in speaking the same protocol
        self.idle_timeout = (
            idle_timeout if idle_timeout is not None else idle_timeout_from_env()
        )
        self._lock = threading.Condition()
        self._live: Live | None = None
        self._busy = 0  # runs and questions under way
        self._last_used = time.monotonic()
        self._ids = itertools.count(1)
        self.started = 0  # helper processes started so far (tests, benchmarks)

    # ---------------------------------------------------------------- state

    @property
    def pid(self) -> int | None:
        """The running helper's process id, None when there is none."""
        with self._lock:
            live = self._live
        return live.process.process.pid if live and live.process.running else None

    @property
    def warm(self) -> bool:
        """A helper is up with TensorFlow loaded: the next job starts at once."""
        with self._lock:
            live = self._live
        return live is not None and live.ready.is_set() and live.process.running

    # ---------------------------------------------------------------- lifetime

    def _begin(self) -> Live:
        """The live helper (started if needed), counted busy until ``_end``."""
        with self._lock:
            if self._live is None or self._live.ended.is_set():
                self._live = self._launch()
            self._busy += 1
            return self._live

    def _end(self) -> None:
        with self._lock:
            self._busy -= 1
            self._last_used = time.monotonic()
            self._lock.notify_all()

    def _launch(self) -> Live:
        try:
            live = Live(self.module)
        except OSError as error:
            raise DigitPadError(
                f"could not start the TensorFlow helper process: {error}"
            ) from None
        self.started += 1
        for target, name in ((self._read, "read"), (self._watch_idle, "idle")):
            threading.Thread(
                target=target, args=(live,), name=f"digitpad-helper-{name}", daemon=True
            ).start()
        return live

    def _read(self, live: Live) -> None:
        """Route everything the helper says: answers to their askers, the rest to
        the run; on death or garbage, wake everyone with ``_GONE``."""
        connection = live.process.from_child
        try:
            while True:
                message = connection.recv()
                if not isinstance(message, tuple) or not message:
                    raise ValueError("not an event")
                if message[0] == "ready" and not live.ready.is_set():
                    live.ready.set()  # TensorFlow is loaded (each run has its own)
                    continue
                if message[0] == "answer":
                    waiting = live.answers.get(message[1])
                    if waiting is not None:
                        waiting.put(message[2])
                    continue
                with self._lock:
                    events = live.run_events
                if events is not None:
                    events.put(message)
        except (EOFError, OSError):
            pass
        except Exception:  # unpickling garbage raises anything
            live.problem = GARBLED
        self._retire(live)

    def _retire(self, live: Live, grace: float = 2.0) -> None:
        """End this helper for good and fail whatever waited on it."""
        with self._lock:
            if self._live is live:
                self._live = None
            live.ended.set()
            events = live.run_events
            first, live.stopping = not live.stopping, True
            self._lock.notify_all()
        if first:  # one thread closes the pipes; closing twice hits reused fds
            live.process.stop(grace=grace)
            live.stopped.set()
        else:
            live.stopped.wait(grace + 3.0)
        if events is not None:
            events.put(_GONE)
        for waiting in list(live.answers.values()):
            waiting.put(_GONE)

    def _recycle(self, live: Live) -> None:
        """After a run: a fresh helper instead of this one, started at once.

        A run leaves 150-250 MB behind in the helper (the LiteRT converter's
        libraries, TensorFlow's caches, freed heap glibc keeps): measured, 710 MB
        with TensorFlow and a saliency model loaded, 850-980 MB after a training run
        and a fine-tune. A fresh process is back at the first figure, and loads
        TensorFlow while the user looks at the results, so the next job need not
        wait; a question caught in the switch is asked again of the new one.
        """
        live.recycled = True
        self._retire(live)
        with self._lock:
            if self._live is None:
                with contextlib.suppress(DigitPadError):
                    self._live = self._launch()
                self._last_used = time.monotonic()

    def _give_up(self, live: Live, why: str) -> None:
        """A silent helper: end it unless a run still uses it (that run decides)."""
        with self._lock:
            running = live.run_events is not None
        if not running:
            live.problem = f"the TensorFlow helper process hung ({why})"
            self._retire(live)

    def _watch_idle(self, live: Live) -> None:
        """Let the helper go after ``idle_timeout`` seconds with nothing to do."""
        with self._lock:
            while not live.ended.is_set():
                if self._busy:
                    self._lock.wait()
                    continue
                left = self._last_used + self.idle_timeout - time.monotonic()
                if left <= 0:  # claimed under the lock: no job can take it now
                    if self._live is live:
                        self._live = None
                    live.ended.set()
                    break
                self._lock.wait(left)
            else:
                return
        self._retire(live)

    def close(self) -> None:
        """End the helper now (the app is closing): bounded, at most ~2 s."""
        with self._lock:
            live = self._live
        if live is not None:
            self._retire(live)
