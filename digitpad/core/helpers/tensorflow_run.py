"""One training or fine-tuning run in the app's TensorFlow helper, as events.

``TensorFlowHelper.run`` makes one; the panel's worker thread iterates ``events``,
steering the run with Cancel and "watch it learn" as it goes, then ``close``s it.
"""

from __future__ import annotations

import contextlib
import queue
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from digitpad.core.helpers.tensorflow_helper import TensorFlowHelper

STOP_GRACE_S = 10.0  # after "stop": how long a run may take to end its batch
ENDS_RUN = ("saved", "save_failed", "cancelled", "failed")
GONE = ("gone",)  # what the helper's reader hands waiters when the helper is gone


class Run:
    """One training or fine-tuning run in the helper. ``events`` yields until its end.

    The events are ``tensorflow_process``'s, starting with ("ready",); a helper that
    goes away mid-run is ("failed", "Training failed: ..."), a Cancel it does not
    honour within ``STOP_GRACE_S`` is ("cancelled",) and ends the helper.
    """

    def __init__(self, helper: TensorFlowHelper, job: Any) -> None:
        self._helper = helper
        self._previews = bool(getattr(job, "previews", False))
        self._stop_sent_at: float | None = None
        self._closed = self._ended = False
        self._live, self._events, self._id, self._sent = helper._start_run(job)
        self._pending: list[Any] = []  # steering held back until the job is through

    def stop(self) -> None:
        """Ask the run to end after its current batch (idempotent)."""
        if self._stop_sent_at is None:
            self._stop_sent_at = time.monotonic()
            self._send(("stop", self._id))

    def set_previews(self, on: bool) -> None:
        if on != self._previews:
            self._previews = on
            self._send(("previews", self._id, on))

    def events(
        self, should_stop: Callable[[], bool], previews: Callable[[], bool]
    ) -> Iterator[tuple]:
        """Every event up to and including the last; polls the two callables."""
        while True:
            if should_stop():
                self.stop()
            self.set_previews(previews())
            self._flush()
            try:
                event = self._events.get(timeout=0.1)
            except queue.Empty:
                late = self._stop_sent_at is not None and (
                    time.monotonic() - self._stop_sent_at > STOP_GRACE_S
                )
                if not late:
                    continue
                self._helper._retire(self._live)  # stuck in native code: end it
                event = ("cancelled",)
            if event is GONE:
                event = ("failed", f"Training failed: {self._live.problem}")
            if event[0] in ENDS_RUN:
                self._ended = True
            yield event
            if self._ended:
                return

    def close(self) -> None:
        """The run is over for the caller (idempotent). The helper is replaced by a
        fresh one (``_recycle``); a run that had not ended ends it outright, since
        its events would reach the next run."""
        if self._closed:
            return
        self._closed = True
        if not self._ended:
            self._helper._retire(self._live)
        self._helper._end_run(self._live, self._events)
        if self._ended and not self._live.ended.is_set():
            self._helper._recycle(self._live)

    def _send(self, message: Any) -> None:
        if not self._sent.is_set():  # nothing else on the pipe while the job goes
            self._pending.append(message)
            return
        with contextlib.suppress(OSError, ValueError):  # gone: ``events`` says so
            self._live.send(message)

    def _flush(self) -> None:
        """Steering asked for while the job was still being sent, now it is through."""
        if self._pending and self._sent.is_set():
            pending, self._pending = self._pending, []
            for message in pending:
                self._send(message)
