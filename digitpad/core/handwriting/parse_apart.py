"""Parse big drawing files in a helper process, where they cannot stall the window.

``json.loads`` of a 100 MB drawing list is one call that holds Python's global lock
for seconds; on a worker thread the window freezes all the same. So files past
``APART_BYTES`` are parsed by ``python -m digitpad.core.handwriting.parse_apart`` (the
same pipes as every helper, ``helper_process``) with the very readers the app uses
(``load_drawings``, ``read_labelled_list``), and come back in chunks small enough
to unpickle between two frames. Smaller files, and platforms without helpers, are
read in-process: a helper costs more than they do.
"""

from __future__ import annotations

import os
from itertools import islice
from pathlib import Path
from typing import Any

from digitpad.core.errors import InputError, one_line
from digitpad.core.handwriting.labelled import Problem, read_labelled_list
from digitpad.core.helpers.process import HelperProcess, child_channel, helper_supported
from digitpad.core.ink.drawing import Drawing, load_drawings

APART_BYTES = 1024 * 1024  # files at least this large are parsed in a helper
CHUNK = 64  # drawings per message: each unpickles in well under a frame
ANSWER_TIMEOUT_S = 120.0  # a helper silent this long is stopped


def first_drawing(path: str | Path) -> tuple[Drawing, int]:
    """The first drawing of a drawing file and how many it holds (``InputError``)."""
    path = Path(path)
    if not _apart(path):
        drawings, _ = load_drawings(path)
        if not drawings:
            raise InputError(path, "the file holds no drawings")
        return drawings[0], len(drawings)
    (drawing, count), _ = _ask("first", path)
    return drawing, count


def labelled_list(
    path: str | Path,
) -> tuple[list[tuple[Drawing, int]], list[Problem]]:
    """``read_labelled_list(path, strict=False)``, parsed apart when large."""
    path = Path(path)
    if not _apart(path):
        return read_labelled_list(path, strict=False)
    problems, pairs = _ask("labelled", path)
    return pairs, problems


def _apart(path: Path) -> bool:
    try:
        return helper_supported() and os.stat(path).st_size >= APART_BYTES
    except OSError:
        return False  # the reader in-process says what is wrong, in its words


def _ask(mode: str, path: Path) -> tuple[Any, list]:
    """(header, items) from a helper parsing ``path``; its errors as ``InputError``."""
    try:
        helper = HelperProcess("digitpad.core.handwriting.parse_apart")
    except OSError as error:
        raise InputError(path, f"cannot start a reader ({one_line(error)})") from None
    try:
        helper.to_child.send((mode, str(path)))
        header = _next(helper, path)
        if header[0] == "error":
            raise InputError(header[1], header[2])
        items: list = []
        while True:
            message = _next(helper, path)
            if message[0] == "end":
                return header[1], items
            items.extend(message[1])
    finally:
        helper.stop(grace=1.0)


def _next(helper: HelperProcess, path: Path) -> tuple:
    try:
        if not helper.from_child.poll(ANSWER_TIMEOUT_S):
            raise InputError(path, f"took over {ANSWER_TIMEOUT_S:.0f} s to read")
        message = helper.from_child.recv()
    except (EOFError, OSError):
        raise InputError(path, "the reader stopped unexpectedly") from None
    if not isinstance(message, tuple) or not message:
        raise InputError(path, "the reader sent something unreadable")
    return message


def _serve(mode: str, path: str, send) -> None:
    try:
        if mode == "first":
            drawings, _ = load_drawings(path)
            if not drawings:
                raise InputError(path, "the file holds no drawings")
            send(("ok", (drawings[0], len(drawings))))
            send(("end",))
            return
        pairs, problems = read_labelled_list(path, strict=False)
        send(("ok", problems))
        iterator = iter(pairs)
        while chunk := list(islice(iterator, CHUNK)):
            send(("chunk", chunk))
        send(("end",))
    except InputError as error:
        send(("error", error.source, error.reason))
    except Exception as error:  # the reader's bug must still be one line
        send(("error", path, f"cannot read ({one_line(error)})"))


def _main() -> None:
    requests, replies = child_channel()
    try:
        mode, path = requests.recv()
    except (EOFError, OSError):
        return
    _serve(mode, path, replies.send)


if __name__ == "__main__":
    _main()
