"""Let long work yield the CPU to the thread that draws the window."""

from __future__ import annotations

import os
import sys
import threading

TRAINING_NICENESS = 10  # how much lower than the GUI the training threads run


def lower_thread_priority(niceness: int | None = None) -> None:
    """Make this thread, and every thread it starts, yield the CPU to the GUI thread.

    Linux keeps a nice value per thread and new threads inherit it, so the TensorFlow
    and tf.data thread pools created by this (training) thread inherit it as well. On
    an idle machine this costs no speed; when the cores are busy, drawing wins. Where
    per-thread priorities do not exist this quietly does nothing.
    """
    niceness = TRAINING_NICENESS if niceness is None else niceness
    if not sys.platform.startswith("linux") or niceness <= 0:
        return
    try:
        thread = threading.get_native_id()
        current = os.getpriority(os.PRIO_PROCESS, thread)
        os.setpriority(os.PRIO_PROCESS, thread, min(current + niceness, 19))
    except (AttributeError, OSError):
        pass
