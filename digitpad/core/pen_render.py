"""Strokes rasterised the way a round pen draws them, fast enough to read numbers live.

Pillow draws the bands of a whole polyline in one C call, but its round joins
(joint="curve") cost a Python-level pie slice per vertex, about 40 us each: a six-digit
number of ~300 points spent most of its time there. Here a disc goes only at the ends
and where the path turns (see ``pen_path``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw

from digitpad.core.pen_path import PenPath, pen_paths


def render_strokes(
    size: tuple[int, int], strokes: Sequence[np.ndarray], radius: float
) -> np.ndarray:
    """Paint ``strokes`` (each an (N, 2) array of x, y pixel coordinates) as uint8."""
    return render_paths(size, pen_paths(strokes), radius)


def render_paths(
    size: tuple[int, int],
    paths: Sequence[PenPath],
    radius: float,
    *,
    origin: tuple[float, float] | np.ndarray = (0.0, 0.0),
    scale: float = 1.0,
    offset: tuple[float, float] = (0.0, 0.0),
) -> np.ndarray:
    """Paint pen paths, each point mapped to ``(point - origin) * scale + offset``.

    ``size`` is (width, height); the result is a (height, width) uint8 array, ink
    255 on 0. The discs
    are sized as Pillow's own: the caps span ``centre +- radius``, a joint
    ``centre +- (width / 2 - 1)``, so the ink matches what ``joint="curve"`` drew.
    """
    image = Image.new("L", size, 0)
    pen = ImageDraw.Draw(image)
    width = max(1, round(2 * radius))
    joint = max(0.5, width / 2 - 1)
    discs = []
    for path in paths:
        points = (path.points - origin) * scale + offset
        if len(points) > 1 and scale:
            pen.line(points.ravel().tolist(), fill=255, width=width)
        discs += [(x, y, joint) for x, y in points[path.turns].tolist()]
        discs += [(x, y, radius) for x, y in points[[0, -1]].tolist()]
    # ``ImageDraw.ellipse`` resolves the colour anew for each disc; a number has
    # about a hundred, so they go to Pillow's drawing core with the colour resolved
    # once (the call ``ellipse`` itself makes, same pixels)
    core, fill = pen.draw, pen.draw.draw_ink(255)
    for x, y, r in discs:
        core.draw_ellipse((x - r, y - r, x + r, y + r), fill, 1)
    return np.frombuffer(image.tobytes(), dtype=np.uint8).reshape(size[1], size[0])
