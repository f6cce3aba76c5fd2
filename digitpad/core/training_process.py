"""A training run in a helper process: TensorFlow never runs in the app's process.

Importing TensorFlow holds Python's global lock for up to a second at a time, and each
epoch's LiteRT export ("watch it learn") for 100-200 ms: in the app's process each is
a frozen window. So the app trains in ``python -m digitpad.core.training_process``
(see ``helper_process``): the parent sends one ``TrainJob``, then "stop" or
("previews", on) at any time; the helper sends events (below) and ends with exactly one
of ``finished``, ``cancelled`` or ``failed``. The finished model is saved, with its
LiteRT export and sidecars, to a scratch folder the parent chose, so keeping it is a
rename and the parent needs no TensorFlow at all.

Events, as tuples: ("ready",) once TensorFlow is loaded; ("batches", [BatchProgress]);
("epoch", EpochProgress); ("preview", epoch, tflite, metadata, kernels);
("preview_failed", text); ("finished", TrainedRun); ("cancelled",); ("failed", text).
If the parent goes away, the helper sees its stdin close and stops after the batch.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import numpy as np

from digitpad.core.errors import DigitPadError, TrainingCancelled, one_line
from digitpad.core.helper_process import HelperProcess, child_channel
from digitpad.core.training import TrainConfig, TrainResult

HELPER_GONE = "the training process stopped unexpectedly"
STOP_GRACE_S = 10.0  # after "stop": how long the helper may take to end its batch


@dataclass(frozen=True)
class TrainJob:
    config: TrainConfig
    scratch: str  # folder for the finished model (created by the parent)
    previews: bool


@dataclass(frozen=True)
class TrainedRun:
    """What the parent gets back: the result without the live model, and the file."""

    result: TrainResult  # ``model`` is None: the model is at ``path``
    path: str  # the saved .keras (LiteRT export and sidecars beside it)
    wrong_images: np.ndarray  # (N, 28, 28) uint8 misclassified test digits
    wrong_true: np.ndarray
    wrong_predicted: np.ndarray


class TrainingProcess:
    """The parent's end of one run; ``events`` yields until the run has ended.

    The job is a ``TrainJob`` or a ``finetune_process.FinetuneJob``.
    """

    def __init__(self, job: Any) -> None:
        self._helper = HelperProcess("digitpad.core.training_process")
        self._helper.to_child.send(job)
        self._previews = job.previews
        self._stop_sent_at: float | None = None

    def stop(self) -> None:
        """Ask the run to end after its current batch (idempotent)."""
        if self._stop_sent_at is None:
            self._stop_sent_at = time.monotonic()
            self._send("stop")

    def set_previews(self, on: bool) -> None:
        if on != self._previews:
            self._previews = on
            self._send(("previews", on))

    def events(
        self, should_stop: Callable[[], bool], previews: Callable[[], bool]
    ) -> Iterator[tuple]:
        """Every event up to and including the last; polls the two callables."""
        while True:
            if should_stop():
                self.stop()
            self.set_previews(previews())
            try:
                ready = self._helper.from_child.poll(0.1)
                event = self._helper.from_child.recv() if ready else None
            except (EOFError, OSError):
                event = ("failed", f"Training failed: {HELPER_GONE}")
            if event is None:
                late = self._stop_sent_at is not None and (
                    time.monotonic() - self._stop_sent_at > STOP_GRACE_S
                )
                if late:  # stuck in native code: end it, nothing is kept
                    event = ("cancelled",)
                elif not self._helper.running and not self._helper.from_child.poll():
                    event = ("failed", f"Training failed: {HELPER_GONE}")
                else:
                    continue
            yield event
            if event[0] in ("finished", "cancelled", "failed"):
                return

    def close(self) -> None:
        self._helper.stop(grace=2.0)

    def _send(self, message: Any) -> None:
        with contextlib.suppress(OSError, ValueError):  # gone: ``events`` says so
            self._helper.to_child.send(message)


# ---------------------------------------------------------------- in the helper


def _serve(requests: Connection, replies: Connection) -> None:
    from digitpad.core.finetune_process import FinetuneJob, run_finetune

    job: TrainJob | FinetuneJob = requests.recv()
    work = run_finetune if isinstance(job, FinetuneJob) else _train
    stop = threading.Event()
    previews = [job.previews]
    send_lock = threading.Lock()

    def send(message: tuple) -> None:
        with send_lock:
            replies.send(message)

    def listen() -> None:
        try:
            while True:
                message = requests.recv()
                if message == "stop":
                    stop.set()
                elif message[0] == "previews":
                    previews[0] = bool(message[1])
        except (EOFError, OSError):  # the parent went away
            stop.set()

    threading.Thread(target=listen, name="digitpad-train-listen", daemon=True).start()
    try:
        send(("finished", work(job, send, stop.is_set, lambda: previews[0])))
    except TrainingCancelled:
        send(("cancelled",))
    except DigitPadError as error:
        send(("failed", str(error)))
    except (ValueError, MemoryError, OSError) as error:
        send(("failed", f"Training failed: {one_line(error)}"))
    except Exception as error:  # TensorFlow raises a zoo of types
        send(("failed", f"Training failed: {type(error).__name__}: {one_line(error)}"))


def _train(
    job: TrainJob,
    send: Callable[[tuple], None],
    should_stop: Callable[[], bool],
    previews: Callable[[], bool],
) -> TrainedRun:
    from digitpad.core import modelfile
    from digitpad.core.data import load_mnist
    from digitpad.core.library import training_metadata
    from digitpad.core.progress_throttle import ThrottledReporter
    from digitpad.core.quiet import import_tensorflow_quietly
    from digitpad.core.training import train

    import_tensorflow_quietly()
    send(("ready",))
    config = job.config
    data = load_mnist(config.data_path)
    if should_stop():
        raise TrainingCancelled("training was cancelled")

    def epoch_ended(progress: Any) -> None:
        send(("epoch", replace(progress, model=None)))
        if not previews() or should_stop():
            return
        model = progress.model
        try:  # holds this process's lock for a moment; the app does not notice
            tflite = modelfile.export_tflite(model)
        except Exception as error:
            send(("preview_failed", f"No preview of epoch {progress.epoch}: {error}"))
            return
        metadata = preview_metadata(model, config, progress.epoch)
        kernels = modelfile.conv_kernels(model)
        send(("preview", progress.epoch, tflite, metadata, kernels))

    reporter = ThrottledReporter(lambda chunk: send(("batches", chunk)), epoch_ended)
    result = train(config, reporter, should_stop, data=data)
    if should_stop():
        raise TrainingCancelled("training was cancelled")
    path = Path(job.scratch) / f"{config.architecture}.keras"
    modelfile.save_model(result.model, path, training_metadata(result))
    wrong = np.flatnonzero(result.test_predictions != data.y_test)
    return TrainedRun(
        replace(result, model=None),
        str(path),
        data.x_test[wrong],
        data.y_test[wrong],
        result.test_predictions[wrong],
    )


def preview_metadata(model: Any, config: TrainConfig, epoch: int) -> dict[str, Any]:
    from digitpad.core import modelfile

    return {
        "name": f"training preview, epoch {epoch} of {config.epochs}",
        "architecture": config.architecture,
        "layers": modelfile.describe_layers(model),
        "preview": True,
    }


def _main() -> None:
    # Run the module's own copy, not ``__main__``'s: what is sent back must pickle as
    # ``digitpad.core.training_process.TrainedRun`` for the parent to read it.
    from digitpad.core import training_process
    from digitpad.core.thread_priority import lower_thread_priority

    lower_thread_priority()  # this thread and every TensorFlow thread it starts
    training_process._serve(*child_channel())


if __name__ == "__main__":
    _main()
