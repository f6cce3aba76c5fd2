"""Test digits, the one generator: digits as a person writes them, stroke by stroke.

Each digit builder takes the digit's top-left corner and its height and returns a list
of strokes (lists of [x, y] points, writing order), in the drawing format;
``drawing_dict`` and ``write_json`` turn them into drawing files.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np


def ellipse_stroke(cx: float, cy: float, rx: float, ry: float, n: int = 60) -> list:
    """A closed ellipse as one stroke from the top: a zero as people draw it."""
    t = np.linspace(0, 2 * np.pi, n)
    return [[float(cx + rx * np.sin(a)), float(cy - ry * np.cos(a))] for a in t]


def line_stroke(x0: float, y0: float, x1: float, y1: float, n: int = 25) -> list:
    """A straight stroke of ``n`` + 1 evenly spaced points."""
    return [[x0 + (x1 - x0) * i / n, y0 + (y1 - y0) * i / n] for i in range(n + 1)]


def seven_strokes(x: float, y: float, size: float) -> list:
    """A '7' with its top-left corner at (x, y): a bar and a slanted stem."""
    return [[[x, y], [x + 0.6 * size, y], [x + 0.25 * size, y + size]]]


def drawing_dict(strokes: list, width: int = 400, height: int = 400, **extra) -> dict:
    return {"width": width, "height": height, "strokes": strokes, **extra}


def write_json(path: Path, obj) -> Path:
    path.write_text(json.dumps(obj), encoding="utf-8")
    return path


def arc(cx: float, cy: float, rx: float, ry: float, start: float, end: float) -> list:
    """Points on an ellipse from ``start`` to ``end`` degrees (0 = right, y down)."""
    t = np.radians(np.linspace(start, end, 24))
    return [[float(cx + rx * np.cos(a)), float(cy + ry * np.sin(a))] for a in t]


def one(x: float, y: float, size: float) -> list:
    return [[[x + 0.12 * size, y], [x + 0.08 * size, y + size]]]


def one_with_flag_and_base(x: float, y: float, size: float) -> list:
    stem = [[x + 0.25 * size, y], [x + 0.25 * size, y + size]]
    flag = [[x, y + 0.3 * size], [x + 0.25 * size, y]]
    base = [[x + 0.05 * size, y + size], [x + 0.45 * size, y + size]]
    return [flag, stem, base]


def zero(x: float, y: float, size: float) -> list:
    return [arc(x + 0.3 * size, y + 0.5 * size, 0.3 * size, 0.5 * size, -90, 275)]


def two(x: float, y: float, size: float) -> list:
    top = arc(x + 0.3 * size, y + 0.3 * size, 0.3 * size, 0.3 * size, 200, 360)
    return [[*top, [x, y + size], [x + 0.65 * size, y + size]]]


def six(x: float, y: float, size: float) -> list:
    down = [[x + 0.5 * size, y], [x + 0.1 * size, y + 0.6 * size]]
    loop = arc(x + 0.32 * size, y + 0.72 * size, 0.27 * size, 0.28 * size, 180, 540)
    return [[*down, *loop]]


def four(x: float, y: float, size: float) -> list:
    """Two strokes: the bent line, then the upright crossing its bar."""
    bent = [[x + 0.4 * size, y], [x, y + 0.6 * size], [x + 0.7 * size, y + 0.6 * size]]
    upright = [[x + 0.5 * size, y + 0.1 * size], [x + 0.5 * size, y + size]]
    return [bent, upright]


def five(x: float, y: float, size: float) -> list:
    """Two strokes: stem and belly, then the flag on top."""
    belly = arc(x + 0.3 * size, y + 0.68 * size, 0.3 * size, 0.32 * size, 230, 490)
    stem_and_belly = [[x + 0.08 * size, y], [x + 0.05 * size, y + 0.45 * size], *belly]
    flag = [[x + 0.08 * size, y], [x + 0.6 * size, y]]
    return [stem_and_belly, flag]


def crossed_seven(x: float, y: float, size: float) -> list:
    """Two strokes: bar and stem, then the short cross bar."""
    stroke = [[x, y], [x + 0.6 * size, y], [x + 0.2 * size, y + size]]
    cross = [[x + 0.15 * size, y + 0.5 * size], [x + 0.55 * size, y + 0.5 * size]]
    return [stroke, cross]


def nine(x: float, y: float, size: float) -> list:
    """One stroke: the loop from its right, round anticlockwise, then down the stem."""
    loop = arc(x + 0.3 * size, y + 0.28 * size, 0.28 * size, 0.28 * size, 0, -360)
    stem = [[x + 0.58 * size, y + 0.28 * size], [x + 0.55 * size, y + size]]
    return [[*loop, *stem]]


BUILDERS = {
    "0": zero,
    "1": one,
    "2": two,
    "4": four,
    "5": five,
    "6": six,
    "7": crossed_seven,
    "9": nine,
}


def written_number(
    text: str, left: float, top: float, height: float, gap: float = 0.25
) -> list:
    """The strokes of ``text`` written left to right, digits ``height`` tall and
    ``gap`` digit heights apart (about the spacing people leave)."""
    strokes: list = []
    x = left
    for char in text:
        strokes += BUILDERS[char](x, top, height)
        x += (0.75 + gap) * height
    return strokes
