"""Helper processes that run TensorFlow away from the app's process.

TensorFlow holds Python's global lock for long stretches: its import for up to a
second at a time (loading its native libraries), the LiteRT converter for 100-200 ms.
In the app's process each of those is a frozen window. So work that needs TensorFlow
runs in a helper: ``python -m <module>`` talking over its stdin and stdout.

Not a ``multiprocessing`` child: spawning one re-runs the parent's main script, which
breaks any program embedding DigitPad without a ``__main__`` guard.
``multiprocessing.connection.Connection`` frames the messages; on POSIX it works on pipe
descriptors (on Windows it expects sockets, and LiteRT is not installed there). Both
ends are this package's own code, so the pickled messages are trusted.
"""

from __future__ import annotations

import os
import subprocess
import sys
from multiprocessing.connection import Connection
from pathlib import Path

from digitpad.core.helpers.availability import tensorflow_installed

# frozen: ``digitpad --helper MODULE`` (packaging/bundle_entry.py)
HELPER_FLAG = "--helper"


def helper_supported() -> bool:
    """Helpers need POSIX pipes and TensorFlow (frozen: only the full bundle has it)."""
    return os.name == "posix" and tensorflow_installed()


def helper_command(module: str) -> list[str]:
    """How to start the helper ``module``: ``python -m`` it, or, frozen, the bundle's
    own executable in its hidden helper mode (a bundle has no Python to run)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, HELPER_FLAG, module]
    return [sys.executable, "-m", module]


class HelperProcess:
    """The parent's end: the process and a connection each way.

    Raises ``OSError`` if the helper cannot be started.
    """

    def __init__(self, module: str) -> None:
        # helpers/ -> core/ -> digitpad/ -> the folder that holds the package
        package_root = str(Path(__file__).resolve().parents[3])
        self.process = subprocess.Popen(
            helper_command(module),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=package_root,  # -m puts the cwd first on sys.path: this package
            env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.to_child = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.from_child = Connection(
            os.dup(self.process.stdout.fileno()), writable=False
        )
        self.process.stdin.close()
        self.process.stdout.close()

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self, grace: float = 5.0) -> None:
        """Terminate the helper (killed after ``grace`` seconds) and close the pipes."""
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.to_child.close()
        self.from_child.close()


def child_channel() -> tuple[Connection, Connection]:
    """In the helper: (requests, replies). Replies go to a private copy of stdout;
    fd 0, 1 and 2 then point at /dev/null, so nothing TensorFlow prints can corrupt
    the stream."""
    replies = Connection(os.dup(1), readable=False)
    requests = Connection(os.dup(0), writable=False)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    return requests, replies
