"""Bounded reads of regular files: the one way DigitPad reads a file it was handed.

``Path.read_bytes()`` on a symlink to ``/dev/zero`` reads until memory runs out, on a
FIFO it blocks for ever, and ``stat().st_size`` is 0 for both, so size checks made
beforehand say nothing. Here a file is opened without blocking (``O_NONBLOCK``: a
FIFO with no writer opens at once), its *open descriptor* is checked to be a regular
file (so a swap between check and read cannot slip a device in), and at most ``limit``
bytes are read: a file that turns out longer (``/proc`` files report size 0) is
refused rather than truncated.

Refusals are ``RefusedFile``, an ``OSError``, so every reader's existing "cannot read"
handling turns them into its own one-line error; ``str(error)`` is the reason alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from digitpad.core.errors import InputError, one_line

_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_CHUNK = 1 << 20


class RefusedFile(OSError):
    """A path that is not a regular file, or holds more than a reader allows."""

    def __init__(self, path: str | Path, reason: str) -> None:
        super().__init__(reason)
        self.filename = str(path)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "is a pipe (FIFO), not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file"
    return "is not a regular file"


def _human(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} bytes"  # pragma: no cover


@contextlib.contextmanager
def open_regular(path: str | Path, limit: int) -> Iterator[BinaryIO]:
    """An open binary file for ``path``, once it is known to be a regular file whose
    size is at most ``limit`` bytes. For readers that need a seekable file (zip,
    ``np.load``, Pillow); they must not read past what the size promised, which a
    regular file's size bounds.
    """
    fd = os.open(path, _FLAGS)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise RefusedFile(path, _kind(info.st_mode))
        if info.st_size > limit:
            raise RefusedFile(
                path,
                f"is too large ({_human(info.st_size)}; at most {_human(limit)})",
            )
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        handle = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with handle:
        yield handle


def read_bounded(path: str | Path, limit: int) -> bytes:
    """All of ``path`` (a regular file of at most ``limit`` bytes), or ``RefusedFile``.

    Reads at most ``limit + 1`` bytes whatever the size claimed, so a file that grows
    or lies about its size (procfs) cannot make the read unbounded.
    """
    with open_regular(path, limit) as handle:
        # read what the size promises (+1 to see a file that grew), not ``limit``:
        # asking for 256 MB allocates 256 MB even for a 2 KB file
        claimed = os.fstat(handle.fileno()).st_size
        parts = [handle.read(claimed + 1)]
        total = len(parts[0])
        while total > claimed and total <= limit:  # longer than it said (procfs)
            chunk = handle.read(min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            parts.append(chunk)
            total += len(chunk)
    if total > limit:
        raise RefusedFile(path, f"is too large (more than {_human(limit)})")
    return parts[0] if len(parts) == 1 else b"".join(parts)


def read_json_bounded(path: str | Path, limit: int) -> Any:
    """A JSON file (at most ``limit`` bytes) parsed, with every way it can fail
    (missing, refused, undecodable, malformed, absurdly nested) an ``InputError``
    naming the file in one line: drawing files and labelled lists say the same.

    Parsed from bytes, so a UTF-8 byte-order mark (Windows editors write one) and
    UTF-16/32 JSON are read as the JSON standard allows."""
    try:
        data = read_bounded(path, limit)
        if not data.strip():  # a save that never happened, or a new empty file
            raise InputError(path, "the file is empty")
        return json.loads(data)
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except RefusedFile as error:
        raise InputError(path, error.reason) from None
    except OSError as error:
        reason = error.strerror or one_line(error)
        raise InputError(path, f"cannot read file ({reason})") from None
    except UnicodeDecodeError:
        raise InputError(path, "not a text (UTF-8) file") from None
    except json.JSONDecodeError as error:
        raise InputError(path, f"not valid JSON (line {error.lineno})") from None
    except ValueError as error:  # e.g. an integer past Python's 4300-digit limit
        raise InputError(
            path, f"JSON holds an unreadable value ({one_line(error, 80)})"
        ) from None
    except RecursionError:
        raise InputError(path, "JSON is nested too deeply") from None


def open_bytes(path: str | Path, limit: int) -> io.BytesIO:
    """The file's bytes as a seekable in-memory file (read once, bounded)."""
    return io.BytesIO(read_bounded(path, limit))


def sha256_bounded(path: str | Path, limit: int) -> str:
    """SHA-256 of a regular file of at most ``limit`` bytes, read in chunks."""
    digest = hashlib.sha256()
    total = 0
    with open_regular(path, limit) as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            total += len(chunk)
            if total > limit:
                raise RefusedFile(path, f"is too large (more than {_human(limit)})")
            digest.update(chunk)
    return digest.hexdigest()


def is_regular_file(path: str | Path) -> bool:
    """``path`` (following symlinks) is a regular file; never opens it."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False
