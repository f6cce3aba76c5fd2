"""A hung helper: Cancel still cancels, closing still closes, saliency says so."""

from __future__ import annotations

import threading
import time

import numpy as np

from digitpad.core.errors import DigitPadError
from digitpad.core.helpers import process as helper_process
from digitpad.core.helpers import tensorflow_process
from digitpad.core.models import saliency_process


def _hung(_module: str) -> helper_process.HelperProcess:
    return helper_process.HelperProcess("tests.support.hung_helper")


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
    monkeypatch.setattr(tensorflow_process, "HelperProcess", _hung)
    process = tensorflow_process.TensorFlowProcess()
    big_job = {"drawings": b"x" * 4_000_000}  # more than a pipe holds
    cancel_at = time.monotonic() + 0.5

    def run() -> list:
        process.start(big_job)
        return list(process.events(lambda: time.monotonic() > cancel_at, lambda: False))

    try:
        events = _within(20, run)
    finally:
        process.close()
    assert events == [("cancelled",)]
    assert not process.running


def test_saliency_with_a_hung_helper_says_so_and_closing_does_not_wait(
    monkeypatch, tmp_path
) -> None:
    monkeypatch.setattr(saliency_process, "HelperProcess", _hung)
    monkeypatch.setattr(saliency_process, "ANSWER_TIMEOUT_S", 1.0)
    explainer = saliency_process.SaliencyProcess()

    class Model:
        path = tmp_path / "model.keras"

    error = _within(20, lambda: explainer.explain(Model(), np.zeros((28, 28)), 3))
    assert isinstance(error, DigitPadError) and "did not answer" in str(error)

    # a request waiting on a hung helper (long timeout): closing ends it at once
    monkeypatch.setattr(saliency_process, "ANSWER_TIMEOUT_S", 600.0)
    errors: list = []

    def request() -> None:
        try:
            explainer.explain(Model(), np.zeros((28, 28)), 3)
        except DigitPadError as error:
            errors.append(error)

    waiting = threading.Thread(target=request, daemon=True)
    waiting.start()
    deadline = time.monotonic() + 10
    while explainer._helper is None and time.monotonic() < deadline:
        time.sleep(0.01)  # until the request waits on the new helper (no Qt here)
    _within(10, explainer.close)
    waiting.join(10)
    assert not waiting.is_alive()
    assert len(errors) == 1 and "\n" not in str(errors[0])
