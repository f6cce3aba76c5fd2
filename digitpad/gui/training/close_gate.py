"""When the training panel may close: now, once its work stops, or after a wait.

Closing never waits inside a slot. If a run or a save is still going, the gate says
"not yet", and emits ``ready`` when the last job ends, or after ``wait_ms`` at the
latest, when the window closes anyway and the job's daemon thread is abandoned.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal


class CloseGate(QObject):
    """Tracks one close request for an owner whose ``busy()`` work must stop first."""

    ready = Signal()  # a close put off by close_when_idle() may go ahead now

    def __init__(
        self, busy: Callable[[], bool], wait_ms: int, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._busy = busy
        self._wait_ms = wait_ms
        self.closing = False  # a close was agreed: failures are no longer shown
        self._pending = False
        self._forced = False

    @property
    def pending(self) -> bool:
        """A close is waiting for the work to stop."""
        return self._pending

    @property
    def forced(self) -> bool:
        """The wait ran out: the owner closes whatever is still running."""
        return self._forced

    def close_when_idle(self) -> bool:
        """True: close now; False: ``ready`` follows when the work stops."""
        self.closing = True
        if not self._busy():
            return True
        self._pending = True
        QTimer.singleShot(self._wait_ms, self._give_up)
        return False

    def work_ended(self) -> None:
        """Call whenever a job ends: a waiting close goes ahead once nothing runs."""
        if self._pending and not self._busy():
            self._pending = False
            self.ready.emit()

    def _give_up(self) -> None:
        if self._pending:
            self._pending = False
            self._forced = True
            self.ready.emit()
