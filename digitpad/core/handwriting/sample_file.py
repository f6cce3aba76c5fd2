"""One sample's file: bytes <-> ``Sample``, by one set of rules for writing and reading.

The store writes a sample only after running its bytes through ``parse_sample``, the
function every load uses, so nothing is accepted that a later load would refuse.
Files are read bounded (``bounded_io``): a link to /dev/zero or a FIFO is refused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from digitpad.core.bounded_io import RefusedFile, read_bounded
from digitpad.core.errors import InputError, one_line
from digitpad.core.handwriting.labelled import check_label
from digitpad.core.ink.drawing import Drawing, parse_drawing

SAMPLE_FORMAT = "digitpad-sample"
MAX_SAMPLE_BYTES = 4 * 1024 * 1024
_PLAIN_NUMBERS = {int, float}


@dataclass(frozen=True)
class Sample:
    """One of the user's drawings with the digit it is."""

    id: str
    drawing: Drawing
    label: int
    created: str = ""

    def to_json_dict(self) -> dict[str, Any]:
        """The labelled drawing as stored and exported."""
        return {**self.drawing.to_json_dict(), "label": self.label}


def read_sample(path: Path) -> Sample:
    """The sample in ``path``, read bounded; ``InputError`` says what is wrong."""
    try:
        # bounded, regular files only: a link to /dev/zero or a FIFO is refused
        raw = read_bounded(path, MAX_SAMPLE_BYTES)
    except RefusedFile as error:
        raise InputError(path, error.reason) from None
    except OSError as error:
        raise InputError(path, f"cannot read ({one_line(error)})") from None
    return parse_sample(raw, path)


def parse_sample(raw: bytes, path: Path) -> Sample:
    """The sample a file's bytes hold, by the rules every load applies.

    ``put`` runs the bytes it is about to write through here too, so a drawing is
    never accepted (by Import, a correction, a teach session) only to be refused by
    every later load: one validation for writing and reading.
    """
    if len(raw) > MAX_SAMPLE_BYTES:
        raise InputError(
            path, f"too large for a sample (more than {MAX_SAMPLE_BYTES >> 20} MB)"
        )
    try:
        data = _DECODER.decode(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        raise InputError(path, "not valid JSON (corrupt file?)") from None
    if not isinstance(data, dict) or data.get("format") != SAMPLE_FORMAT:
        raise InputError(path, "not a DigitPad sample")
    sample_id = data.get("id")
    if sample_id != path.stem:
        raise InputError(path, "its id does not match its file name")
    drawing = _fast_drawing(data) or parse_drawing(data, path)
    if drawing.is_empty:
        raise InputError(path, "drawing has no ink")
    created = data.get("created")
    return Sample(
        sample_id,
        drawing,
        check_label(data.get("label"), path),
        created if isinstance(created, str) else "",
    )


def _fast_drawing(data: dict[str, Any]) -> Drawing | None:
    """The common, well-formed case in a fraction of ``parse_drawing``'s time.

    Returns None for anything unusual (then ``parse_drawing`` says what is wrong):
    every point exactly two plain numbers within canvas range (a count of values
    alone let ``[[1, 2, 3], [4]]`` through, a point no painter can place; NaN never
    gets this far: the decoder refuses it, and an overflowing literal is infinite,
    so out of range).
    """
    try:
        width, height = data["width"], data["height"]
        strokes = tuple(tuple(map(tuple, s)) for s in data["strokes"] if s)
        pen_width = data.get("pen_width")
    except (KeyError, TypeError):
        return None
    values = [v for stroke in strokes for point in stroke for v in point]
    if (
        not values
        or any(len(point) != 2 for stroke in strokes for point in stroke)
        or not set(map(type, values)) <= _PLAIN_NUMBERS
        or not -1e9 < min(values) <= max(values) < 1e9
    ):
        return None
    for value in (width, height) if pen_width is None else (width, height, pen_width):
        if type(value) not in _PLAIN_NUMBERS or not 0 < value < 1e9:
            return None
    return Drawing(width, height, strokes, pen_width, {"label": data.get("label")})


def _refuse_constant(name: str) -> float:
    """NaN and Infinity are not JSON; Python's parser would accept them."""
    raise ValueError(f"{name} is not a number")


_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)
