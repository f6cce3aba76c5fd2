"""The one way DigitPad runs work off the GUI thread.

**Jobs** are plain Python callables that take a :class:`Task` (for ``cancelled`` and
``post``); a :class:`Runner` starts each on a daemon Python thread of its own and hands
the value or a one-line error back to callbacks on the GUI thread.
:class:`LatestRequestRunner` adds "latest request wins" (live prediction, saliency).

**The rule on what crosses threads:** nothing but callables in a locked queue. A worker
never emits a Qt signal and never touches a widget; it calls ``task.post(fn)``, which
queues ``fn`` and wakes the GUI thread through one argument-free signal. So no Python
object rides a queued signal, whatever PySide6 version is installed (6.12.0's
stable-ABI wheels mis-counted references to None/True carried that way; see
pyproject.toml), and every signal a feature connects to is emitted on the GUI thread.

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
import logging
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot

from digitpad.core.errors import DigitPadError, one_line

T = TypeVar("T")
log = logging.getLogger(__name__)

EXIT_WAIT_S = 1.0  # at interpreter exit: how long in-flight jobs get to finish


class _GuiCalls(QObject):
    """Runs queued callables on the GUI thread; the one signal that crosses threads."""

    _woken = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._calls: deque[Callable[[], None]] = deque()
        self._woken.connect(self._run_pending, Qt.ConnectionType.QueuedConnection)

    def post(self, call: Callable[[], None]) -> None:
        with self._lock:
            self._calls.append(call)
            first = len(self._calls) == 1
        if first:
            self._woken.emit()

    @Slot()
    def _run_pending(self) -> None:
        while True:
            with self._lock:
                if not self._calls:
                    return
                call = self._calls.popleft()
            try:
                call()
            except Exception:  # one broken callback must not starve the others
                log.exception("callback on the GUI thread failed")


_gui_calls: _GuiCalls | None = None
_runners: weakref.WeakSet[Runner] = weakref.WeakSet()


def _calls() -> _GuiCalls:
    """The process-wide queue, created on (and living on) the application's thread."""
    global _gui_calls
    if _gui_calls is None:
        app = QCoreApplication.instance()
        if app is None or threading.current_thread() is not threading.main_thread():
            raise RuntimeError("create runners on the GUI thread, after the app")
        _gui_calls = _GuiCalls()
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


class LatestRequestRunner(Generic[T]):
    """At most one job in flight; a newer request replaces a waiting one.

    Answers are delivered only for the newest request (git-cola's token recipe), so the
    display never jumps back to an older state; answers for older ones are dropped.
    """

    def __init__(self, owner: QObject, name: str) -> None:
        self._runner = Runner(owner, name)
        self._token = 0
        self._waiting: tuple[int, Callable[[Task], T], Any, Any] | None = None
        self._in_flight = False

    @property
    def token(self) -> int:
        return self._token

    @property
    def busy(self) -> bool:
        return self._in_flight or self._waiting is not None

    def request(
        self,
        job: Callable[[Task], T],
        done: Callable[[T], None],
        failed: Callable[[str], None],
    ) -> int:
        """Queue ``job`` as the newest request; return its token."""
        self._token += 1
        self._waiting = (self._token, job, done, failed)
        if not self._in_flight:
            self._start_waiting()
        return self._token

    def drop(self) -> None:
        """Forget the waiting request and any answer still to come."""
        self._token += 1
        self._waiting = None

    def close(self, wait: float = 0.0) -> bool:
        self._waiting = None
        return self._runner.close(wait)

    def _start_waiting(self) -> None:
        if self._waiting is None or self._runner._closed:
            return
        token, job, done, failed = self._waiting
        self._waiting = None
        self._in_flight = True
        self._runner.start(
            job,
            lambda value: self._answered(token, done, value),
            lambda message: self._answered(token, failed, message),
        )

    def _answered(self, token: int, deliver: Callable[[Any], None], value: Any) -> None:
        self._in_flight = False
        if token == self._token:
            deliver(value)
        self._start_waiting()


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
