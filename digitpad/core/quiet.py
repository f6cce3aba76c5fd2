"""Keep native runtimes' chatter (TensorFlow, LiteRT, Keras export) off the terminal."""

from __future__ import annotations

import contextlib
import io
import os
import threading
from collections.abc import Iterator

_LOCK = threading.RLock()  # fd 2 and sys.stdout are process-wide: one user at a time


@contextlib.contextmanager
def quiet_output() -> Iterator[None]:
    """Silence native and Python output; threads take turns (see ``_quiet``)."""
    with _LOCK, _quiet():
        yield


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Silence fd 2 (C++ logging such as "Created XNNPACK delegate") and Python stdout.

    Keras's export prints its endpoints with ``print``; LiteRT logs from C++ straight to
    file descriptor 2. Neither is useful to a DigitPad user.
    """
    try:
        saved = os.dup(2)
    except OSError:  # no usable stderr (e.g. a windowed bundle): only hush Python
        with contextlib.redirect_stdout(io.StringIO()):
            yield
        return
    try:
        with (
            open(os.devnull, "wb") as devnull,
            contextlib.redirect_stdout(io.StringIO()),
        ):
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def import_tensorflow_quietly() -> None:
    """Import TensorFlow and Keras once, without their start-up log lines on fd 2.

    TensorFlow prints absl/oneDNN/CUDA notices from C++ before any log level applies.
    """
    import sys

    if "keras" in sys.modules and "tensorflow" in sys.modules:
        return
    with quiet_output():
        import keras  # noqa: F401
        import tensorflow  # noqa: F401
