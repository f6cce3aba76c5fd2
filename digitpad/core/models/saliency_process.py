""" "Why this digit?" maps computed in a helper process that keeps TensorFlow loaded.

Gradients need TensorFlow, and TensorFlow's import holds Python's lock for up to a
second at a time: in the app's process that froze the window the first time the
Saliency tab opened. So ``python -m digitpad.core.models.saliency_process``
(started through ``helpers.process``) loads TensorFlow once, keeps one compiled
explainer per model file,
and answers one request at a time: ("explain", path, image, class_index) ->
("explained", Saliency) or ("failed", text). It ends when the app closes its stdin.
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import numpy as np

from digitpad.core.errors import DigitPadError, ModelFileError, one_line
from digitpad.core.helpers.process import HelperProcess, child_channel, helper_supported
from digitpad.core.models.saliency import ExplainerCache, Saliency

HELPER_GONE = "the saliency helper stopped unexpectedly"


class SaliencyProcess:
    """The app's end: ``explain`` blocks (call it off the GUI thread, one at a time)."""

    def __init__(self) -> None:
        self._helper: HelperProcess | None = None
        self._lock = threading.Lock()

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
        with self._lock:
            if self._helper is None or not self._helper.running:
                progress("Loading TensorFlow in a helper process (first time only)…")
                self._helper = HelperProcess("digitpad.core.models.saliency_process")
            else:
                progress("Computing…")
            try:
                self._helper.to_child.send(
                    ("explain", str(path), np.asarray(image28, np.float32), class_index)
                )
                reply = self._helper.from_child.recv()
            except (EOFError, OSError):
                self._helper = None
                raise DigitPadError(
                    f"Could not compute saliency: {HELPER_GONE}"
                ) from None
        if reply[0] != "explained":
            raise DigitPadError(reply[1])
        return reply[1]

    def close(self) -> None:
        with self._lock:
            helper, self._helper = self._helper, None
        if helper is not None:
            helper.stop(grace=2.0)


def explainer_for_app() -> Any:
    """What a GUI should explain with: the helper where it can run, else in-process."""
    if not helper_supported():
        return ExplainerCache()
    process = SaliencyProcess()
    atexit.register(process.close)
    return process


# ---------------------------------------------------------------- in the helper


class _PathPredictor:
    """Just enough of a predictor for ``keras_model_for``: a path to load."""

    model = None

    def __init__(self, path: str) -> None:
        self.path = Path(path)


def _serve(requests: Connection, replies: Connection) -> None:
    from digitpad.core.quiet import import_tensorflow_quietly

    import_tensorflow_quietly()
    explainers = ExplainerCache()
    models: dict[str, _PathPredictor] = {}
    while True:
        try:
            _, path, image, class_index = requests.recv()
        except (EOFError, OSError):
            return
        predictor = models.setdefault(path, _PathPredictor(path))
        try:
            saliency = explainers.explain(predictor, image, class_index)
        except DigitPadError as error:
            replies.send(("failed", str(error)))
        except Exception as error:  # never let one request end the helper
            replies.send(("failed", f"Could not compute saliency: {one_line(error)}"))
        else:
            replies.send(("explained", saliency))


def _main() -> None:
    # The module's own copy, so ``Saliency`` pickles under its real module name.
    from digitpad.core.models import saliency_process

    saliency_process._serve(*child_channel())


if __name__ == "__main__":
    _main()
