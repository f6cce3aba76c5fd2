"""The eraser: what a disc dragged across the canvas removes, strokes and image alike.

Plain numpy so the rule a user sees (nothing is left under the eraser's path) has
plain tests.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

import numpy as np

from digitpad.core.ink.canvas_content import (
    CanvasContent,
    InkPoint,
    InkStroke,
    PlacedImage,
    cut_origin,
)

ERASE_STEP = 1.0  # px between points when a touched stroke is cut by the eraser


def erase(
    content: CanvasContent,
    start: tuple[float, float],
    end: tuple[float, float],
    radius: float,
) -> CanvasContent:
    """Remove every bit of ink the eraser disc touches moving from ``start`` to ``end``.

    A touched stroke is resampled finely and split where the eraser passed, dropping
    points whose pen disc overlaps the eraser, so the strokes re-rendered afterwards
    show exactly what the user sees: nothing under the eraser's path. The pieces
    keep their stroke's origin, so they are still read as part of its digit.
    """
    strokes: list[InkStroke] = []
    changed = False
    for stroke in content.strokes:
        pieces = _erase_stroke(stroke, start, end, radius)
        if pieces is None:
            strokes.append(stroke)
        else:
            strokes.extend(pieces)
            changed = True
    image = _erase_image(content.image, start, end, radius)
    if not changed and image is content.image:
        return content
    return replace(content, strokes=tuple(strokes), image=image)


def _segment_distance(points: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance from each of ``points`` (N, 2) to the segment a-b."""
    ab = b - a
    length2 = float(ab @ ab)
    if length2 == 0.0:
        return np.hypot(*(points - a).T)
    t = np.clip(((points - a) @ ab) / length2, 0.0, 1.0)
    nearest = a + t[:, None] * ab
    return np.hypot(*(points - nearest).T)


def _erase_stroke(
    stroke: InkStroke, start: tuple[float, float], end: tuple[float, float], r: float
) -> list[InkStroke] | None:
    """The pieces left of ``stroke``, or None when the eraser does not touch it."""
    pts = np.asarray(stroke.points, dtype=np.float64)
    a, b = np.asarray(start, float), np.asarray(end, float)
    reach = r + pts[:, 2].max() / 2 + ERASE_STEP
    lo, hi = np.minimum(a, b) - reach, np.maximum(a, b) + reach
    if (pts[:, :2].max(axis=0) < lo).any() or (pts[:, :2].min(axis=0) > hi).any():
        return None  # bounding boxes apart: no segment of the stroke can be touched
    dense = _densify(pts)
    hit = _segment_distance(dense[:, :2], a, b) <= r + dense[:, 2] / 2
    if not hit.any():
        return None
    pieces = []
    run: list[InkPoint] = []
    origin = cut_origin(stroke)  # the pieces still belong to the stroke's digit
    for point, erased in zip(dense, hit, strict=True):
        if erased:
            if run:
                pieces.append(InkStroke(tuple(run), origin))
            run = []
        else:
            run.append((float(point[0]), float(point[1]), float(point[2])))
    if run:
        pieces.append(InkStroke(tuple(run), origin))
    return pieces


def _densify(points: np.ndarray) -> np.ndarray:
    """Insert points so that neighbours are at most ``ERASE_STEP`` apart."""
    if len(points) < 2:
        return points
    out = [points[:1]]
    for p, q in itertools.pairwise(points):
        steps = max(1, math.ceil(math.hypot(*(q[:2] - p[:2])) / ERASE_STEP))
        t = np.arange(1, steps + 1)[:, None] / steps
        out.append(p + t * (q - p))
    return np.concatenate(out)


def _erase_image(
    image: PlacedImage | None,
    start: tuple[float, float],
    end: tuple[float, float],
    r: float,
) -> PlacedImage | None:
    if image is None:
        return None
    x, y, w, h = image.rect
    rows, cols = image.ink.shape
    sx, sy = w / cols, h / rows
    ys, xs = np.mgrid[0:rows, 0:cols]
    centres = np.stack([x + (xs.ravel() + 0.5) * sx, y + (ys.ravel() + 0.5) * sy], 1)
    near = _segment_distance(centres, np.asarray(start, float), np.asarray(end, float))
    mask = (near <= r + max(sx, sy) / 2).reshape(rows, cols) & (image.ink > 0)
    if not mask.any():
        return image
    ink = image.ink.copy()
    ink[mask] = 0.0
    return PlacedImage(ink, image.rect)
