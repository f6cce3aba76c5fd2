"""Labelled drawing lists: the format ``finetune``, ``evaluate --strokes`` and the
*My handwriting* import and export share (the drawing format plus ``"label"``, 0-9).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from digitpad.core.bounded_io import read_json_bounded
from digitpad.core.errors import InputError
from digitpad.core.ink.drawing import Drawing, parse_drawing

MAX_LIST_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class Problem:
    """A file or list entry that was skipped, and why (one line for the user)."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


def check_label(value: Any, source: str | Path | None = None) -> int:
    """A label must be an integer digit 0-9; anything else is an ``InputError``."""
    if value is None:
        raise InputError(source, "has no 'label' (the digit it shows, 0-9)")
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 9:
        raise InputError(source, f"label {value!r} is not a digit from 0 to 9")
    return value


def read_labelled_list(
    path: str | Path, *, strict: bool = True
) -> tuple[list[tuple[Drawing, int]], list[Problem]]:
    """Read a JSON list of labelled drawings.

    ``strict``: the first broken entry is an ``InputError`` (the CLI's one line);
    otherwise broken entries are skipped and returned as problems.
    """
    path = Path(path)
    # bounded, regular files only: a link to /dev/zero or a FIFO is refused
    data = read_json_bounded(path, MAX_LIST_BYTES)
    if not isinstance(data, list):
        data = [data]  # a single labelled drawing is a list of one
    result, problems = [], []
    for index, item in enumerate(data):
        where = f"{path}[{index}]"
        try:
            drawing = parse_drawing(item, where)
            label = check_label(item.get("label"), where)
            if drawing.is_empty:
                raise InputError(where, "drawing has no ink")
        except InputError as error:
            if strict:
                raise
            problems.append(Problem(where, error.reason))
            continue
        result.append((drawing, label))
    if not result and not problems:
        raise InputError(path, "holds no drawings")
    return result, problems
