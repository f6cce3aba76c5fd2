"""Keep native runtimes' chatter (TensorFlow, LiteRT, Keras export) off the terminal.

Only the thread that asked for quiet is silenced. Python's ``sys.stdout`` and
``sys.stderr`` are process-wide, so swapping them for a sink (``redirect_stdout``)
also swallowed whatever other threads printed meanwhile: a benchmark's JSON line,
printed while a worker built a LiteRT interpreter, vanished. Here they are swapped for
stand-ins that drop the quiet thread's writes and pass every other thread's on. File
descriptor 2 (C++ logging) cannot be split by thread: while it points at the null
device, other threads' Python-level writes to stderr go to a copy of the real one.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import threading
from collections.abc import Iterator
from typing import TextIO

_LOCK = threading.RLock()  # fd 2 is process-wide: one quiet section at a time
_local = threading.local()  # .depth: how many quiet sections this thread is in


class _OthersOnly(io.TextIOBase):
    """A stand-in for ``sys.stdout``/``sys.stderr``: silent for quiet threads."""

    def __init__(self, others: TextIO | None) -> None:
        super().__init__()
        self._others = others

    def write(self, text: str) -> int:
        if getattr(_local, "depth", 0) or self._others is None:
            return len(text)
        return self._others.write(text)

    def flush(self) -> None:
        if self._others is not None and not getattr(_local, "depth", 0):
            self._others.flush()

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self._others is not None and self._others.isatty()

    def fileno(self) -> int:
        if self._others is None:
            raise io.UnsupportedOperation("no underlying stream")
        return self._others.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._others, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self._others, "errors", None)

    def __getattr__(self, name: str) -> object:
        """Anything else a caller may use (``buffer``, ``errors``...) is the real
        stream's, so code that inspects its stream keeps working meanwhile."""
        if self._others is None:
            raise AttributeError(name)
        return getattr(self._others, name)


@contextlib.contextmanager
def quiet_output() -> Iterator[None]:
    """Silence this thread's native and Python output; threads take turns on fd 2."""
    with _LOCK:
        _local.depth = getattr(_local, "depth", 0) + 1
        try:
            if _local.depth == 1:
                with _quiet():
                    yield
            else:
                yield
        finally:
            _local.depth -= 1


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Silence fd 2 (C++ logging such as "Created XNNPACK delegate") and Python output.

    Keras's export prints its endpoints with ``print``; LiteRT logs from C++ straight to
    file descriptor 2. Neither is useful to a DigitPad user.
    """
    stdout, stderr = sys.stdout, sys.stderr
    try:
        saved = os.dup(2)
    except OSError:  # no usable stderr (e.g. a windowed bundle): only hush Python
        saved = None
    # while fd 2 is the null device, other threads' stderr goes to the real one
    real_stderr = (
        open(saved, "w", buffering=1, closefd=False, errors="backslashreplace")  # noqa: SIM115
        if saved is not None
        else stderr
    )
    sys.stdout, sys.stderr = _OthersOnly(stdout), _OthersOnly(real_stderr)
    try:
        if saved is not None:
            if stderr is not None:
                stderr.flush()
            with open(os.devnull, "wb") as devnull:
                os.dup2(devnull.fileno(), 2)
        yield
    finally:
        sys.stdout, sys.stderr = stdout, stderr
        if saved is not None:
            real_stderr.close()
            os.dup2(saved, 2)
            os.close(saved)


def import_tensorflow_quietly() -> None:
    """Import TensorFlow and Keras once, without their start-up log lines on fd 2.

    TensorFlow prints absl/oneDNN/CUDA notices from C++ before any log level applies.
    """
    if "keras" in sys.modules and "tensorflow" in sys.modules:
        return
    with quiet_output():
        import keras  # noqa: F401
        import tensorflow  # noqa: F401
