"""A close put off while work runs goes ahead when it stops, or after the wait."""

from __future__ import annotations

from digitpad.gui.training.close_gate import CloseGate


def test_close_goes_ahead_at_once_when_idle(qtbot):
    gate = CloseGate(lambda: False, wait_ms=10_000)
    assert gate.close_when_idle() and gate.closing and not gate.pending


def test_close_waits_for_the_work_then_goes_ahead(qtbot):
    busy = [True]
    gate = CloseGate(lambda: busy[0], wait_ms=10_000)
    assert not gate.close_when_idle() and gate.pending
    gate.work_ended()  # still busy: nothing yet
    assert gate.pending
    busy[0] = False
    with qtbot.waitSignal(gate.ready, timeout=1000):
        gate.work_ended()
    assert not gate.pending and not gate.forced


def test_work_that_never_stops_is_abandoned_after_the_wait(qtbot):
    gate = CloseGate(lambda: True, wait_ms=50)
    with qtbot.waitSignal(gate.ready, timeout=2000):
        assert not gate.close_when_idle()
    assert gate.forced and not gate.pending
