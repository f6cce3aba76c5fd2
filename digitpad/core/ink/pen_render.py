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

from digitpad.core.ink.pen_path import PenPath


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
    255 on 0. The discs are sized as Pillow's own: the caps span ``centre +-
    radius``, a joint ``centre +- (width / 2 - 1)``, so the ink matches what
    ``joint="curve"`` drew.
    """
    image = Image.new("L", size, 0)
    pen = ImageDraw.Draw(image)
    width = max(1, round(2 * radius))
    joint = max(0.5, width / 2 - 1)
    centres, radii = [], []
    for path in paths:
        points = (path.points - origin) * scale + offset
        if len(points) > 1 and scale:
            pen.line(points.ravel().tolist(), fill=255, width=width)
        turns = points[path.turns]
        centres += (turns, points[[0, -1]])
        radii += (np.full(len(turns), joint), (radius, radius))
    # the discs' boxes in one numpy pass; ``ImageDraw.ellipse`` would resolve the
    # colour anew for each of a number's ~130 discs, so they go to Pillow's drawing
    # core with the colour resolved once (the call ``ellipse`` itself makes)
    if centres:
        xy, r = np.concatenate(centres), np.concatenate(radii)[:, None]
        core, fill = pen.draw, pen.draw.draw_ink(255)
        for box in np.hstack([xy - r, xy + r]).tolist():
            core.draw_ellipse(box, fill, 1)
    return np.frombuffer(image.tobytes(), dtype=np.uint8).reshape(size[1], size[0])
