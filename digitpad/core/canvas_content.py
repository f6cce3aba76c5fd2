"""What the canvas holds, as plain data: ink strokes, an optional image, undo history.

Kept free of Qt so the rules that matter to a user (what the eraser removes, what undo
brings back, what is saved) are plain functions with plain tests. Each stroke point
carries its own width so a pressure-sensitive pen is drawn as the user drew it; the
``Drawing`` handed to the core keeps only the path, which is all preprocessing uses.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from digitpad.core.drawing import DEFAULT_PEN_WIDTH, Drawing

InkPoint = tuple[float, float, float]  # x, y, pen width at that point
ERASE_STEP = 1.0  # px between points when a touched stroke is cut by the eraser


@dataclass(frozen=True)
class InkStroke:
    points: tuple[InkPoint, ...]

    @property
    def path(self) -> tuple[tuple[float, float], ...]:
        return tuple((x, y) for x, y, _ in self.points)


@dataclass(frozen=True)
class PlacedImage:
    """An opened image's ink (0..1, 1 = ink) shown in ``rect`` (x, y, w, h)."""

    ink: np.ndarray = field(compare=False)
    rect: tuple[float, float, float, float]


@dataclass(frozen=True)
class CanvasContent:
    """One undoable state of the canvas."""

    strokes: tuple[InkStroke, ...] = ()
    image: PlacedImage | None = None

    @property
    def is_empty(self) -> bool:
        return not self.strokes and self.image is None

    def drawing(self, width: float, height: float) -> Drawing:
        """The core's view of the strokes: paths plus one representative pen width."""
        widths = [w for stroke in self.strokes for _, _, w in stroke.points]
        pen = float(np.mean(widths)) if widths else None
        return Drawing(width, height, tuple(s.path for s in self.strokes), pen)


def fit_transform(
    old: tuple[float, float], new: tuple[float, float]
) -> tuple[float, float, float]:
    """(scale, dx, dy) that maps an ``old``-sized canvas into a ``new`` one, centred.

    Uniform, so a digit keeps its proportions; the whole old canvas stays in view.
    """
    return fit_rect((0.0, 0.0, old[0], old[1]), new)


Rect = tuple[float, float, float, float]  # x, y, width, height


def fit_rect(rect: Rect, size: tuple[float, float]) -> tuple[float, float, float]:
    """(scale, dx, dy) that shows ``rect`` as large as fits in ``size``, centred."""
    x, y, w, h = rect
    scale = min(size[0] / w, size[1] / h)
    return (
        scale,
        (size[0] - w * scale) / 2 - x * scale,
        (size[1] - h * scale) / 2 - y * scale,
    )


def ink_bounds(states: list[CanvasContent]) -> tuple[float, float, float, float] | None:
    """(x0, y0, x1, y1) around every stroke (with its pen) and image in ``states``."""
    xs: list[float] = []
    ys: list[float] = []
    seen: set[int] = set()
    for content in states:
        for stroke in content.strokes:
            if id(stroke) not in seen:
                seen.add(id(stroke))
                for x, y, w in stroke.points:
                    xs.extend((x - w / 2, x + w / 2))
                    ys.extend((y - w / 2, y + w / 2))
        if content.image is not None:
            x, y, w, h = content.image.rect
            xs.extend((x, x + w))
            ys.extend((y, y + h))
    if not xs:
        return None
    return min(xs), min(ys), max(xs), max(ys)


def transform_content(
    content: CanvasContent,
    scale: float,
    dx: float,
    dy: float,
    memo: dict[int, Any] | None = None,
) -> CanvasContent:
    """``content`` scaled by ``scale`` then moved by (dx, dy); pen widths scale too.

    ``memo`` shares the result for strokes and images that several undo states hold.
    """
    memo = {} if memo is None else memo

    def stroke(s: InkStroke) -> InkStroke:
        if id(s) not in memo:
            memo[id(s)] = (
                s,
                InkStroke(
                    tuple(
                        (x * scale + dx, y * scale + dy, w * scale)
                        for x, y, w in s.points
                    )
                ),
            )
        return memo[id(s)][1]

    image = content.image
    if image is not None:
        if id(image) not in memo:
            x, y, w, h = image.rect
            rect = (x * scale + dx, y * scale + dy, w * scale, h * scale)
            memo[id(image)] = (image, PlacedImage(image.ink, rect))
        image = memo[id(image)][1]
    return CanvasContent(tuple(stroke(s) for s in content.strokes), image)


