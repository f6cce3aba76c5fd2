"""TensorFlow work in a helper process: the app's process never imports TensorFlow.

Importing TensorFlow holds Python's global lock for up to a second at a time, and each
epoch's LiteRT export ("watch it learn") for 100-200 ms: in the app's process each is
a frozen window. So the app trains in ``python -m digitpad.core.tensorflow_process``
(see ``helper_process``): the helper loads TensorFlow and says "ready"; the parent
sends one ``TrainJob``, then "stop" or ("previews", on) at any time; the helper sends
events (below) and ends with exactly one of ``saved``/``save_failed``, ``cancelled``
or ``failed``. Right after the results, the model is saved with its LiteRT export and
sidecars to a scratch folder the parent chose, so keeping it is a rename and the
parent needs no TensorFlow at all.

The same helper also converts a ``.keras`` file that has no current LiteRT export
(``ConvertJob``): it loads the file (safe mode, every check of ``modelfile``), exports
it and sends back ("converted", tflite, metadata, kernels), so the app opens such a
model on LiteRT without loading TensorFlow itself.

Events, as tuples: ("ready",) once TensorFlow is loaded; ("batches", [BatchProgress]);
("epoch", EpochProgress); ("preview", epoch, tflite, metadata, kernels);
("preview_failed", text); ("finished", TrainedRun), then ("saved",) or
("save_failed", text) once the model file is written; ("cancelled",); ("failed", text).
If the parent goes away, the helper sees its stdin close and stops after the batch.
"""

from __future__ import annotations

import atexit
import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import numpy as np

from digitpad.core.errors import (
    DigitPadError,
    NoLiteRtExport,
    TrainingCancelled,
    one_line,
)
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
class ConvertJob:
    path: str  # a .keras file without a current .tflite beside it


@dataclass(frozen=True)
class TrainedRun:
    """What the parent gets back: the result without the live model, and the file."""

    result: TrainResult  # ``model`` is None: the model is at ``path``
    path: str  # the saved .keras (LiteRT export and sidecars beside it)
    wrong_images: np.ndarray  # (N, 28, 28) uint8 misclassified test digits
    wrong_true: np.ndarray
    wrong_predicted: np.ndarray


class TensorFlowProcess:
    """The parent's end of one job. ``events`` yields until the job has ended.

    The job is a ``TrainJob``, a ``finetune_process.FinetuneJob`` or a ``ConvertJob``.
    The helper imports TensorFlow as soon as it starts, before it has a job, so a
    process started ahead (``standby``) makes the next Start immediate.
    """

    def __init__(self) -> None:
        self._helper = HelperProcess("digitpad.core.tensorflow_process")
        self._previews = False
        self._stop_sent_at: float | None = None

    @property
    def running(self) -> bool:
        return self._helper.running

    def start(self, job: Any) -> None:
        self._previews = getattr(job, "previews", False)
        self._helper.to_child.send(job)

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
            if event[0] in ("saved", "save_failed", "cancelled", "failed", "converted"):
                return

    def close(self) -> None:
        self._helper.stop(grace=2.0)

    def _send(self, message: Any) -> None:
        with contextlib.suppress(OSError, ValueError):  # gone: ``events`` says so
            self._helper.to_child.send(message)


_standby: TensorFlowProcess | None = None
_standby_lock = threading.Lock()


def take_process() -> TensorFlowProcess:
    """The standby helper if alive (TensorFlow already loaded), else a new one."""
    global _standby
    with _standby_lock:
        process, _standby = _standby, None
    if process is not None and process.running:
        return process
    if process is not None:
        process.close()
    return TensorFlowProcess()


def prepare_standby() -> None:
    """Start a helper for the next run now (after a run: the user may train again)."""
    global _standby
    with _standby_lock:
        if _standby is not None and _standby.running:
            return
        _standby = TensorFlowProcess()


@atexit.register
def close_standby() -> None:
    global _standby
    with _standby_lock:
        process, _standby = _standby, None
    if process is not None:
        process.close()


# ---------------------------------------------------------------- in the helper


