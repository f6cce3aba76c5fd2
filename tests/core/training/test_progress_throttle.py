"""The progress throttle: every batch arrives, in at most one signal per interval."""

from __future__ import annotations

from digitpad.core.training.progress import BatchProgress, EpochProgress
from digitpad.core.training.progress_throttle import ThrottledReporter


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def batch(epoch: int, number: int, batches: int = 100) -> BatchProgress:
    return BatchProgress(epoch, 2, number, batches, 1.0 / number, 0.5, 10.0)


def epoch_end(epoch: int) -> EpochProgress:
    return EpochProgress(epoch, 2, 0.3, 0.9, 0.25, 0.92, 5.0)


def test_fast_batches_are_chunked_by_the_interval_without_loss():
    clock = FakeClock()
    chunks: list[list[BatchProgress]] = []
    epochs: list[EpochProgress] = []
    reporter = ThrottledReporter(chunks.append, epochs.append, 0.05, clock)

    for epoch in (1, 2):
        for number in range(1, 101):  # 100 batches, 2 ms apart: 0.2 s per epoch
            clock.now += 0.002
            reporter.batch_ended(batch(epoch, number))
        reporter.epoch_ended(epoch_end(epoch))

    delivered = [b for chunk in chunks for b in chunk]
    assert [(b.epoch, b.batch) for b in delivered] == [
        (e, n) for e in (1, 2) for n in range(1, 101)
    ]
    assert len(chunks) <= 2 * (0.2 / 0.05 + 2)  # one per interval, plus epoch ends
    assert chunks[-1][-1].batch == 100  # the last batch of an epoch is never held back
    assert [e.epoch for e in epochs] == [1, 2]


def test_slow_batches_each_get_their_own_signal():
    clock = FakeClock()
    chunks: list[list[BatchProgress]] = []
    reporter = ThrottledReporter(chunks.append, lambda e: None, 0.05, clock)
    for number in range(1, 6):
        clock.now += 0.5
        reporter.batch_ended(batch(1, number, 5))
    assert [len(chunk) for chunk in chunks] == [1, 1, 1, 1, 1]


def test_pending_batches_are_flushed_before_the_epoch_report():
    clock = FakeClock()
    events: list[str] = []
    reporter = ThrottledReporter(
        lambda chunk: events.append(f"batches {len(chunk)}"),
        lambda e: events.append("epoch"),
        0.05,
        clock,
    )
    reporter.batch_ended(batch(1, 1, 10))  # first batch goes out at once
    reporter.batch_ended(batch(1, 2, 10))  # held: same instant
    reporter.epoch_ended(epoch_end(1))
    assert events == ["batches 1", "batches 1", "epoch"]
