"""TensorFlow work in a helper process: the app's process never imports TensorFlow.

Importing TensorFlow holds Python's global lock for up to a second at a time, and each
epoch's LiteRT export ("watch it learn") for 100-200 ms: in the app's process each is
a frozen window. So the app trains, fine-tunes and converts models in
``python -m digitpad.core.helpers.tensorflow_process`` (see ``helpers.process``): the
helper loads TensorFlow and says "ready"; the parent sends one job
(``training.job.TrainJob``, ``handwriting.finetune_job.FinetuneJob``,
``models.keras_conversion.ConvertJob``), then "stop" or
("previews", on) at any time; the helper sends
events (below) and ends with exactly one of ``saved``/``save_failed``, ``cancelled``
or ``failed``. Right after the results, the model is saved with its LiteRT export and
sidecars to a scratch folder the parent chose, so keeping it is a rename and the
parent needs no TensorFlow at all.

Events, as tuples: ("ready",) once TensorFlow is loaded; ("batches", [BatchProgress]);
("epoch", EpochProgress); ("preview", epoch, tflite, metadata, kernels, weights);
("preview_failed", text); ("finished", TrainedRun), then ("saved",) or
("save_failed", text) once the model file is written; ("cancelled",); ("failed", text);
("converted", tflite, metadata, kernels, weights) for a conversion.
If the parent goes away, the helper sees its stdin close and stops after the batch.
"""

from __future__ import annotations

import atexit
import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import Any

from digitpad.core.errors import (
    DigitPadError,
    TrainingCancelled,
    one_line,
)
from digitpad.core.helpers.process import HelperProcess, child_channel

HELPER_GONE = "the training process stopped unexpectedly"
STOP_GRACE_S = 10.0  # after "stop": how long the helper may take to end its batch


class TensorFlowProcess:
    """The parent's end of one job. ``events`` yields until the job has ended.

    The job is a ``TrainJob``, a ``FinetuneJob`` or a ``ConvertJob``.
    The helper imports TensorFlow as soon as it starts, before it has a job, so a
    process started ahead (``standby``) makes the next Start immediate.
    """

    def __init__(self) -> None:
        self._helper = HelperProcess("digitpad.core.helpers.tensorflow_process")
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
    from digitpad.core.quiet import import_tensorflow_quietly

    import_tensorflow_quietly()  # before the job: a standby helper is ready at once
    replies.send(("ready",))
    try:
        # A TrainJob, FinetuneJob or ConvertJob: each job carries its own entry point,
        # so this helper knows no subject and the subjects may use it.
        job: Any = requests.recv()
    except (EOFError, OSError):  # a standby helper the app no longer needs
        return
    if hasattr(job, "run_once"):
        replies.send(job.run_once())
        return
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
        run, save = job.run(send, stop.is_set, lambda: previews[0])
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


def _main() -> None:
    # Run the module's own copy, not ``__main__``'s, so anything defined here pickles
    # under its real module name.
    from digitpad.core.helpers import tensorflow_process
    from digitpad.core.helpers.thread_priority import lower_thread_priority

    lower_thread_priority()  # this thread and every TensorFlow thread it starts
    tensorflow_process._serve(*child_channel())


if __name__ == "__main__":
    _main()
