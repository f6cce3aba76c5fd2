"""The comparison's slow part, off the GUI thread: open, score, read the samples.

One job per comparison window. It opens every model first (a broken one fails the
job before anything is scored), then scores them one by one on MNIST test and on
the user's drawings, posting each model's result to the window as soon as it is
there, so the window fills in a model at a time and never waits. LiteRT only: the
app process never imports TensorFlow.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from digitpad.core.handwriting.handwriting_score import (
    HandwritingScore,
    handwriting_score,
)
from digitpad.core.helpers.thread_priority import lower_thread_priority
from digitpad.core.models.inference import Predictor
from digitpad.core.models.metadata import read_metadata
from digitpad.core.models.model_facts import ModelFacts
from digitpad.core.training.comparison import (
    ScoredModel,
    TestSet,
    load_test_set,
    open_model,
    score_all,
)
from digitpad.core.training.data import resolve_mnist_path
from digitpad.core.training.stroke_augment import render_plain
from digitpad.gui.threads import Task

_test_sets: dict[str, TestSet] = {}
_test_sets_lock = threading.Lock()


@dataclass(frozen=True)
class ModelResult:
    """One model, scored: what the window shows for it."""

    index: int
    scored: ScoredModel
    handwriting: HandwritingScore
    predictor: Predictor  # idle from now on: the window may run it on its thread


@dataclass
class ComparisonCallbacks:
    """Where the job's news goes (each call runs on the GUI thread)."""

    opened: Callable[[int, ModelFacts], None]
    progress: Callable[[str], None]
    scored: Callable[[ModelResult], None]
    test_set: Callable[[TestSet], None]


def cached_test_set(data_path: str | Path | None = None) -> TestSet:
    """MNIST test, read once per process (a second comparison starts at once)."""
    resolved = resolve_mnist_path(data_path)
    key = str(resolved)
    with _test_sets_lock:
        if key not in _test_sets:
            _test_sets[key] = load_test_set(resolved)
        return _test_sets[key]


def comparison_job(
    models: Sequence[tuple[Path, str]],
    samples: Callable[[], tuple[list, list[int]]],
    call: ComparisonCallbacks,
    data_path: str | Path | None = None,
) -> Callable[[Task], None]:
    """The job for ``Runner.start``: ``models`` are (path, name) pairs."""

    def job(task: Task) -> None:
        # opening and scoring yield the CPU (and so Python's lock) to the window's
        # thread; LiteRT's threads, made with each interpreter here, inherit it, so
        # the window asks its models for answers off its own thread too
        lower_thread_priority()
        opened = []
        for index, (path, name) in enumerate(models):
            predictor, facts = open_model(path, name)
            opened.append((predictor, facts))
            task.post(lambda i=index, f=facts: call.opened(i, f))
        task.post(lambda: call.progress("Reading the MNIST test set…"))
        test = cached_test_set(data_path)
        task.post(lambda: call.test_set(test))
        drawings, labels = samples()
        images = render_plain(drawings) if drawings else None  # once for all models
        done_counts = [0] * len(opened)
        total = len(test.labels) * len(opened)

        def progress(index: int, done: int) -> None:
            done_counts[index] = done
            text = f"Scoring {len(opened)} models: {sum(done_counts):,} of {total:,}…"
            task.post(lambda: call.progress(text))

        def scored(index: int, result: ScoredModel) -> None:
            predictor = opened[index][0]
            own = handwriting_score(
                predictor, predictor.metadata, drawings, labels, images
            )
            outcome = ModelResult(index, result, own, predictor)
            task.post(lambda: call.scored(outcome))

        score_all(opened, test, scored, progress, lambda: task.cancelled)

    return job


def store_samples(store: Any) -> Callable[[], tuple[list, list[int]]]:
    """The user's drawings and labels, read in the job (``HandwritingStore.load``)."""

    def read() -> tuple[list, list[int]]:
        if store is None:
            return [], []
        samples, _problems = store.load()
        return [s.drawing for s in samples], [s.label for s in samples]

    return read


def distinct_names(models: Sequence[tuple[Path, str]]) -> list[str]:
    """The models' titles, each with its file name when two titles are the same."""
    titles = [name or _title_of(Path(path)) for path, name in models]
    return [
        f"{title} ({Path(path).name})" if titles.count(title) > 1 else title
        for (path, _), title in zip(models, titles, strict=True)
    ]


def _title_of(path: Path) -> str:
    return str(read_metadata(path).get("display_name") or path.stem)
