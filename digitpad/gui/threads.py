"""The one way DigitPad runs work off the GUI thread, and long work on it in slices.

**Jobs** are plain Python callables that take a :class:`Task` (for ``cancelled`` and
``post``); a :class:`Runner` starts each on a daemon Python thread of its own and hands
the value or a one-line error back to callbacks on the GUI thread.
``latest_request.LatestRequestRunner`` adds "latest request wins" (live prediction,
saliency) on top of a ``Runner``.

**The rule on what crosses threads:** nothing but callables in a locked queue. A worker
never emits a Qt signal and never touches a widget; it calls ``task.post(fn)``, which
queues ``fn`` and wakes the GUI thread through one argument-free signal
(``gui_queues.GuiCalls``). So no Python object rides a queued signal, whatever PySide6
version is installed, and every signal a feature connects to is emitted on the GUI
thread.

**Work that must run on the GUI thread** (building widgets, a model's layer cards) and
would take more than a few milliseconds goes in :class:`Steps`: one step per 1 ms timer
turn, every running ``Steps`` taking turns in one queue (``gui_queues.StepQueue``, which
says why a timer and not ``QTimer.singleShot(0)``).

**Why Python threads, not QThread:** a daemon thread can be abandoned. A model load
stuck on a slow disk or a never-ending file must not hold up closing the window, and
Python exiting with the window still open must not abort the process ("QThread:
Destroyed while thread is still running"). Orange's ``concurrent`` module does the same.
Shutdown is bounded everywhere: a runner's owner being destroyed, the application
quitting and the interpreter exiting all cancel every task and stop delivering; waits
are explicit, short and never inside a slot.
"""

from __future__ import annotations

import atexit
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from typing import TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject

from digitpad.core.errors import DigitPadError, one_line
from digitpad.gui.gui_queues import GuiCalls, step_queue

T = TypeVar("T")

EXIT_WAIT_S = 1.0  # at interpreter exit: how long in-flight jobs get to finish
_DONE = object()


class Steps(QObject):
    """Runs a generator on the GUI thread, one step per event-loop turn.

    Each ``yield`` of the generator ends a step. Steps of every running ``Steps`` take
    turns in one queue, a step per 1 ms timer, so two panels building at once never
    bunch their steps into one long turn (see the module docstring). ``start``
    replaces an unfinished run, ``finish`` runs what is left at once, and nothing runs
    once the owner is gone.
    """

    def __init__(self, owner: QObject) -> None:
        super().__init__(owner)
        self._steps: Iterator[object] | None = None

    @property
    def running(self) -> bool:
        return self._steps is not None

    def start(self, steps: Iterator[object]) -> None:
        """Run ``steps``, the first in a later turn, each in a turn of its own."""
        self._steps = steps
        step_queue().add(self)

    def cancel(self) -> None:
        self._steps = None

    def finish(self) -> None:
        """Run every remaining step now (a caller that needs the result at once)."""
        steps, self._steps = self._steps, None
        for _ in steps or ():
            pass

    def step(self) -> bool:
        """Run one step now; True while more are left (the step queue's turn)."""
        steps = self._steps
        if steps is None:
            return False
        # the last step ends the run, unless that step itself started another one
        if next(steps, _DONE) is _DONE and self._steps is steps:
            self._steps = None
        return self._steps is not None


_gui_calls: GuiCalls | None = None
_runners: weakref.WeakSet[Runner] = weakref.WeakSet()


def _calls() -> GuiCalls:
    """The process-wide queue, created on (and living on) the application's thread."""
    global _gui_calls
    if _gui_calls is None:
        app = QCoreApplication.instance()
        if app is None or threading.current_thread() is not threading.main_thread():
            raise RuntimeError("create runners on the GUI thread, after the app")
        _gui_calls = GuiCalls()
        app.aboutToQuit.connect(shutdown_all)
    return _gui_calls