def strokes_from_drawing(drawing: Drawing) -> tuple[InkStroke, ...]:
    """Strokes of a loaded drawing, with per-point widths if the file kept them."""
    pen = drawing.pen_width or DEFAULT_PEN_WIDTH
    widths = drawing.extra.get("point_widths")
    strokes = []
    for index, path in enumerate(drawing.strokes):
        per_point = _stroke_widths(widths, index, len(path))
        strokes.append(
            InkStroke(
                tuple(
                    (x, y, per_point[i] if per_point else pen)
                    for i, (x, y) in enumerate(path)
                )
            )
        )
    return tuple(strokes)


def drawing_json(content: CanvasContent, width: float, height: float) -> dict[str, Any]:
    """The drawing file for ``content``: the core format plus per-point pen widths."""
    data = content.drawing(width, height).to_json_dict()
    widths = [[w for _, _, w in s.points] for s in content.strokes]
    if len({w for stroke in widths for w in stroke}) > 1:
        data["point_widths"] = widths
    return data


def _stroke_widths(widths: Any, index: int, count: int) -> list[float] | None:
    if not isinstance(widths, list) or index >= len(widths):
        return None
    row = widths[index]
    if not isinstance(row, list) or len(row) != count:
        return None
    if not all(isinstance(w, int | float) and 0 < w < 1000 for w in row):
        return None
    return [float(w) for w in row]


# ---------------------------------------------------------------- eraser


def erase(
    content: CanvasContent,
    start: tuple[float, float],
    end: tuple[float, float],
    radius: float,
) -> CanvasContent:
    """Remove every bit of ink the eraser disc touches moving from ``start`` to ``end``.

    A touched stroke is resampled finely and split where the eraser passed, dropping
    points whose pen disc overlaps the eraser, so the strokes re-rendered afterwards
    show exactly what the user sees: nothing under the eraser's path.
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
    for point, erased in zip(dense, hit, strict=True):
        if erased:
            if run:
                pieces.append(InkStroke(tuple(run)))
            run = []
        else:
            run.append((float(point[0]), float(point[1]), float(point[2])))
    if run:
        pieces.append(InkStroke(tuple(run)))
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


# ---------------------------------------------------------------- history


class History:
    """Undo/redo over immutable canvas states (snapshots share their strokes)."""

    def __init__(self, limit: int = 500) -> None:
        self._states: list[CanvasContent] = [CanvasContent()]
        self._index = 0
        self._limit = limit

    @property
    def current(self) -> CanvasContent:
        return self._states[self._index]

    @property
    def can_undo(self) -> bool:
        return self._index > 0

    @property
    def can_redo(self) -> bool:
        return self._index < len(self._states) - 1

    def push(self, content: CanvasContent) -> None:
        """Record a new state; anything that was undone is forgotten."""
        if content == self.current and content.image is self.current.image:
            return
        del self._states[self._index + 1 :]
        self._states.append(content)
        if len(self._states) > self._limit:
            del self._states[0]
        self._index = len(self._states) - 1

    def undo(self) -> CanvasContent:
        if self.can_undo:
            self._index -= 1
        return self.current

    def redo(self) -> CanvasContent:
        if self.can_redo:
            self._index += 1
        return self.current

    @property
    def states(self) -> list[CanvasContent]:
        """Every state, undone ones included."""
        return list(self._states)

    def transform(self, scale: float, dx: float, dy: float) -> None:
        """Move every state, undone ones included, so undo stays where the ink is."""
        memo: dict[int, Any] = {}  # keeps the originals alive, so ids stay unique
        self._states = [transform_content(c, scale, dx, dy, memo) for c in self._states]
