"""Long work on the GUI thread runs in slices, and the event loop gets a turn between
them: a 5 ms timer (what a user's clicks and repaints wait behind) fires between any
two slices, however many runs and callbacks are queued."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer

from digitpad.gui.threads import Runner, Steps

BUSY_S = 0.006  # each slice of work outlasts the 5 ms timer's interval


def _busy() -> None:
    end = time.perf_counter() + BUSY_S
    while time.perf_counter() < end:
        pass


class _Log:
    """One list of what ran, in order: slices of work and ticks of a 5 ms timer."""

    def __init__(self, owner: QObject) -> None:
        self.entries: list[str] = []
        self.timer = QTimer(owner)
        self.timer.setInterval(5)
        self.timer.timeout.connect(lambda: self.entries.append("tick"))
        self.timer.start()

    def work(self) -> list[str]:
        return [e for e in self.entries if e != "tick"]

    def ticks_between_work(self) -> list[int]:
        """How many ticks came between each two consecutive slices of work."""
        counts, current, seen_work = [], 0, False
        for entry in self.entries:
            if entry == "tick":
                current += 1
            else:
                if seen_work:
                    counts.append(current)
                seen_work, current = True, 0
        return counts


def _run(log: _Log, name: str, count: int):
    for i in range(count):
        _busy()
        log.entries.append(f"{name}{i}")
        yield


def test_a_due_timer_fires_between_any_two_steps_of_concurrent_runs(qtbot):
    owner = QObject()
    log = _Log(owner)
    first, second = Steps(owner), Steps(owner)
    first.start(_run(log, "a", 5))
    second.start(_run(log, "b", 5))
    qtbot.waitUntil(lambda: not first.running and not second.running, timeout=5000)
    log.timer.stop()
    # the runs take turns, a step each, and the loop breathes between all of them
    assert log.work() == [f"{n}{i}" for i in range(5) for n in "ab"]
    assert min(log.ticks_between_work()) >= 1


def test_steps_can_be_finished_now_cancelled_or_replaced(qtbot):
    owner = QObject()
    log = _Log(owner)
    steps = Steps(owner)
    steps.start(_run(log, "a", 3))
    assert log.work() == []  # the first step waits for a turn of its own
    steps.finish()
    assert log.work() == ["a0", "a1", "a2"] and not steps.running

    steps.start(_run(log, "b", 3))
    steps.start(_run(log, "c", 2))  # a newer run replaces the unfinished one
    qtbot.waitUntil(lambda: not steps.running, timeout=5000)
    steps.start(_run(log, "d", 20))
    qtbot.waitUntil(lambda: "d0" in log.entries, timeout=5000)
    steps.cancel()
    cancelled_after = [e for e in log.work() if e[0] == "d"]
    later = Steps(owner)  # its steps take the turns the cancelled run would have had
    later.start(_run(log, "e", 3))
    qtbot.waitUntil(lambda: not later.running, timeout=5000)
    ran = log.work()
    assert [e for e in ran if e[0] in "bc"] == ["c0", "c1"]
    assert [e for e in ran if e[0] == "d"] == cancelled_after
    assert "d19" not in cancelled_after


def test_a_burst_of_worker_results_is_delivered_in_slices(qtbot):
    owner = QObject()
    log = _Log(owner)
    runner = Runner(owner, "burst")

    def job(task):
        for i in range(6):  # six results, each 6 ms of GUI work, posted at once
            task.post(lambda i=i: (_busy(), log.entries.append(f"r{i}")))

    runner.start(job)
    qtbot.waitUntil(lambda: len(log.work()) == 6, timeout=5000)
    log.timer.stop()
    assert log.work() == [f"r{i}" for i in range(6)]
    # an 8 ms slice holds at most two 6 ms results; the loop breathes in between
    assert sum(count == 0 for count in log.ticks_between_work()) <= 3
    assert sum(log.ticks_between_work()) >= 2
