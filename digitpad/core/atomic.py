"""Atomic file writes: temp files in the target's directory, then ``os.replace``."""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path


def write_atomically(path: str | Path, write: Callable[[Path], None]) -> None:
    """Let ``write`` fill a temp file beside ``path``, then move it into place.

    A crash or exception midway leaves the old file (or none) and no temp file behind.
    """
    path = Path(path)
    tmp = _stage(path, write)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes_atomically(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    write_atomically(path, lambda tmp: tmp.write_bytes(data))


def write_files_atomically(files: Sequence[tuple[str | Path, bytes]]) -> None:
    """Write several files that belong together, in the given order, as one set.

    Every file is written and synced to a temp file first; only when all of them are
    complete are they renamed into place. So a full disk or any other write error
    leaves every old file as it was, never a new sidecar beside an old model. A
    crash between the renames, or a rename refused midway (on Windows a file held
    open elsewhere), can still mix old and new; readers check the hashes the
    metadata records, so such a mix is detected, not trusted.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files:
            path = Path(path)
            staged.append((_stage(path, lambda tmp, d=data: tmp.write_bytes(d)), path))
        with _signals_deferred():  # a Ctrl-C or SIGTERM now would split the set
            while staged:
                tmp, path = staged[0]
                os.replace(tmp, path)
                staged.pop(0)
        for folder in {Path(path).parent for path, _ in files}:
            _sync_directory(folder)
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM (POSIX) for the microseconds the renames take; a
    signal that arrives meanwhile is delivered, as usual, right after."""
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is None:
        yield
        return
    previous = mask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        mask(signal.SIG_SETMASK, previous)


def _sync_directory(folder: Path) -> None:
    """Make the renames durable (POSIX); elsewhere, or if refused, nothing to do."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _stage(path: Path, write: Callable[[Path], None]) -> Path:
    """A synced temp file beside ``path`` holding what ``write`` put there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{path.stem}-", suffix=path.suffix + ".tmp", dir=path.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        # mkstemp creates 0600; a saved model should be as readable as any other file
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp
