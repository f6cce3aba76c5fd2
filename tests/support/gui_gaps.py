"""How long the GUI thread went without running a 5 ms timer: the freeze meter.

Start it, drive the GUI, stop it: ``worst`` is the longest gap between ticks (ms),
``slow`` says when the gaps over 30 ms happened and what the caller was doing.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QElapsedTimer, QTimer


class GapMeter:
    def __init__(self, doing: Callable[[], str] = lambda: "") -> None:
        self.gaps: list[int] = []
        self.slow: list[tuple[int, int, str]] = []
        self._doing = doing
        self._clock = QElapsedTimer()
        self._total = QElapsedTimer()
        self._timer = QTimer()
        self._timer.setInterval(5)
        self._timer.timeout.connect(self._tick)

    def start(self) -> GapMeter:
        self._clock.start()
        self._total.start()
        self._timer.start()
        return self

    def stop(self) -> None:
        self._timer.stop()

    @property
    def worst(self) -> int:
        return max(self.gaps, default=0)

    def percentile(self, q: float) -> float:
        import numpy as np

        return float(np.percentile(self.gaps, q)) if self.gaps else 0.0

    def _tick(self) -> None:
        gap = self._clock.restart()
        self.gaps.append(gap)
        if gap > 30:
            self.slow.append((self._total.elapsed(), gap, self._doing()[:30]))
