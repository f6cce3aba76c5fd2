"""The app's one TensorFlow helper: started when a job needs it, gone when idle.

Every job that needs TensorFlow (training, fine-tuning, saliency, converting a
``.keras``) goes to one ``python -m digitpad.core.helpers.tensorflow_process`` (the
protocol is described there). One process instead of one per kind: TensorFlow costs
400-700 MB, and two helpers side by side were 1.3 GB beside the app. It stays up
between jobs (so the next Start or saliency map does not wait for TensorFlow's
import) and exits after ``idle_timeout`` seconds without work, giving its memory
back; the next job starts a new one, transparently but for that import. After each
run it is swapped for a fresh one at once (``_recycle``: a run leaves 150-250 MB
behind that a process only gives back by ending).

Two kinds of work share it:
- a *run* (training, fine-tuning) streams events for minutes; one at a time, a second
  one is refused with a clear message (the app never starts two);
- a *question* (a saliency map, a conversion) gets one answer. During a run the
  helper answers questions between two batches, so "Why this digit?" while training
  waits for a batch (milliseconds), not for the run.

Every failure is a message, never a hang: a helper that dies or sends something
unreadable fails what was waiting on it and is replaced at the next job; a question
unanswered within its timeout is given up (and a helper with nothing else to do is
ended); a run's Cancel that the helper does not honour within ``STOP_GRACE_S``
ends the helper (``tensorflow_run``).
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import queue
import threading
import time
from multiprocessing.reduction import ForkingPickler
from typing import Any

from digitpad.core.errors import DigitPadError
from digitpad.core.helpers.process import HelperProcess
from digitpad.core.helpers.tensorflow_run import GONE as _GONE
from digitpad.core.helpers.tensorflow_run import Run

IDLE_TIMEOUT_S = 150.0  # a helper with no job for this long exits
IDLE_ENV = "DIGITPAD_HELPER_IDLE_S"  # overrides it (tests, benchmarks)
QUESTION_TIMEOUT_S = 120.0  # TensorFlow's import on a busy machine included
HELPER_GONE = "the TensorFlow helper process stopped unexpectedly"
GARBLED = "the TensorFlow helper process sent something DigitPad cannot read"


def idle_timeout_from_env() -> float:
    """``DIGITPAD_HELPER_IDLE_S`` if set to a positive number, else the default."""
    try:
        value = float(os.environ.get(IDLE_ENV, ""))
    except ValueError:
        return IDLE_TIMEOUT_S
    return value if value > 0 else IDLE_TIMEOUT_S


class _Live:
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


class TensorFlowHelper:
    """The parent's end of the helper (thread-safe; see the module docstring)."""

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
        self._live: _Live | None = None
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

    # ---------------------------------------------------------------- questions

    def ask(self, job: Any, timeout: float = QUESTION_TIMEOUT_S) -> tuple:
        """Send a question (an ``ExplainJob``, a ``ConvertJob``); block for the reply.

        ``DigitPadError`` if the helper cannot start, dies, garbles or stays silent.
        """
        live, reply = self._ask_once(job, timeout)
        if reply is _GONE and live.recycled:  # replaced as it was asked: ask anew
            live, reply = self._ask_once(job, timeout)
        if reply is _GONE:
            raise DigitPadError(live.problem)
        return reply

    def _ask_once(self, job: Any, timeout: float) -> tuple[_Live, Any]:
        answer: queue.Queue = queue.Queue()
        live, question = self._begin(), next(self._ids)
        try:
            live.answers[question] = answer
            try:
                live.send(("question", question, job))
            except (OSError, ValueError):
                return live, _GONE
            try:
                return live, answer.get(timeout=timeout)
            except queue.Empty:
                self._give_up(live, f"no answer within {timeout:.0f} s")
                raise DigitPadError(
                    f"the TensorFlow helper gave no answer within {timeout:.0f} s"
                ) from None
        finally:
            live.answers.pop(question, None)
            self._end()

    # ---------------------------------------------------------------- runs

    def run(self, job: Any) -> Run:
        """Start a training or fine-tuning run; its events come from ``Run.events``."""
        return Run(self, job)

    def _start_run(self, job: Any) -> tuple[_Live, queue.Queue, int, threading.Event]:
        """Start a run; the job is sent on a thread of its own (``sent`` is set once
        it is through): a job bigger than a pipe holds blocks its sender until the
        helper reads it, and a helper that never reads must not take Cancel with it."""
        live = self._begin()
        events: queue.Queue = queue.Queue()
        with self._lock:
            busy = live.run_events is not None
            if not busy:
                live.run_events = events
        if busy:
            self._end()
            raise DigitPadError(
                "the TensorFlow helper is already running a training run; "
                "wait for it to end or cancel it"
            )
        run_id = next(self._ids)
        try:
            data = bytes(ForkingPickler.dumps(("run", run_id, job)))
        except Exception as error:  # the job would not pickle: nothing was sent
            self._end_run(live, events)
            raise DigitPadError(
                f"could not send the job to the helper: {error}"
            ) from None
        sent = threading.Event()

        def deliver() -> None:
            try:
                live.send_bytes(data)
            except (OSError, ValueError):
                events.put(_GONE)
            finally:
                sent.set()

        threading.Thread(
            target=deliver, name="digitpad-helper-send", daemon=True
        ).start()
        return live, events, run_id, sent

    def _end_run(self, live: _Live, events: queue.Queue) -> None:
        with self._lock:
            if live.run_events is events:
                live.run_events = None
        self._end()

    # ---------------------------------------------------------------- lifetime

    def _begin(self) -> _Live:
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

    def _launch(self) -> _Live:
        try:
            live = _Live(self.module)
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

    def _read(self, live: _Live) -> None:
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

    def _retire(self, live: _Live, grace: float = 2.0) -> None:
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

    def _recycle(self, live: _Live) -> None:
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

    def _give_up(self, live: _Live, why: str) -> None:
        """A silent helper: end it unless a run still uses it (that run decides)."""
        with self._lock:
            running = live.run_events is not None
        if not running:
            live.problem = f"the TensorFlow helper process hung ({why})"
            self._retire(live)

    def _watch_idle(self, live: _Live) -> None:
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


_shared: TensorFlowHelper | None = None
_shared_lock = threading.Lock()


def shared_helper() -> TensorFlowHelper:
    """The app's one helper (every feature's jobs go to it)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = TensorFlowHelper()
        return _shared


@atexit.register
def close_shared_helper() -> None:
    with _shared_lock:
        helper = _shared
    if helper is not None:
        helper.close()
