"""The one TensorFlow helper's lifetime, against a stand-in speaking its protocol.

``tests.support.fake_helper`` starts in a fraction of a second (no TensorFlow), so
these check what the app relies on: jobs share one process, it exits after its idle
timeout and the next job brings it back, and a helper that dies, garbles or hangs is
a one-line message, replaced at the next job.
"""

from __future__ import annotations

import os
import time

import pytest

from digitpad.core.errors import DigitPadError
from digitpad.core.helpers.process import helper_supported
from digitpad.core.helpers.tensorflow_helper import TensorFlowHelper
from digitpad.core.helpers.tensorflow_lifetime import idle_timeout_from_env

pytestmark = pytest.mark.skipif(not helper_supported(), reason="POSIX helpers only")
FAKE = "tests.support.fake_helper"


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def wait_for(condition, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)  # a child process, not Qt: polling is the only way
    return True


@pytest.fixture
def helpers():
    made: list[TensorFlowHelper] = []

    def make(**kwargs) -> TensorFlowHelper:
        made.append(TensorFlowHelper(module=FAKE, **kwargs))
        return made[-1]

    yield make
    for helper in made:
        helper.close()


def test_questions_and_a_run_share_one_process(helpers):
    helper = helpers(idle_timeout=60)
    assert helper.ask("first") == ("echoed", "first")
    pid = helper.pid
    run = helper.run("a run")
    assert helper.pid == pid and helper.ask("during") == ("echoed", "during")
    events = list(run.events(lambda: False, lambda: False))
    assert [e[0] for e in events] == ["ready", "batches", "saved"]
    assert helper.started == 1


def test_after_a_run_a_fresh_helper_takes_over_at_once(helpers):
    """A run's leftovers go with its process; the next one is already starting."""
    helper = helpers(idle_timeout=60)
    run = helper.run("a run")
    pid = helper.pid
    list(run.events(lambda: False, lambda: False))
    run.close()
    assert gone(pid)
    fresh = helper.pid
    assert fresh not in (None, pid) and helper.started == 2
    assert helper.ask("next") == ("echoed", "next")
    assert helper.pid == fresh


def test_the_helper_exits_after_idling_and_the_next_job_restarts_it(helpers):
    helper = helpers(idle_timeout=0.5)
    helper.ask("wake up")
    pid = helper.pid
    assert pid is not None
    assert wait_for(lambda: helper.pid is None and gone(pid)), "still running"
    assert helper.ask("again") == ("echoed", "again")
    assert helper.pid not in (None, pid) and helper.started == 2


def test_a_busy_helper_does_not_idle_out(helpers):
    helper = helpers(idle_timeout=0.3)
    run = helper.run("a run")  # not closed yet: the run still owns the helper
    list(run.events(lambda: False, lambda: False))
    pid = helper.pid
    assert not wait_for(lambda: helper.pid is None, timeout=1.0)
    run.close()
    assert wait_for(lambda: gone(pid))


def test_a_second_run_while_one_is_under_way_is_refused_in_one_line(helpers):
    helper = helpers(idle_timeout=60)
    first = helper.run("first")
    with pytest.raises(DigitPadError) as caught:
        helper.run("second")
    assert "already running" in str(caught.value) and "\n" not in str(caught.value)
    list(first.events(lambda: False, lambda: False))
    first.close()
    helper.run("third").close()  # free again once the first is over


@pytest.mark.parametrize(
    ("mode", "words"),
    [("die", "stopped unexpectedly"), ("garbage", "cannot read")],
)
def test_a_helper_that_dies_or_garbles_is_one_line_and_replaced(
    helpers, monkeypatch, mode, words
):
    monkeypatch.setenv("DIGITPAD_FAKE_HELPER", mode)
    helper = helpers(idle_timeout=60)
    with pytest.raises(DigitPadError) as caught:
        helper.ask("anything", timeout=20)
    assert words in str(caught.value) and "\n" not in str(caught.value)
    run = helper.run("a run")  # a new helper: it fails the same way, as a run
    assert list(run.events(lambda: False, lambda: False))[-1][0] == "failed"
    run.close()
    monkeypatch.setenv("DIGITPAD_FAKE_HELPER", "echo")
    assert helper.ask("now") == ("echoed", "now")
    assert helper.started == 3


def test_a_silent_helper_is_given_up_and_ended(helpers, monkeypatch):
    monkeypatch.setenv("DIGITPAD_FAKE_HELPER", "silent")
    helper = helpers(idle_timeout=60)
    with pytest.raises(DigitPadError) as caught:
        helper.ask("anything", timeout=0.5)
    assert "no answer within" in str(caught.value)
    assert helper.pid is None  # nothing else used it: ended, not left hanging


def test_a_run_whose_cancel_is_ignored_ends_within_the_grace(helpers, monkeypatch):
    import digitpad.core.helpers.tensorflow_run as tensorflow_run

    monkeypatch.setattr(tensorflow_run, "STOP_GRACE_S", 0.5)
    monkeypatch.setenv("DIGITPAD_FAKE_HELPER", "silent")
    helper = helpers(idle_timeout=60)
    run = helper.run("a run that never ends")
    pid = helper.pid
    events = list(run.events(lambda: True, lambda: False))
    run.close()
    assert events == [("cancelled",)]
    assert wait_for(lambda: gone(pid))


def test_close_ends_the_helper_at_once(helpers):
    helper = helpers(idle_timeout=600)
    helper.ask("hello")
    pid = helper.pid
    started = time.monotonic()
    helper.close()
    assert gone(pid) or wait_for(lambda: gone(pid), timeout=3)
    assert time.monotonic() - started < 3


def test_the_idle_timeout_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("DIGITPAD_HELPER_IDLE_S", "7.5")
    assert idle_timeout_from_env() == 7.5
    for bad in ("", "soon", "-1", "0"):
        monkeypatch.setenv("DIGITPAD_HELPER_IDLE_S", bad)
        assert idle_timeout_from_env() == 150.0


def test_a_job_that_cannot_be_sent_is_one_line_and_leaves_the_helper_free(helpers):
    helper = helpers(idle_timeout=60)
    with pytest.raises(DigitPadError) as caught:
        helper.run(lambda: "a lambda does not pickle")
    assert "could not send" in str(caught.value)
    run = helper.run("a real run")  # not stuck as "already running"
    assert list(run.events(lambda: False, lambda: False))[-1] == ("saved",)
    run.close()
