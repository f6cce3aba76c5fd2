"""Per-batch training reports, handed on in timed chunks.

Keras reports every batch; handing each one to a GUI would flood its event loop.
``ThrottledReporter`` collects them and passes them on at most once per interval (the
last batch of an epoch at once), so a view still gets every batch, in few calls.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from digitpad.core.training.progress import BatchProgress, EpochProgress

SIGNAL_INTERVAL = 0.2  # seconds between hand-ons: at most 5 per second


class ThrottledReporter:
    """A ``ProgressReporter`` that batches per-batch reports into timed chunks."""

    def __init__(
        self,
        emit_batches: Callable[[list[BatchProgress]], None],
        emit_epoch: Callable[[EpochProgress], None],
        interval: float = SIGNAL_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._emit_batches = emit_batches
        self._emit_epoch = emit_epoch
        self._interval = interval
        self._clock = clock
        self._pending: list[BatchProgress] = []
        self._last = -float("inf")

    def batch_ended(self, progress: BatchProgress) -> None:
        self._pending.append(progress)
        now = self._clock()
        if now - self._last >= self._interval or progress.batch == progress.batches:
            self.flush(now)

    def epoch_ended(self, progress: EpochProgress) -> None:
        self.flush()
        self._emit_epoch(progress)

    def flush(self, now: float | None = None) -> None:
        if self._pending:
            chunk, self._pending = self._pending, []
            self._emit_batches(chunk)
        self._last = self._clock() if now is None else now
