"""Whether this installation can run TensorFlow, and the one sentence that says not.

The lean PyInstaller bundle leaves TensorFlow out (LiteRT predicts); a pip or pipx
install and the full bundle carry it. Training, fine-tuning, the "Why this digit?"
maps and opening a ``.keras`` file without its ``.tflite`` need it, so the window
disables those controls up front and the CLI lists and refuses the commands, both with
``TENSORFLOW_LEFT_OUT`` (one constant, so the two never word it differently).
"""

from __future__ import annotations

import functools
import importlib.util

TENSORFLOW_LEFT_OUT = (
    "Training, fine-tuning, the \u201cWhy this digit?\u201d maps and opening .keras "
    "files without a .tflite need TensorFlow, which this lean DigitPad bundle leaves "
    "out. To get them, download the full bundle (digitpad-full, built with "
    "packaging/build_bundle.sh --with-training) or install DigitPad with pipx."
)
# beside a command in ``digitpad --help``
UNAVAILABLE_SHORT = "needs TensorFlow (not in this lean bundle)"


@functools.cache
def tensorflow_installed() -> bool:
    """True where TensorFlow can be imported, found without importing it."""
    try:
        return importlib.util.find_spec("tensorflow") is not None
    except (ImportError, ValueError):  # the lean bundle's finder refuses it
        return False


def tensorflow_missing() -> str | None:
    """``TENSORFLOW_LEFT_OUT`` where TensorFlow is missing, else None."""
    return None if tensorflow_installed() else TENSORFLOW_LEFT_OUT
