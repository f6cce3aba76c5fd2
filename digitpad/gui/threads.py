"""Short jobs off the GUI thread: saving a kept model, loading one from the library.

Saving exports LiteRT and writes four files (about a second); loading may fall back to
TensorFlow. Either would stall drawing on the GUI thread, so both run as a QObject
worker on a QThread. Results come back through queued signals to bound methods of a
GUI-thread object, never to lambdas (which would run on the worker thread).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QDeadlineTimer,
    QObject,
    Qt,
    QThread,
    Signal,
    Slot,
)

from digitpad.core.errors import DigitPadError


class BackgroundTask(QObject):
    """Calls ``job()`` once on its thread and reports the value or the error text."""

    succeeded = Signal(object)
    failed = Signal(str)
    done = Signal()

    def __init__(self, job: Callable[[], Any]) -> None:
        super().__init__()
        self._job = job

    @Slot()
    def run(self) -> None:
        try:
            value = self._job()
        except DigitPadError as error:
            self.failed.emit(str(error))
        except Exception as error:  # a background job must never take the app down
            self.failed.emit(f"{type(error).__name__}: {error}")
        else:
            self.succeeded.emit(value)
        self.done.emit()


class _Keeper(QObject):
    """Holds every started thread and its worker until the thread has finished.

    It belongs to the application, not to a panel: if a panel is destroyed while a
    thread is still winding down, deleting that QThread would abort the process.
    """

    def __init__(self) -> None:
        super().__init__(QCoreApplication.instance())
        self.running: list[tuple[QThread, QObject]] = []

    @Slot()
    def reap(self) -> None:
        self.running = [pair for pair in self.running if not pair[0].isFinished()]


_keeper: _Keeper | None = None


def _the_keeper() -> _Keeper:
    global _keeper
    if _keeper is None:
        _keeper = _Keeper()
    return _keeper


class ThreadRunner(QObject):
    """Starts workers on their own QThreads; can wait for them, bounded, at close.

    Each worker needs a ``run`` slot and a ``done`` signal. References live in an
    application-wide keeper until each thread has finished, so nothing is deleted
    while it runs, whatever happens to the panel that started it.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._threads: list[QThread] = []

    def start(self, worker: QObject) -> QThread:
        keeper = _the_keeper()
        thread = QThread()
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        # Direct: quit() is thread-safe, and a queued call would never arrive while
        # the GUI thread is blocked in wait() at close.
        worker.done.connect(thread.quit, Qt.DirectConnection)
        thread.finished.connect(keeper.reap)
        thread.finished.connect(self._forget_finished)
        keeper.running.append((thread, worker))
        self._threads.append(thread)
        thread.start()
        return thread

    def is_busy(self) -> bool:
        return any(thread.isRunning() for thread in self._threads)

    def wait(self, milliseconds: int) -> bool:
        """Wait for every thread (sharing one deadline); True if all finished."""
        deadline = QDeadlineTimer(milliseconds)
        finished = all(thread.wait(deadline) for thread in self._threads)
        if finished:
            self._forget_finished()
        return finished

    @Slot()
    def _forget_finished(self) -> None:
        self._threads = [t for t in self._threads if not t.isFinished()]
