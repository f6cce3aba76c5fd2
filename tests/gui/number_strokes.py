"""Digits as a user draws them with the mouse: point lists for the ``pen`` fixture.

Each function takes the digit's box (left, top, width, height) in canvas pixels and
returns its strokes; ``number_strokes`` lays out a row of digits like handwriting.
"""

from __future__ import annotations

import math

Points = list[tuple[float, float]]


def _arc(cx, cy, rx, ry, start, end, n=24) -> Points:
    """Points on an ellipse from angle ``start`` to ``end`` (radians, 0 = right,
    counter-clockwise on screen means decreasing y)."""
    return [
        (
            cx + rx * math.cos(start + (end - start) * i / n),
            cy - ry * math.sin(start + (end - start) * i / n),
        )
        for i in range(n + 1)
    ]


def _line(x0, y0, x1, y1, n=16) -> Points:
    return [(x0 + (x1 - x0) * i / n, y0 + (y1 - y0) * i / n) for i in range(n + 1)]


def two(x, y, w, h) -> list[Points]:
    hook = _arc(x + w / 2, y + 0.28 * h, 0.45 * w, 0.26 * h, math.radians(160), -0.6)
    end = hook[-1]
    return [
        hook
        + _line(*end, x + 0.04 * w, y + h)[1:]
        + _line(x + 0.04 * w, y + h, x + w, y + h)[1:]
    ]


def zero(x, y, w, h) -> list[Points]:
    return [
        _arc(
            x + w / 2,
            y + h / 2,
            0.45 * w,
            0.5 * h,
            math.pi / 2,
            math.pi / 2 + 2 * math.pi,
            48,
        )
    ]


def six(x, y, w, h) -> list[Points]:
    stem = _line(x + 0.8 * w, y, x + 0.1 * w, y + 0.68 * h, 16)
    loop = _arc(x + 0.5 * w, y + 0.7 * h, 0.42 * w, 0.3 * h, math.pi, 3 * math.pi, 36)
    return [stem + loop[1:]]


DIGITS = {"0": zero, "2": two, "6": six}


def number_strokes(text: str, left: float, top: float, height: float) -> list[Points]:
    """The strokes of ``text`` written left to right, digits ``height`` tall."""
    width, gap = 0.6 * height, 0.35 * height
    strokes: list[Points] = []
    for i, char in enumerate(text):
        strokes += DIGITS[char](left + i * (width + gap), top, width, height)
    return strokes
