"""Computes saliency maps on a worker thread, where TensorFlow may be loaded.

The first explanation for a LiteRT-backed model loads TensorFlow and the ``.keras`` file
(seconds), so it must never happen on the GUI thread. The worker keeps one compiled
explainer for the current model; the view sends one request at a time and drops answers
whose token is stale.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shiboken6
from PySide6.QtCore import QObject, QThread, Signal, Slot

from digitpad.core.errors import DigitPadError, one_line


class SaliencyWorker(QObject):
    """Lives on its own QThread; ``explain`` answers ``explained`` or ``failed``."""

    explained = Signal(int, object)  # token, core.saliency.Saliency
    failed = Signal(int, str)  # token, one-line message
    progressed = Signal(str)  # what is happening, for the status line

    def __init__(self) -> None:
        super().__init__()
        self._predictor: Any = None
        self._explainer: Any = None

    @Slot(int, object, object, object)
    def explain(
        self, token: int, predictor: Any, image: np.ndarray, class_index: Any
    ) -> None:
        try:
            if predictor is not self._predictor:
                self._explainer = None
                self._predictor = predictor
                self.progressed.emit(
                    "Loading the model into TensorFlow (first time only)…"
                )
                from digitpad.core.saliency import SaliencyExplainer, keras_model_for

                self._explainer = SaliencyExplainer(keras_model_for(predictor))
            self.progressed.emit("Computing…")
            result = self._explainer.explain(image, class_index)
        except DigitPadError as error:
            self._predictor = None
            self.failed.emit(token, str(error))
        except Exception as error:  # TensorFlow raises many types; show one line
            self._predictor = None
            text = one_line(error, limit=160)
            self.failed.emit(token, f"Could not compute saliency: {text}")
        else:
            self.explained.emit(token, result)


class SaliencyThread(QObject):
    """Owns the worker's thread; ``stop()`` is safe to call more than once."""

    requested = Signal(int, object, object, object)

    def __init__(self) -> None:
        super().__init__()
        self.thread = QThread()
        self.thread.setObjectName("DigitPad saliency")
        self.worker = SaliencyWorker()
        self.worker.moveToThread(self.thread)
        self.requested.connect(self.worker.explain)
        self.thread.start()

    def stop(self) -> None:
        if shiboken6.isValid(self.thread) and self.thread.isRunning():
            self.thread.quit()
            self.thread.wait()
