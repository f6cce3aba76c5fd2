"""Training reports progress, stops within a batch, and validates its config."""

from __future__ import annotations

import pytest

from digitpad.core.errors import TrainingCancelled
from digitpad.core.training.data import load_mnist
from digitpad.core.training.trainer import TrainConfig, train


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
    test_images = len(load_mnist().x_test)
    assert result.test.count == test_images
    assert result.test.confusion.sum() == test_images
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
        {"seed": -1},
        {"seed": 4294967296},
        {"limit": 0},
    ],
)
def test_bad_config_is_refused(kwargs) -> None:
    with pytest.raises(ValueError):
        TrainConfig(**kwargs)


def test_a_stop_during_the_final_evaluation_returns_no_model(monkeypatch) -> None:
    import keras

    stop = []
    original = keras.Model.predict

    def predict_then_stop(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        stop.append(True)  # the user pressed Stop while the test set was scored
        return result

    monkeypatch.setattr(keras.Model, "predict", predict_then_stop)
    config = TrainConfig(epochs=1, batch_size=100, limit=200, validation_split=0)
    with pytest.raises(TrainingCancelled):
        train(config, should_stop=lambda: bool(stop))
