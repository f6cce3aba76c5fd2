"""The TensorFlow helper process: every job that needs TensorFlow runs here.

Importing TensorFlow holds Python's global lock for up to a second at a time, and each
epoch's LiteRT export ("watch it learn") for 100-200 ms: in the app's process each is
a frozen window. So the app trains, fine-tunes, explains ("Why this digit?") and
converts models in ``python -m digitpad.core.helpers.tensorflow_process`` (started
and ended by ``tensorflow_lifetime``, through ``helpers.process``). It loads TensorFlow,
says ("ready",) and serves jobs until its stdin closes:

- ("run", id, job), a ``training_job.TrainJob`` or ``finetune_process.FinetuneJob``:
  one at a time; ("stop", id) and ("previews", id, on) steer it. Its events, as
  tuples: ("ready",) as it starts; ("batches", [BatchProgress]); ("epoch",
  EpochProgress); ("preview", epoch, tflite, metadata, kernels, weights);
  ("preview_failed", text); ("finished", TrainedRun) then ("saved",) or
  ("save_failed", text) once the model is written to the scratch folder the parent
  chose (keeping it is a rename); or ("cancelled",) or ("failed", text).
- ("question", id, job), a ``saliency_process.ExplainJob`` or
  ``keras_conversion.ConvertJob``: answered with ("answer", id, reply). During a run
  questions are answered between two batches (the run polls ``should_stop`` after
  every batch, on this same thread), so a saliency map waits milliseconds, not for
  the run, and TensorFlow is only ever used from one thread.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from digitpad.core.errors import (
    DigitPadError,
    TrainingCancelled,
    one_line,
)
from digitpad.core.helpers.process import child_channel

# ---------------------------------------------------------------- in the helper


class _Inbox:
    """Everything the parent sends, read on one thread: runs and questions queue
    up for the serving thread; "stop" and "previews" steer the current run."""

    def __init__(self, requests: Connection) -> None:
        self._requests = requests
        self._ready = threading.Condition()
        self._runs: deque[tuple] = deque()
        self._questions: deque[tuple] = deque()
        self._closed = False
        self.run_id: int | None = None
        self.stop = threading.Event()
        self.previews = False
        threading.Thread(
            target=self._listen, name="digitpad-listen", daemon=True
        ).start()

    def _listen(self) -> None:
        try:
            while True:
                message = self._requests.recv()
                with self._ready:
                    self._take(message)
                    self._ready.notify_all()
        except (EOFError, OSError):  # the parent went away: stop after the batch
            pass
        except Exception:  # garbage from the parent: nothing more can be trusted
            pass
        with self._ready:
            self._closed = True
            self.stop.set()
            self._ready.notify_all()

    def _take(self, message: tuple) -> None:
        kind = message[0]
        if kind == "question":
            self._questions.append(message[1:])
        elif kind == "run":
            # steering may arrive before the run begins: it is this run's from now
            self.run_id, self.stop = message[1], threading.Event()
            self.previews = bool(getattr(message[2], "previews", False))
            self._runs.append(message[1:])
        elif kind == "stop" and message[1] == self.run_id:
            self.stop.set()
        elif kind == "previews" and message[1] == self.run_id:
            self.previews = bool(message[2])

    def next_job(self) -> tuple | None:
        """("question", id, job) or ("run", id, job), questions first; None: end."""
        with self._ready:
            while not (self._questions or self._runs or self._closed):
                self._ready.wait()
            if self._questions:
                return ("question", *self._questions.popleft())
            if self._runs:
                return ("run", *self._runs.popleft())
            return None

    def waiting_question(self) -> tuple | None:
        with self._ready:
            return self._questions.popleft() if self._questions else None


def _answer(job: Any, caches: dict[str, Any]) -> tuple:
    """A question job answers itself (``answer(caches)``): this helper knows no
    subject, so every subject may use it without an import cycle."""
    answer = getattr(job, "answer", None)
    if not callable(answer):
        return ("failed", f"the helper does not know a {type(job).__name__} job")
    return answer(caches)


def _serve(requests: Connection, replies: Connection) -> None:
    from digitpad.core.quiet import import_tensorflow_quietly

    import_tensorflow_quietly()  # before any job: a helper up is a helper ready
    send_lock = threading.Lock()

    def send(message: tuple) -> None:
        with send_lock:
            replies.send(message)

    send(("ready",))
    inbox = _Inbox(requests)
    caches: dict[str, Any] = {}  # what question jobs keep between questions

    def answer(question: int, job: Any) -> None:
        try:
            reply = _answer(job, caches)
        except Exception as error:  # never let one question end the helper
            reply = ("failed", f"{type(error).__name__}: {one_line(error)}")
        send(("answer", question, reply))

    def answer_waiting() -> None:
        while (item := inbox.waiting_question()) is not None:
            answer(*item)

    while (item := inbox.next_job()) is not None:
        kind, ident, job = item
        if kind == "question":
            answer(ident, job)
        else:
            _run(job, send, inbox, answer_waiting)


def _run(
    job: Any, send: Callable[[tuple], None], inbox: _Inbox, between: Callable
) -> None:
    """One training or fine-tuning run; questions are answered between batches."""
    stop = inbox.stop

    def should_stop() -> bool:
        between()
        return stop.is_set()

    send(("ready",))
    try:
        run, save = job.run(send, should_stop, lambda: inbox.previews)
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