class Task:
    """A job's handle: the job polls ``cancelled`` and sends results by ``post``."""

    def __init__(self, runner: Runner, name: str) -> None:
        self.name = name
        self._runner = runner
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        """Ask the job to stop; it decides when (e.g. after the current batch)."""
        self._cancel.set()

    def post(self, call: Callable[[], None]) -> None:
        """Run ``call`` on the GUI thread, unless the runner has been closed by then."""
        self._runner._post(call)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def join(self, timeout: float) -> bool:
        """Wait at most ``timeout`` seconds for the thread; True if it ended."""
        if self._thread is not None:
            self._thread.join(max(0.0, timeout))
        return not self.running


class Runner(QObject):
    """Starts jobs for its owner; delivers outcomes only while the owner is alive.

    A child of ``owner``: when the owner is destroyed, the runner is too, its tasks are
    cancelled and nothing more reaches the owner's callbacks.
    """

    def __init__(self, owner: QObject, name: str) -> None:
        super().__init__(owner)
        self.setObjectName(f"{name}-runner")
        self._name = name
        self._tasks: list[Task] = []
        self._closed = False
        self._gui = _calls()
        _runners.add(self)
        tasks = self._tasks  # not self: the slot must not keep the runner alive
        self.destroyed.connect(lambda *_: [task.cancel() for task in tasks])

    @property
    def closed(self) -> bool:
        """Closed (by ``close`` or the app's shutdown): no job starts, nothing is
        delivered."""
        return self._closed

    @property
    def busy(self) -> bool:
        """Some job has not yet delivered its outcome."""
        return bool(self._tasks)

    def start(
        self,
        job: Callable[[Task], T],
        done: Callable[[T], None] | None = None,
        failed: Callable[[str], None] | None = None,
        name: str | None = None,
    ) -> Task:
        """Run ``job(task)`` on a new daemon thread; ``done(value)`` or ``failed(text)``
        run on the GUI thread afterwards (errors are one line, never a traceback)."""
        if self._closed:
            raise RuntimeError(f"{self._name}: runner is closed")
        task = Task(self, name or self._name)

        def body() -> None:
            try:
                value = job(task)
            except DigitPadError as error:
                outcome = _failure(failed, str(error))
            except Exception as error:  # TensorFlow raises a zoo of types
                outcome = _failure(failed, f"{type(error).__name__}: {one_line(error)}")
            else:
                outcome = (lambda: done(value)) if done is not None else None
            self._post(lambda: self._ended(task, outcome))

        task._thread = threading.Thread(
            target=body, name=f"digitpad-{task.name}", daemon=True
        )
        self._tasks.append(task)
        task._thread.start()
        return task

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    def close(self, wait: float = 0.0) -> bool:
        """Cancel every task and stop delivering; wait up to ``wait`` seconds in all.

        Returns True when no job thread is left running. A job that does not end in
        time is abandoned (daemon threads never hold up Python's exit).
        """
        self._closed = True
        self.cancel_all()
        deadline = time.monotonic() + wait
        finished = all(task.join(deadline - time.monotonic()) for task in self._tasks)
        return finished

    def _post(self, call: Callable[[], None]) -> None:
        def guarded() -> None:
            if not self._closed and shiboken6.isValid(self):
                call()

        self._gui.post(guarded)

    def _ended(self, task: Task, outcome: Callable[[], None] | None) -> None:
        if task in self._tasks:
            self._tasks.remove(task)
        if outcome is not None:
            outcome()


def _failure(
    failed: Callable[[str], None] | None, message: str
) -> Callable[[], None] | None:
    return (lambda: failed(message)) if failed is not None else None


def shutdown_all(wait: float = 0.0) -> bool:
    """Close every runner (application quit, interpreter exit); True if all ended."""
    deadline = time.monotonic() + wait
    runners = [r for r in list(_runners) if shiboken6.isValid(r)]
    for runner in runners:
        runner._closed = True
        runner.cancel_all()
    return all(runner.close(deadline - time.monotonic()) for runner in runners)


@atexit.register
def _at_exit() -> None:
    # Let in-flight jobs (a prediction, a cancelled batch) leave native code before
    # Python finalises; a job still running after that is abandoned.
    shutdown_all(EXIT_WAIT_S)
