"""Scoring library models ahead: what it remembers is what a comparison would
compute, a model already remembered or broken costs nothing, and a stop leaves
nothing half-written."""

from __future__ import annotations

import numpy as np
import pytest

from digitpad.core.models import score_cache
from digitpad.core.training.comparison import load_test_set, open_model, score_model
from digitpad.core.training.score_ahead import score_ahead
from tests.support.compare import save_two_models

pytestmark = pytest.mark.slow


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setattr(score_cache.paths, "user_cache_dir", lambda: folder)
    return folder


def _remembered(path, test):
    predictor, _ = open_model(path)
    return score_cache.cached_predictions(
        predictor.export_sha256, test.fingerprint, len(test.labels)
    )


def test_scores_what_is_not_remembered_and_skips_broken_files(tmp_path, cache):
    (a, _), (b, _) = save_two_models(tmp_path)
    broken = tmp_path / "broken.keras"
    broken.write_bytes(b"not a zip archive")
    test = load_test_set()

    assert score_ahead([a, broken, b], test) == [a, b]
    for path in (a, b):
        predictor, facts = open_model(path)
        fresh = score_model(predictor, facts, test)  # reads the remembered answers
        assert fresh.cached
        direct = predictor.predict_probabilities(test.inputs(0, len(test.labels)))
        np.testing.assert_array_equal(_remembered(path, test), direct.argmax(axis=1))
    assert score_ahead([a, b], test) == []  # nothing left to do


def test_a_stop_before_the_first_chunk_remembers_nothing(tmp_path, cache):
    (a, _), _ = save_two_models(tmp_path)
    test = load_test_set()
    assert score_ahead([a], test, should_stop=lambda: True) == []
    assert _remembered(a, test) is None
