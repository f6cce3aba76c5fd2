"""The two queues that hand work to the GUI thread in turns the event loop can bear.

``threads`` is what features use (``Runner``, ``Task``, ``Steps``); this is how their
work reaches the GUI thread without holding up painting and input, kept apart so the
timing rules below are read in one place:

- :class:`GuiCalls` runs the callables workers ``post``. It is the one thing that
  crosses threads: a locked queue plus one argument-free signal, so no Python object
  rides a queued signal (PySide6 6.12.0's stable-ABI wheels mis-counted references to
  None/True carried that way; see pyproject.toml). It runs callbacks for
  ``CALLS_SLICE_S`` at a time, so a burst of results (an epoch's end) waits a turn
  instead of freezing the window.
- :class:`StepQueue` serves every running ``Steps``, one step per timer turn. A chain
  of ``QTimer.singleShot(0)`` is not enough: those are posted events, and Qt runs every
  posted event of a pass before it looks at timers and paints again, so a 5 ms timer
  then fires only every other step. A 1 ms timer queues behind the timers already due,
  so painting, input and other timers get their turn between two steps.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

log = logging.getLogger(__name__)

STEP_DELAY_MS = 1  # a real timer, not a posted event: see the module docstring
CALLS_SLICE_S = 0.008  # queued callbacks run this long, then let the loop breathe


class GuiCalls(QObject):
    """Runs queued callables on the GUI thread; the one signal that crosses threads."""

    _woken = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._calls: deque[Callable[[], None]] = deque()
        self._woken.connect(self._run_pending, Qt.ConnectionType.QueuedConnection)

    def post(self, call: Callable[[], None]) -> None:
        """Queue ``call`` for the GUI thread; safe from any thread."""
        with self._lock:
            self._calls.append(call)
            first = len(self._calls) == 1
        if first:
            self._woken.emit()

    @Slot()
    def _run_pending(self) -> None:
        """Run queued callbacks; after ``CALLS_SLICE_S`` the rest wait for a timer
        turn, so a burst of results (an epoch's end) cannot hold up painting."""
        deadline = time.perf_counter() + CALLS_SLICE_S
        while True:
            with self._lock:
                if not self._calls:
                    return
                call = self._calls.popleft()
            try:
                call()
            except Exception:  # one broken callback must not starve the others
                log.exception("callback on the GUI thread failed")
            if time.perf_counter() > deadline:
                with self._lock:
                    more = bool(self._calls)
                if more:  # post() only wakes an empty queue: this timer must
                    QTimer.singleShot(STEP_DELAY_MS, self, self._run_pending)
                return


class Stepper(Protocol):
    """What the queue serves (``threads.Steps``): a QObject running a step a turn."""

    @property
    def running(self) -> bool: ...

    def step(self) -> bool: ...

    def cancel(self) -> None: ...


class StepQueue(QObject):
    """Every running ``Steps``, served round-robin: one step per timer turn."""

    def __init__(self) -> None:
        super().__init__()
        self._waiting: deque[Stepper] = deque()
        self._armed = False

    def add(self, steps: Stepper) -> None:
        """Give ``steps`` turns until it is done, cancelled or its owner is gone."""
        if steps not in self._waiting:
            self._waiting.append(steps)
        self._arm()

    def _arm(self) -> None:
        if self._waiting and not self._armed:
            self._armed = True
            QTimer.singleShot(STEP_DELAY_MS, self, self._run_one)

    def _run_one(self) -> None:
        self._armed = False
        while self._waiting:
            steps = self._waiting.popleft()
            if not shiboken6.isValid(steps) or not steps.running:
                continue  # its owner is gone, or it was cancelled or finished
            try:
                more = steps.step()
            except Exception:  # a broken step ends its run, not the others'
                log.exception("a step on the GUI thread failed")
                steps.cancel()
                more = False
            if more and steps not in self._waiting:
                self._waiting.append(steps)
            break
        self._arm()


_step_queue: StepQueue | None = None


def step_queue() -> StepQueue:
    """The process-wide step queue, made on first use (on the GUI thread)."""
    global _step_queue
    if _step_queue is None:
        _step_queue = StepQueue()
    return _step_queue
