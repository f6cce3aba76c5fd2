"""The library's models scored in the background, so Compare opens with answers.

Started when the Models tab comes into view (a model kept meanwhile is scored
then), and again when its list is re-read while it is in view; stopped when a
training run or a comparison starts (they need the cores, and a comparison scores
what is left itself). It runs at the lowest thread priority, only ever
from a local MNIST file (never a download), and fails silently: it is a head start,
not a feature the user asked for, and the comparison reports any problem itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QTabWidget

from digitpad.core.helpers.thread_priority import lower_thread_priority
from digitpad.core.training.data import resolve_mnist_path
from digitpad.core.training.score_ahead import score_ahead
from digitpad.gui.threads import Runner, Task
from digitpad.gui.training.comparison_job import cached_test_set
from digitpad.gui.training.model_list import ModelList


class ScoreAheadRunner(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = Runner(self, "score-ahead")

    def follow(
        self,
        tabs: QTabWidget,
        models: ModelList,
        busy: Callable[[], bool],
        data_path: Callable[[], str | None],
    ) -> None:
        """Score ``models``' entries whenever their tab comes into view or the list
        is re-read while it is in view, unless ``busy()``."""

        def maybe_start() -> None:
            if tabs.currentWidget() is models and not busy():
                paths = [entry.path for entry in models.entries() if not entry.broken]
                self.start(paths, data_path())

        models.refreshed.connect(maybe_start)
        tabs.currentChanged.connect(maybe_start)

    @property
    def busy(self) -> bool:
        return self._runner.busy

    def start(self, paths: Sequence[Path], data_path: str | Path | None = None) -> None:
        """Score ``paths`` not yet remembered; nothing without a local MNIST file."""
        self.stop()
        resolved = resolve_mnist_path(data_path)
        if resolved is None or not paths:
            return
        chosen = list(paths)

        def job(task: Task) -> None:
            lower_thread_priority()
            test = cached_test_set(resolved)
            score_ahead(chosen, test, lambda: task.cancelled)

        self._runner.start(job, None, lambda _message: None)

    def stop(self) -> None:
        """Stop between two chunks of 500 digits; what is scored stays remembered."""
        self._runner.cancel_all()

    def close(self, wait: float) -> bool:
        return self._runner.close(wait)
