"""Two to four models side by side: what they score, where they differ, how made.

LiteRT only, no TensorFlow, no Qt: each model is loaded through the same safe
loader as everywhere (``load_predictor(..., backend="litert")``, which checks the
archive, the export's hash and the answers), read from its files (``model_facts``)
and scored on a test set one chunk at a time, so a GUI worker can report progress
and stop between chunks. Answers are remembered per export and test set
(``score_cache``): comparing the same models again costs no forward pass.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from digitpad.core.errors import DataError, ModelFileError, NoLiteRtExport
from digitpad.core.helpers.thread_priority import lower_thread_priority
from digitpad.core.models import score_cache
from digitpad.core.models.checks import check_archive
from digitpad.core.models.inference import Predictor, load_predictor, trusted_metadata
from digitpad.core.models.model_facts import HISTORY_KEYS, ModelFacts, model_facts
from digitpad.core.training.data import load_mnist_test, resolve_mnist_path
from digitpad.core.training.evaluation import Evaluation, evaluate_predictions

MIN_MODELS, MAX_MODELS = 2, 4
CHUNK = 500  # images per step: about 0.2 s of LiteRT, then progress and a stop check
SCORING_THREADS = max(1, min(2, os.cpu_count() or 1))


@dataclass(frozen=True)
class TestSet:
    """Labelled 28x28 uint8 digits (white on black) and where they came from."""

    images: np.ndarray
    labels: np.ndarray
    source: str
    fingerprint: str

    def inputs(self, start: int, stop: int) -> np.ndarray:
        return self.images[start:stop].astype(np.float32) / 255.0


def load_test_set(path: str | Path | None = None) -> TestSet:
    """MNIST's test half from a local file (never a download: that needs Keras)."""
    resolved = resolve_mnist_path(path)
    if resolved is None:
        raise DataError(
            "no local MNIST file: pass --data MNIST.npz or set DIGITPAD_MNIST"
        )
    images, labels, source = load_mnist_test(resolved)
    fingerprint = score_cache.data_fingerprint(images, labels)
    return TestSet(images, labels.astype(np.int64), source, fingerprint)


@dataclass(frozen=True)
class ScoredModel:
    facts: ModelFacts
    predictions: np.ndarray  # (N,) the digit it reads for each test image
    evaluation: Evaluation
    cached: bool = False  # answers came from the cache

    @property
    def accuracy(self) -> float:
        return self.evaluation.accuracy


def open_model(path: str | Path, name: str = "") -> tuple[Predictor, ModelFacts]:
    """A model to compare: its LiteRT predictor and its facts; ModelFileError if
    it is missing, hostile or has no current LiteRT export."""
    path = Path(path)
    if not path.exists():
        raise ModelFileError(path, "no such file")
    try:
        predictor = load_predictor(path, backend="litert")
    except NoLiteRtExport:
        if path.suffix == ".keras":
            check_archive(path)  # a broken or hostile file: say what is wrong with it
        raise ModelFileError(
            path, "has no current LiteRT export beside it (open it in DigitPad once)"
        ) from None
    metadata = trusted_metadata(path) or predictor.metadata
    return predictor, model_facts(path, metadata, name)


def score_model(
    predictor: Predictor,
    facts: ModelFacts,
    test: TestSet,
    progress: Callable[[int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    threads: int | None = None,
) -> ScoredModel | None:
    """Every test image read by ``predictor`` (or remembered); None if stopped.

    ``threads``: the interpreter's threads (LiteRT's default when None)."""
    key = getattr(predictor, "export_sha256", None)
    count = len(test.labels)
    cached = (
        score_cache.cached_predictions(key, test.fingerprint, count) if key else None
    )
    if cached is not None:
        predictions = cached.astype(np.int64)
    else:
        predictions = np.zeros(count, np.int64)
        with predictor.reading_many(threads):
            for start in range(0, count, CHUNK):
                if should_stop is not None and should_stop():
                    return None
                stop = min(start + CHUNK, count)
                chunk = predictor.predict_probabilities(test.inputs(start, stop))
                predictions[start:stop] = chunk.argmax(axis=1)
                if progress is not None:
                    progress(stop)
        if key:
            score_cache.remember_predictions(key, test.fingerprint, predictions)
    evaluation = evaluate_predictions(test.labels, predictions)
    return ScoredModel(facts, predictions, evaluation, cached is not None)


def score_all(
    opened: Sequence[tuple[Predictor, ModelFacts]],
    test: TestSet,
    scored: Callable[[int, ScoredModel], None],
    progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> bool:
    """Score every model, two at a time, each on a one-thread interpreter.

    LiteRT lets go of Python's lock while it runs, so two models read on two
    cores at once; two-thread interpreters side by side would ask for four
    threads on two cores and spin waiting for each other (four models took
    3.7 s so, 2.4 s one after the other). The costliest models start first, so
    neither core is left with a long one at the end. ``scored(index, result)``
    and ``progress(index, done)`` are called from the scoring threads as
    results come; False if stopped."""
    stop = should_stop or (lambda: False)
    threads = 1 if SCORING_THREADS > 1 else None

    def one(index: int) -> bool:
        predictor, facts = opened[index]
        report = (lambda done: progress(index, done)) if progress else None
        result = score_model(predictor, facts, test, report, stop, threads)
        if result is None:
            return False
        scored(index, result)
        return True

    # the scoring threads yield the CPU (and so Python's lock) to a window's
    # thread: on a busy machine their handing the lock back and forth with it
    # otherwise stalled the window for whole scheduler turns (lowering an already
    # lowered thread again is capped, so a caller may have lowered its own)
    with ThreadPoolExecutor(
        SCORING_THREADS, "digitpad-scoring", initializer=lower_thread_priority
    ) as pool:
        costliest_first = sorted(
            range(len(opened)), key=lambda i: -(opened[i][1].multiply_adds or 0)
        )
        outcomes = list(pool.map(one, costliest_first))
    return all(outcomes)


def disagreements(first: ScoredModel, second: ScoredModel) -> np.ndarray:
    """Indices of the test digits the two models read differently."""
    return np.flatnonzero(first.predictions != second.predictions)


def confusion_difference(first: ScoredModel, second: ScoredModel) -> np.ndarray:
    """``second``'s confusion matrix minus ``first``'s (rows: true digits).

    On the diagonal, positive means the second reads more of that digit right; off
    it, positive means the second makes that mistake more often.
    """
    return second.evaluation.confusion - first.evaluation.confusion


def _number(value: float) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), 6)


def model_json(scored: ScoredModel) -> dict[str, Any]:
    """One model as ``digitpad compare --json`` prints it."""
    facts = scored.facts
    settings = dict(facts.settings)
    settings["multiply_adds"] = facts.multiply_adds
    settings["network"] = facts.network
    if facts.lacks:
        settings["lacks"] = list(facts.lacks)
    return {
        "name": facts.name,
        "params": facts.params,
        "test_accuracy": _number(scored.accuracy),
        "per_digit": [_number(a) for a in scored.evaluation.per_class_accuracy],
        "history": {key: list(facts.history.get(key, [])) for key in HISTORY_KEYS},
        "settings": settings,
    }


def comparison_json(models: Sequence[ScoredModel]) -> dict[str, Any]:
    """The issue's shape: every model, and how many test digits the first two read
    differently."""
    return {
        "models": [model_json(scored) for scored in models],
        "disagreements": len(disagreements(models[0], models[1])),
    }
