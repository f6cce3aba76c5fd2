"""A helper that hangs (never reads a request, never answers) costs a usable app.

Issue 20's fuzzing round found a hung helper blocking exit and making Cancel do
nothing: a job bigger than a pipe holds blocked its sender for good. These run the
one TensorFlow helper's parent end against ``tests.support.hung_helper``.
"""

from __future__ import annotations

import contextlib
import threading
import time

import pytest

from digitpad.core.errors import DigitPadError
from digitpad.core.helpers.process import helper_supported
from digitpad.core.helpers.tensorflow_helper import TensorFlowHelper

pytestmark = pytest.mark.skipif(not helper_supported(), reason="POSIX helpers only")
HUNG = "tests.support.hung_helper"


def _within(seconds: float, function):
    """``function()``'s value or exception, or a failure after ``seconds``."""
    outcome: list = []

    def run() -> None:
        try:
            outcome.append(function())
        except Exception as error:
            outcome.append(error)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert outcome, f"still waiting after {seconds} s"
    return outcome[0]


def test_cancel_ends_a_run_whose_helper_hangs_before_reading_its_job(
    monkeypatch,
) -> None:
    import digitpad.core.helpers.tensorflow_run as tensorflow_run

    monkeypatch.setattr(tensorflow_run, "STOP_GRACE_S", 0.5)
    helper = TensorFlowHelper(module=HUNG, idle_timeout=60)
    big_job = {"drawings": b"x" * 4_000_000}  # more than a pipe holds
    cancel_at = time.monotonic() + 0.5

    def run():
        job = helper.run(big_job)
        try:
            return list(job.events(lambda: time.monotonic() > cancel_at, lambda: False))
        finally:
            job.close()

    try:
        outcome = _within(20, run)
    finally:
        helper.close()
    assert outcome == [("cancelled",)] or isinstance(outcome, DigitPadError)


def test_a_question_to_a_hung_helper_says_so_and_closing_does_not_wait() -> None:
    helper = TensorFlowHelper(module=HUNG, idle_timeout=60)
    error = _within(20, lambda: helper.ask("explain this", timeout=1.0))
    assert isinstance(error, DigitPadError) and "no answer within" in str(error)

    # a question waiting on a hung helper (long timeout): closing ends it at once
    waiting = threading.Thread(
        target=lambda: _swallow(lambda: helper.ask("again", timeout=600.0)),
        daemon=True,
    )
    waiting.start()
    time.sleep(0.5)  # a child process, not Qt: let the question be sent
    started = time.monotonic()
    _within(10, helper.close)
    assert time.monotonic() - started < 5
    waiting.join(10)
    assert not waiting.is_alive()


def _swallow(function) -> None:
    with contextlib.suppress(DigitPadError):
        function()
