""" "Why this digit?" maps computed in the app's one TensorFlow helper.

Gradients need TensorFlow, and TensorFlow's import holds Python's lock for up to a
second at a time: in the app's process that froze the window the first time the
Saliency tab opened. So each map is a question to the shared helper
(``tensorflow_helper``): ("question", id, ``ExplainJob``) -> ("explained",
Saliency) or ("failed", text). The helper keeps one compiled explainer for the model
in use; during a training run it answers between two batches, so a map never waits
for the run to end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from digitpad.core.errors import DigitPadError, ModelFileError, one_line
from digitpad.core.helpers.process import helper_supported
from digitpad.core.models.saliency import ExplainerCache, Saliency


@dataclass(frozen=True)
class ExplainJob:
    path: str  # the model's .keras
    image: np.ndarray  # (28, 28) float32 network input
    class_index: int | None  # None: the network's answer

    def answer(self, caches: dict[str, Any]) -> tuple:
        """In the helper: the maps, with one compiled explainer kept per model."""
        return run_explain(self, caches.setdefault("explainers", ExplainerCache()))


class SaliencyProcess:
    """The app's end: ``explain`` blocks (call it off the GUI thread)."""

    def __init__(self, helper: Any = None) -> None:
        self._helper = helper

    @property
    def helper(self) -> Any:
        from digitpad.core.helpers.tensorflow_helper import shared_helper

        return self._helper if self._helper is not None else shared_helper()

    def explain(
        self,
        predictor: Any,
        image28: np.ndarray,
        class_index: int | None,
        progress: Callable[[str], None] = lambda _text: None,
    ) -> Saliency:
        path = getattr(predictor, "path", None)
        if path is None or Path(path).suffix != ".keras":
            raise ModelFileError(path, "saliency needs the model's .keras file")
        helper = self.helper
        if helper.warm:
            progress("Computing…")
        else:
            progress("Loading TensorFlow in a helper process (first time only)…")
        job = ExplainJob(str(path), np.asarray(image28, np.float32), class_index)
        try:
            reply = helper.ask(job)
        except DigitPadError as error:
            raise DigitPadError(f"Could not compute saliency: {error}") from None
        if not isinstance(reply, tuple) or len(reply) != 2:
            raise DigitPadError("Could not compute saliency: a garbled answer")
        if reply[0] != "explained" or not isinstance(reply[1], Saliency):
            raise DigitPadError(str(reply[1]))
        return reply[1]

    def close(self) -> None:
        """Nothing to end: the helper is shared, and exits when idle or at exit."""


def explainer_for_app() -> Any:
    """What a GUI should explain with: the helper where it can run, else in-process."""
    if not helper_supported():
        return ExplainerCache()
    return SaliencyProcess()


# ---------------------------------------------------------------- in the helper


class _PathPredictor:
    """Just enough of a predictor for ``keras_model_for``: a path to load."""

    model = None

    def __init__(self, path: str) -> None:
        self.path = Path(path)


_models: dict[str, _PathPredictor] = {}


def run_explain(job: ExplainJob, explainers: ExplainerCache) -> tuple:
    """In the helper: the maps, or ("failed", one line); never raises."""
    predictor = _models.setdefault(job.path, _PathPredictor(job.path))
    try:
        saliency = explainers.explain(predictor, job.image, job.class_index)
    except DigitPadError as error:
        return ("failed", str(error))
    except Exception as error:  # never let one request end the helper
        return ("failed", f"Could not compute saliency: {one_line(error)}")
    return ("explained", saliency)
