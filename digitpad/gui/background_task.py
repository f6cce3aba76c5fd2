"""Short jobs off the GUI thread: saving a kept model, loading one from the library.

Saving exports LiteRT and writes four files (about a second); loading may fall back to
TensorFlow. Either would stall drawing on the GUI thread, so both run as a QObject
worker on a QThread. Results come back through queued signals to bound methods of a
GUI-thread object, never to lambdas (which would run on the worker thread).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDeadlineTimer, QObject, Qt, QThread, Signal, Slot

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


class ThreadRunner(QObject):
    """Starts workers on their own QThreads and keeps them alive until they finish.

    Each worker needs a ``run`` slot and a ``done`` signal. The runner holds the only
    references, drops them once the thread has finished (so nothing is deleted while
    running) and can wait for all of them, bounded, when the window closes.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._running: list[tuple[QThread, QObject]] = []

    def start(self, worker: QObject) -> QThread:
        thread = QThread()
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        # Direct: quit() is thread-safe, and a queued call would never arrive while
        # the GUI thread is blocked in wait() at close.
        worker.done.connect(thread.quit, Qt.DirectConnection)
        thread.finished.connect(self._reap)
        self._running.append((thread, worker))
        thread.start()
        return thread

    def is_busy(self) -> bool:
        return any(thread.isRunning() for thread, _ in self._running)

    def wait(self, milliseconds: int) -> bool:
        """Wait for every thread (sharing one deadline); True if all finished."""
        deadline = QDeadlineTimer(milliseconds)
        finished = all(thread.wait(deadline) for thread, _ in self._running)
        if finished:
            self._reap()
        return finished

    @Slot()
    def _reap(self) -> None:
        for pair in [p for p in self._running if p[0].isFinished()]:
            self._running.remove(pair)
