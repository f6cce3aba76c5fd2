"""The app's one TensorFlow helper: started when a job needs it, gone when idle.

Every job that needs TensorFlow (training, fine-tuning, saliency, converting a
``.keras``) goes to one ``python -m digitpad.core.helpers.tensorflow_process`` (the
protocol is described there). One process instead of one per kind: TensorFlow costs
400-700 MB, and two helpers side by side were 1.3 GB beside the app. It stays up
between jobs (so the next Start or saliency map does not wait for TensorFlow's
import) and exits after ``idle_timeout`` seconds without work, giving its memory
back; the next job starts a new one, transparently but for that import. After each
run it is swapped for a fresh one at once (``_recycle``: a run leaves 150-250 MB
behind that a process only gives back by ending). How the process is kept (started,
read, idled out, recycled, retired) is ``tensorflow_lifetime``; this module is what
jobs call.

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
import queue
import threading
from multiprocessing.reduction import ForkingPickler
from typing import Any

from digitpad.core.errors import DigitPadError
from digitpad.core.helpers.tensorflow_lifetime import HelperLifetime, Live
from digitpad.core.helpers.tensorflow_run import GONE as _GONE
from digitpad.core.helpers.tensorflow_run import Run

QUESTION_TIMEOUT_S = 120.0  # TensorFlow's import on a busy machine included


class TensorFlowHelper(HelperLifetime):
    """The parent's end of the helper (thread-safe; see the module docstring)."""

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

    def _ask_once(self, job: Any, timeout: float) -> tuple[Live, Any]:
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

    def _start_run(self, job: Any) -> tuple[Live, queue.Queue, int, threading.Event]:
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

    def _end_run(self, live: Live, events: queue.Queue) -> None:
        with self._lock:
            if live.run_events is events:
                live.run_events = None
        self._end()


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
