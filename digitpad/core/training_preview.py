""" "Watch it learn": each epoch's weights as a predictor, without stalling the GUI.

With LiteRT, snapshots go to an ``ExportProcess`` (the conversion holds Python's lock
for 100-200 ms, which in this process would freeze the GUI once per epoch) and come
back as LiteRT predictors on the helper's reader thread. Without LiteRT, or where the
helper cannot run, a detached Keras copy is the preview, built on the training thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from digitpad.core.errors import DigitPadError
from digitpad.core.training import TrainConfig

FINAL_PREVIEW_TIMEOUT_S = 60.0  # how long the end of a run waits for its last preview


class TrainingPreviews:
    """Turns epoch-end models into predictors and hands them to ``deliver``.

    Every snapshot gets a ticket; a result is delivered only if it is newer than the
    last one delivered, so previews never go back in time.
    """

    def __init__(
        self,
        config: TrainConfig,
        deliver: Callable[[Any], None],
        failed: Callable[[str], None],
    ) -> None:
        self._config = config
        self._deliver = deliver
        self._failed = failed
        self._exporter: Any = None
        self._helper_failed = False
        self._tickets = 0
        self._delivered = 0
        self._pending: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the helper now, so its TensorFlow import overlaps the first epoch."""
        from digitpad.core.export_process import ExportProcess
        from digitpad.core.helper_process import helper_supported
        from digitpad.core.inference import litert_available

        if self._exporter is not None or self._helper_failed:
            return
        if not (litert_available() and helper_supported()):
            self._helper_failed = True
            return
        try:
            self._exporter = ExportProcess(self._exported)
        except OSError as error:
            self._helper_failed = True
            self._failed(f"Previews are made in this process instead ({error})")

    def snapshot(self, model: Any, epoch: int) -> None:
        """Preview ``model`` (maybe still training) as the weights after ``epoch``."""
        from digitpad.core import modelfile

        metadata = preview_metadata(model, self._config, epoch)
        self.start()
        if self._exporter is None:
            from digitpad.core.inference import predictor_from_model

            copy = modelfile.detached_copy(model)
            self._deliver(predictor_from_model(copy, metadata))
            return
        with self._lock:
            self._tickets += 1
            ticket = self._tickets
            self._pending[ticket] = (metadata, modelfile.conv_kernels(model))
        self._exporter.submit(ticket, self._config.architecture, model.get_weights())

    def finish(self, stop: Callable[[], bool]) -> None:
        """Wait (bounded, cancellable) for the last snapshot's preview."""
        if self._exporter is not None:
            self._exporter.wait_idle(FINAL_PREVIEW_TIMEOUT_S, stop)

    def close(self) -> None:
        """Stop the helper; returns after any preview being handed on is delivered."""
        if self._exporter is not None:
            self._exporter.close()
            self._exporter = None

    def _exported(self, ticket: int, tflite: bytes | None, error: str | None) -> None:
        """On the helper's reader thread: build the LiteRT predictor, hand it on."""
        with self._lock:
            metadata, kernels = self._pending.pop(ticket, (None, None))
            for older in [t for t in self._pending if t < ticket]:
                del self._pending[older]  # replaced in the helper's queue: no result
            if metadata is None or ticket <= self._delivered:
                return
        if tflite is None:
            self._failed(f"No preview of {metadata['name']}: {error}")
            return
        from digitpad.core.inference import LiteRtPredictor

        try:
            predictor = LiteRtPredictor(tflite, None, metadata, kernels)
        except DigitPadError as problem:
            self._failed(f"No preview of {metadata['name']}: {problem}")
            return
        with self._lock:
            if ticket <= self._delivered:
                return
            self._delivered = ticket
        self._deliver(predictor)


def preview_metadata(model: Any, config: TrainConfig, epoch: int) -> dict[str, Any]:
    from digitpad.core import modelfile

    return {
        "name": f"training preview, epoch {epoch} of {config.epochs}",
        "architecture": config.architecture,
        "layers": modelfile.describe_layers(model),
        "preview": True,
    }
