"""DigitPad's drawing format: what a canvas holds, as JSON.

``{"width": W, "height": H, "strokes": [[[x, y], ...], ...]}`` in canvas pixels with y
pointing down, optionally ``pen_width`` and ``stroke_origins`` (which strokes the eraser
cut from one); other keys (``label``, ``writer``...) are kept in ``extra`` and otherwise
ignored. A file holds one such object or a list of them.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from digitpad.core.bounded_io import read_json_bounded
from digitpad.core.errors import InputError
from digitpad.core.ink.pen_path import PenPath, pen_paths

Point = tuple[float, float]
Stroke = tuple[Point, ...]
MAX_POINTS = 1_000_000
MAX_FILE_BYTES = 128 * 1024 * 1024  # a million points as JSON is ~30 MB
DEFAULT_PEN_WIDTH = 16.0
ORIGINS_KEY = "stroke_origins"  # optional: one label per stroke, see stroke_origins


@dataclass(frozen=True)
class Drawing:
    """Strokes on a canvas; a stroke of one point is a dot and counts as ink."""

    width: float
    height: float
    strokes: tuple[Stroke, ...] = ()
    pen_width: float | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_empty(self) -> bool:
        return not any(self.strokes)

    @functools.cached_property
    def point_arrays(self) -> tuple[np.ndarray, ...]:
        """Each stroke as a float64 (N, 2) array, converted once per drawing.

        Reading a number looks at every stroke three times (grouping, boxes, network
        input); converting tuples of points each time cost a tenth of the read.
        """
        return tuple(
            np.asarray(s, dtype=np.float64).reshape(-1, 2) for s in self.strokes
        )

    @functools.cached_property
    def pen_paths(self) -> tuple[PenPath, ...]:
        """The non-empty strokes as a round pen draws them (see ``pen_path``).

        Worked out once per drawing for all strokes: reading a six-digit number
        then renders each digit without re-examining its points one stroke at a time.
        """
        return pen_paths(self.point_arrays)

    @property
    def stroke_origins(self) -> tuple[int, ...] | None:
        """Per stroke, a label shared by strokes that were one before the eraser cut
        it (``extra["stroke_origins"]``); None when unknown or not one per stroke."""
        labels = self.extra.get(ORIGINS_KEY)
        if (
            not isinstance(labels, list | tuple)
            or len(labels) != len(self.strokes)
            or not all(type(label) is int for label in labels)
        ):
            return None
        return tuple(labels)

    @property
    def label(self) -> int | None:
        """The ``label`` key of labelled data sets, if it is a digit."""
        value = self.extra.get("label")
        return value if isinstance(value, int) and 0 <= value <= 9 else None

    @property
    def number_label(self) -> str | None:
        """The ``number`` key of labelled numbers (e.g. "2026"), if it is digits."""
        value = self.extra.get("number")
        if isinstance(value, str) and all(c in "0123456789" for c in value):
            return value
        return None

    def to_json_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "width": self.width,
            "height": self.height,
            "strokes": [[[x, y] for x, y in stroke] for stroke in self.strokes],
        }
        if self.pen_width is not None:
            data["pen_width"] = self.pen_width
        return data


def parse_drawing(obj: Any, source: str | Path | None = None) -> Drawing:
    """Validate one JSON object as a drawing; ``InputError`` says what is wrong."""
    if not isinstance(obj, dict):
        raise InputError(
            source, "a drawing must be a JSON object with width, height, strokes"
        )
    width, height = obj.get("width"), obj.get("height")
    for key, value in (("width", width), ("height", height)):
        if not _is_number(value) or value <= 0:
            raise InputError(source, f"drawing {key} must be a positive number")
    strokes_obj = obj.get("strokes")
    if not isinstance(strokes_obj, list):
        raise InputError(source, "drawing has no 'strokes' list")
    strokes: list[Stroke] = []
    total = 0
    for number, stroke in enumerate(strokes_obj, start=1):
        if not isinstance(stroke, list):
            raise InputError(source, f"stroke {number} is not a list of points")
        points: list[Point] = []
        for point in stroke:
            if (
                not isinstance(point, list | tuple)
                or len(point) < 2
                or not (_is_number(point[0]) and _is_number(point[1]))
            ):
                raise InputError(
                    source, f"stroke {number} has a point that is not [x, y]"
                )
            points.append((float(point[0]), float(point[1])))
        total += len(points)
        if total > MAX_POINTS:
            raise InputError(source, f"drawing has more than {MAX_POINTS} points")
        if points:
            strokes.append(tuple(points))
    pen_width = obj.get("pen_width")
    if pen_width is not None and (not _is_number(pen_width) or pen_width <= 0):
        raise InputError(source, "pen_width must be a positive number")
    extra = {k: v for k, v in obj.items() if k not in ("width", "height", "strokes")}
    return Drawing(float(width), float(height), tuple(strokes), pen_width, extra)


def load_drawings(path: str | Path) -> tuple[list[Drawing], bool]:
    """Read a drawing file; return the drawings and whether the file held a list."""
    path = Path(path)
    data = read_json_bounded(path, MAX_FILE_BYTES)
    if isinstance(data, list):
        drawings = []
        for index, item in enumerate(data):
            drawings.append(parse_drawing(item, f"{path}[{index}]"))
        return drawings, True
    return [parse_drawing(data, path)], False


def _is_number(value: Any) -> bool:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value) and abs(value) < 1e9  # canvas pixels, not astronomy
    except OverflowError:  # a 400-digit integer
        return False
