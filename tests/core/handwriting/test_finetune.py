"""Fine-tuning trains a copy, reports and stops like training, and measures honestly."""

from __future__ import annotations

import numpy as np
import pytest

from digitpad.core.errors import InputError, TrainingCancelled
from digitpad.core.handwriting import finetune_fit
from digitpad.core.handwriting.finetune import (
    FinetuneConfig,
    check_samples,
    cross_validation_folds,
    finetune,
)
from digitpad.core.networks.builder import build_preset
from digitpad.core.training.stroke_augment import render_plain
from tests.support.finetune import labelled_drawings, tiny_mnist

QUICK = dict(epochs=1, repeats=2, replay_ratio=1.0, batch_size=16)


class Recorder:
    def __init__(self) -> None:
        self.batches, self.epochs = [], []

    def batch_ended(self, progress) -> None:
        self.batches.append(progress)

    def epoch_ended(self, progress) -> None:
        self.epochs.append(progress)


@pytest.fixture(scope="module")
def base():
    return build_preset("tutorial")


def test_cross_validation_never_scores_a_sample_with_a_model_trained_on_it(
    base, monkeypatch
) -> None:
    drawings, labels = labelled_drawings(2)
    plain = render_plain(drawings)
    events = []
    fit, predict = finetune_fit.Trainer.fit, finetune_fit.Trainer.predict

    def recording_fit(self, stage, variants, y, samples, rng, live):
        events.append(("fit", stage, set(samples.tolist())))
        return fit(self, stage, variants, y, samples, rng, live)

    def recording_predict(self, weights, images):
        if images.shape[1:] == (28, 28) and len(images) < len(plain) + 1:
            rows = {
                int(np.flatnonzero((plain == image).all(axis=(1, 2)))[0])
                for image in images
                if (plain == image).all(axis=(1, 2)).any()
            }
            events.append(("predict", weights is not None, rows))
        return predict(self, weights, images)

    monkeypatch.setattr(finetune_fit.Trainer, "fit", recording_fit)
    monkeypatch.setattr(finetune_fit.Trainer, "predict", recording_predict)
    config = FinetuneConfig(folds=4, mnist_test_limit=20, **QUICK)
    result = finetune(base, drawings, labels, config, data=tiny_mnist())

    fold_fits = [e for e in events if e[0] == "fit" and e[1] > 0]
    assert len(fold_fits) == 4 == len(result.folds)
    scored = []
    for i, event in enumerate(events):
        if event[0] == "fit" and event[1] > 0:
            following = events[i + 1]
            assert following[0] == "predict" and not following[1]  # fold weights
            trained, held_out = event[2], following[2]
            assert held_out and not trained & held_out
            assert trained | held_out == set(range(len(drawings)))
            assert held_out == set(result.folds[event[1] - 1].tolist())
            scored += sorted(held_out)
    assert sorted(scored) == list(range(len(drawings)))  # each scored exactly once
    assert result.own_after is not None and result.own_after.count == len(drawings)
    assert result.own_before.count == len(drawings)


def test_folds_are_disjoint_cover_everything_and_spread_each_digit() -> None:
    labels = np.repeat(np.arange(10), 5)
    folds = cross_validation_folds(labels, 5, seed=3)
    assert sorted(np.concatenate(folds).tolist()) == list(range(50))
    for fold in folds:
        assert sorted(labels[fold].tolist()) == list(range(10))
    assert len(cross_validation_folds(np.arange(10), 5, 0)) == 5
    assert len(cross_validation_folds(np.arange(3) % 10, 5, 0)) == 3


def test_progress_spans_all_stages_and_stop_ends_it_within_a_batch(base) -> None:
    drawings, labels = labelled_drawings(1)
    weights_before = [w.copy() for w in base.get_weights()]
    recorder = Recorder()
    config = FinetuneConfig(folds=2, mnist_test_limit=20, **QUICK)
    with pytest.raises(TrainingCancelled):
        finetune(
            base,
            drawings,
            labels,
            config,
            recorder,
            should_stop=lambda: len(recorder.batches) >= 3,
            data=tiny_mnist(),
        )
    assert len(recorder.batches) == 3
    assert recorder.batches[0].epochs == 3  # 1 epoch x (final model + 2 folds)
    for before, after in zip(weights_before, base.get_weights(), strict=True):
        np.testing.assert_array_equal(before, after)  # the base is never trained


def test_a_finished_run_reports_epochs_with_the_live_model(base) -> None:
    drawings, labels = labelled_drawings(1)
    recorder = Recorder()
    config = FinetuneConfig(folds=0, mnist_test_limit=30, **QUICK)
    result = finetune(base, drawings, labels, config, recorder, data=tiny_mnist())
    assert [e.epoch for e in recorder.epochs] == [1]
    assert recorder.epochs[0].model is not None
    assert recorder.batches[-1].fraction == pytest.approx(1.0)
    assert result.own_after is None and result.now_reads == []
    assert result.mnist_before.count == result.mnist_after.count == 30
    assert result.sample_count == 10
    assert result.model is not base


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        ([*range(9), 8], "no sample of 9"),
        ([*range(9), None], "has no 'label'"),
        ([*range(9), 10], "not a digit from 0 to 9"),
    ],
)
def test_samples_that_cannot_teach_every_digit_are_refused(labels, message) -> None:
    drawings, _ = labelled_drawings(1)
    with pytest.raises(InputError, match=message):
        check_samples(drawings, labels)
