"""Training reports progress, stops within a batch, and validates its config."""

from __future__ import annotations

import pytest

from digitpad.core.errors import TrainingCancelled
from digitpad.core.training import TrainConfig, train


class Recorder:
    def __init__(self) -> None:
        self.batches, self.epochs = [], []

    def batch_ended(self, progress) -> None:
        self.batches.append(progress)

    def epoch_ended(self, progress) -> None:
        self.epochs.append(progress)


def test_one_epoch_on_a_small_subset_reports_progress() -> None:
    recorder = Recorder()
    config = TrainConfig(epochs=1, batch_size=50, limit=400, validation_split=0.25)
    result = train(config, recorder)
    assert [b.batch for b in recorder.batches] == list(range(1, 7))
    assert recorder.batches[-1].fraction == pytest.approx(1.0)
    assert recorder.batches[0].eta_seconds >= recorder.batches[-1].eta_seconds
    (epoch,) = recorder.epochs
    assert epoch.val_accuracy is not None and 0 <= epoch.val_accuracy <= 1
    assert result.test.count == 10000
    assert result.test.confusion.sum() == 10000
    assert result.test.accuracy > 0.3  # even 300 images teach it something


def test_should_stop_ends_training_after_the_current_batch() -> None:
    recorder = Recorder()
    config = TrainConfig(epochs=3, batch_size=20, limit=600, augment=True)
    with pytest.raises(TrainingCancelled):
        train(config, recorder, should_stop=lambda: len(recorder.batches) >= 3)
    assert len(recorder.batches) == 3
    assert recorder.epochs == []


@pytest.mark.parametrize(
    "kwargs",
    [
        {"architecture": "alexnet"},
        {"epochs": 0},
        {"batch_size": 0},
        {"learning_rate": 5.0},
        {"validation_split": 0.9},
    ],
)
def test_bad_config_is_refused(kwargs) -> None:
    with pytest.raises(ValueError):
        TrainConfig(**kwargs)
