"""A "latest request wins" runner over ``threads.Runner``, for views that follow input.

Live prediction, saliency and the panels' list reads are asked again at every stroke
or selection; only the newest answer may reach the screen, and a request that was
overtaken before it started need not run at all. The plain ``Runner`` (every job runs,
every outcome is delivered) is the rest of the app's need, so this lives on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject

from digitpad.gui.threads import Runner, Task

T = TypeVar("T")


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
        if self._waiting is None or self._runner.closed:
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