def _serve(requests: Connection, replies: Connection) -> None:
    from digitpad.core.finetune_process import FinetuneJob, run_finetune
    from digitpad.core.quiet import import_tensorflow_quietly

    import_tensorflow_quietly()  # before the job: a standby helper is ready at once
    replies.send(("ready",))
    try:
        job: TrainJob | FinetuneJob | ConvertJob = requests.recv()
    except (EOFError, OSError):  # a standby helper the app no longer needs
        return
    if isinstance(job, ConvertJob):
        replies.send(_convert(job))
        return
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
        run, save = work(job, send, stop.is_set, lambda: previews[0])
        send(("finished", run))  # results first; the files follow
        try:
            save()
        except Exception as error:  # disk full, read-only folder, ...
            send(
                ("save_failed", f"Could not save the trained model: {one_line(error)}")
            )
        else:
            send(("saved",))
    except TrainingCancelled:
        send(("cancelled",))
    except DigitPadError as error:
        send(("failed", str(error)))
    except (ValueError, MemoryError, OSError) as error:
        send(("failed", f"Training failed: {one_line(error)}"))
    except Exception as error:  # TensorFlow raises a zoo of types
        send(("failed", f"Training failed: {type(error).__name__}: {one_line(error)}"))


def _convert(job: ConvertJob) -> tuple:
    from digitpad.core import modelfile
    from digitpad.core.inference import trusted_metadata

    try:
        model = modelfile.load_keras_model(job.path)  # safe mode and every check
        metadata = {
            **trusted_metadata(Path(job.path)),
            "layers": modelfile.describe_layers(model),  # the model says, not a file
        }
        return (
            "converted",
            modelfile.export_tflite(model),
            metadata,
            modelfile.conv_kernels(model),
        )
    except DigitPadError as error:
        return ("failed", str(error))
    except Exception as error:  # TensorFlow raises a zoo of types
        return ("failed", f"{job.path}: cannot convert ({one_line(error)})")


def convert_keras(path: Path) -> tuple[bytes, dict[str, Any], dict[str, Any]]:
    """(tflite, metadata, kernels) for the ``.keras`` at ``path``, made in a helper."""
    process = TensorFlowProcess()
    try:
        process.start(ConvertJob(str(path)))
        *_, last = process.events(lambda: False, lambda: False)
    finally:
        process.close()
    if last[0] != "converted":
        raise DigitPadError(last[1] if len(last) > 1 else f"{path}: cannot convert")
    return last[1], last[2], last[3]


def load_without_tensorflow(path: str | Path | None) -> Any:
    """A predictor for ``path`` (None: the shipped model) without importing
    TensorFlow here: LiteRT, converting in a helper when the file has no current
    export. Where LiteRT or helpers are unavailable, ``load_predictor`` decides."""
    from digitpad.core.helper_process import helper_supported
    from digitpad.core.inference import (
        LiteRtPredictor,
        litert_available,
        load_predictor,
    )

    if path is None or not (litert_available() and helper_supported()):
        return load_predictor(path, kernels=True)
    try:
        return load_predictor(path, backend="litert", kernels=True)
    except NoLiteRtExport:
        tflite, metadata, kernels = convert_keras(Path(path))
        return LiteRtPredictor(tflite, Path(path), metadata, kernels)


def _train(
    job: TrainJob,
    send: Callable[[tuple], None],
    should_stop: Callable[[], bool],
    previews: Callable[[], bool],
) -> tuple[TrainedRun, Callable[[], None]]:
    """The run's result, and the function that saves its model to the scratch path."""
    from digitpad.core import modelfile
    from digitpad.core.data import load_mnist
    from digitpad.core.library import training_metadata
    from digitpad.core.progress_throttle import ThrottledReporter
    from digitpad.core.training import train

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
    metadata = training_metadata(result)
    wrong = np.flatnonzero(result.test_predictions != data.y_test)
    run = TrainedRun(
        replace(result, model=None),
        str(path),
        data.x_test[wrong],
        data.y_test[wrong],
        result.test_predictions[wrong],
    )
    return run, lambda: modelfile.save_model(result.model, path, metadata)


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
    # ``digitpad.core.tensorflow_process.TrainedRun`` for the parent to read it.
    from digitpad.core import tensorflow_process
    from digitpad.core.thread_priority import lower_thread_priority

    lower_thread_priority()  # this thread and every TensorFlow thread it starts
    tensorflow_process._serve(*child_channel())


if __name__ == "__main__":
    _main()
