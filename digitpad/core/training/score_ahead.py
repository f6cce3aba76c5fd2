"""Score library models on MNIST test before anyone asks, so comparing them is instant.

Reading the 10,000 test digits costs LiteRT 0.5-3 s of CPU per model (the shipped
``compact`` net is the slowest); four models cold is more than a learner should wait
after pressing Compare. The answers depend only on the export and the test set
(``score_cache``), so the app scores each model once, in the background, as soon as
it is in the library and the Models tab is in view; a comparison then only reads the
remembered answers. Models that fail to open are skipped here: the comparison itself
says what is wrong with them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from digitpad.core.errors import DigitPadError
from digitpad.core.training.comparison import TestSet, open_model, score_model


def score_ahead(
    paths: Iterable[str | Path],
    test: TestSet,
    should_stop: Callable[[], bool] = lambda: False,
) -> list[Path]:
    """Score and remember every model in ``paths`` not scored yet, one at a time.

    Returns the models scored now. Stops between chunks when ``should_stop()``;
    a model stopped halfway leaves nothing behind.
    """
    scored = []
    for path in map(Path, paths):
        if should_stop():
            break
        try:
            predictor, facts = open_model(path)
        except DigitPadError:
            continue  # the comparison explains it, if the user ever asks
        try:  # answers already remembered come back from the cache at once
            result = score_model(predictor, facts, test, should_stop=should_stop)
        except DigitPadError:
            continue  # a model failing on the inputs: the comparison says so
        if result is not None and not result.cached:
            scored.append(path)
    return scored
