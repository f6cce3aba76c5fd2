"""Read a whole number: find the digits on a canvas or in an image, left to right.

Each digit is read exactly as a lone digit is: its strokes alone go through the same
MNIST recipe (``preprocess_drawing``) and the same predictor. A drawing or image holding
one digit is read through the very calls a single-digit reading makes, so it gets the
same 28x28 input and the same prediction, at the same cost.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from PIL import Image, ImageFilter

from digitpad.core.ink.drawing import DEFAULT_PEN_WIDTH, Drawing
from digitpad.core.models.inference import Prediction, Predictor
from digitpad.core.numbers.ink_components import label_components
from digitpad.core.numbers.retrace import retraced
from digitpad.core.numbers.segmentation import (
    MAX_PIECES,
    Piece,
    group_cut_pieces,
    group_pieces,
    stroke_pieces,
)
from digitpad.core.preprocess.mnist_input import (
    INK_THRESHOLD,
    DrawingStages,
    Preprocessed,
    ink_from_grey,
    load_grey,
    preprocess_drawing,
    preprocess_image,
)

UNSURE_BELOW = 0.6  # the app's "not sure" rule, per digit
SPECK_SHARE = 0.05  # a lone bit of ink this small next to the largest digit is dirt
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class ReadDigit:
    """One digit of a number: where it is, what the network saw and said."""

    strokes: tuple[int, ...]  # indices into the drawing's strokes; () for an image
    box: Box  # x0, y0, x1, y1 in canvas (or image) pixels, ink included
    preprocessed: Preprocessed  # .image: the 28x28 network input
    prediction: Prediction

    @property
    def digit(self) -> int:
        return self.prediction.digit

    @property
    def confidence(self) -> float:
        return self.prediction.confidence

    @property
    def probabilities(self) -> np.ndarray:
        return self.prediction.probabilities

    @property
    def is_unsure(self) -> bool:
        return self.confidence < UNSURE_BELOW


@dataclass(frozen=True)
class NumberReading:
    """The digits found, left to right; no digits means no ink."""

    digits: tuple[ReadDigit, ...]

    @property
    def number(self) -> str:
        return "".join(str(d.digit) for d in self.digits)

    @property
    def is_empty(self) -> bool:
        return not self.digits


class DigitCache:
    """The last few digits' network inputs, so reading live redoes only what changed.

    While a number is being written, each new stroke changes one digit; the others keep
    their strokes, so their 28x28 inputs (the costly part) are looked up, not rebuilt.
    An entry is the strokes, the 28x28 input and the 20 px box (about 5 KB); the
    canvas-sized stages are never kept here (see ``DrawingStages``): each reading gets
    its own unrendered copy, so the cache stays a few hundred KB however long the
    session.
    """

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._items: OrderedDict[tuple, Preprocessed] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    @property
    def nbytes(self) -> int:
        """Bytes of the images the cache keeps alive."""
        total = 0
        for entry in self._items.values():
            total += 0 if entry.image is None else entry.image.nbytes
            stages = entry.stages
            total += getattr(stages, "nbytes", 0) or sum(
                array.nbytes for array in stages.values()
            )
        return total

    def preprocess(self, drawing: Drawing, *, stages: bool) -> Preprocessed:
        d = drawing
        key = (d.strokes, d.width, d.height, d.pen_width, stages)
        found = self._items.get(key)
        if found is None:
            found = self._items[key] = preprocess_drawing(drawing, stages=stages)
            if len(self._items) > self._size:
                self._items.popitem(last=False)
        else:
            self._items.move_to_end(key)
        if isinstance(found.stages, DrawingStages):  # renders belong to the reading
            return replace(found, stages=found.stages.unrendered())
        return found


def digit_drawing(drawing: Drawing, strokes: tuple[int, ...]) -> Drawing:
    """The drawing with only the given strokes: one digit, on the same canvas."""
    kept = tuple(drawing.strokes[i] for i in strokes)
    digit = Drawing(drawing.width, drawing.height, kept, drawing.pen_width)
    # the parent's converted strokes serve the digit too (see Drawing.point_arrays)
    digit.__dict__["point_arrays"] = tuple(drawing.point_arrays[i] for i in strokes)
    paths = dict(zip(_inked(drawing), drawing.pen_paths, strict=True))
    digit.__dict__["pen_paths"] = tuple(paths[i] for i in strokes if i in paths)
    return digit


def _inked(drawing: Drawing) -> list[int]:
    """Indices of the strokes with points: those ``Drawing.pen_paths`` lists."""
    return [i for i, stroke in enumerate(drawing.point_arrays) if len(stroke)]


def group_strokes(drawing: Drawing) -> list[tuple[int, ...]]:
    """Stroke indices of each digit in the drawing, digits left to right.

    A stroke that retraces another's ink joins that stroke's digit (a 1 traced
    twice is not "11"), and strokes the eraser cut from one stay with its digit
    (``Drawing.stroke_origins``); only the others are grouped.
    """
    indices = _inked(drawing)
    points = [path.points for path in drawing.pen_paths]
    host = retraced(points, drawing.pen_width or DEFAULT_PEN_WIDTH)
    roots = [i for i, h in enumerate(host) if h == i]
    origins = drawing.stroke_origins
    root_origins = None if origins is None else [origins[indices[i]] for i in roots]
    pieces = stroke_pieces([points[i] for i in roots])
    groups = [[roots[i] for i in g] for g in group_cut_pieces(pieces, root_origins)]
    members = {root: [root] for root in roots}
    for index, root in enumerate(host):
        if root != index:
            members[root].append(index)
    return [
        tuple(sorted(indices[i] for root in g for i in members[root])) for g in groups
    ]


def read_drawing(
    drawing: Drawing,
    predictor: Predictor,
    *,
    stages: bool = False,
    cache: DigitCache | None = None,
) -> NumberReading:
    """Every digit of a drawing, left to right, each with all its activations.

    ``cache`` (one per canvas) spares re-preprocessing unchanged digits when reading
    live; the results are the same with or without it.
    """
    groups = group_strokes(drawing)
    prepare = cache.preprocess if cache is not None else preprocess_drawing
    if len(groups) == 1:  # the single-digit path, call for call
        prepared = [prepare(drawing, stages=stages)]
    else:
        prepared = [prepare(digit_drawing(drawing, g), stages=stages) for g in groups]
    radius = (drawing.pen_width or DEFAULT_PEN_WIDTH) / 2
    boxes = [_stroke_box(drawing, g, radius) for g in groups]
    return _read(predictor, groups, boxes, prepared)


def read_image(
    source: Any, predictor: Predictor, *, stages: bool = False
) -> NumberReading:
    """Every digit of an image (path, PIL image or array), split by connected ink."""
    grey = load_grey(source)
    ink = ink_from_grey(grey)
    if ink is None:
        return NumberReading(())
    labels, count = label_components(ink > INK_THRESHOLD)
    pieces, areas = _component_pieces(labels, count)
    groups = _group_components(pieces, areas)
    group_areas = [sum(areas[i] for i in g) for g in groups]
    groups = [
        g
        for g, area in zip(groups, group_areas, strict=True)
        if area >= SPECK_SHARE * max(group_areas)
    ]
    if len(groups) == 1:
        prepared = [preprocess_image(grey, stages=stages)]
    else:
        prepared = [
            preprocess_image(_group_ink(ink, labels, g), stages=stages) for g in groups
        ]
    boxes = [
        (
            min(pieces[i].x0 for i in g),
            min(pieces[i].y0 for i in g),
            max(pieces[i].x1 for i in g),
            max(pieces[i].y1 for i in g),
        )
        for g in groups
    ]
    return _read(predictor, [() for _ in groups], boxes, prepared)


def _group_components(pieces: list[Piece], areas: list[int]) -> list[list[int]]:
    """``group_pieces`` for an image's components. A scan or photo can hold
    thousands of specks: past ``MAX_PIECES``, those too small to be kept anyway
    (``SPECK_SHARE`` of the largest) are left out first."""
    kept = list(range(len(pieces)))
    if len(pieces) > MAX_PIECES:
        floor = SPECK_SHARE * max(areas)
        kept = [i for i in kept if areas[i] >= floor]
    groups = group_pieces([pieces[i] for i in kept])
    return [[kept[i] for i in group] for group in groups]


def _read(
    predictor: Predictor,
    strokes: list[tuple[int, ...]],
    boxes: list[Box],
    prepared: list[Preprocessed],
) -> NumberReading:
    keep = [i for i, p in enumerate(prepared) if p.image is not None]
    predictions = predictor.predict_many([prepared[i].image for i in keep])
    return NumberReading(
        tuple(
            ReadDigit(strokes[i], boxes[i], prepared[i], prediction)
            for i, prediction in zip(keep, predictions, strict=True)
        )
    )


def _stroke_box(drawing: Drawing, strokes: tuple[int, ...], radius: float) -> Box:
    points = np.concatenate([drawing.point_arrays[i] for i in strokes])
    (x0, y0), (x1, y1) = points.min(axis=0) - radius, points.max(axis=0) + radius
    return (
        float(max(0.0, x0)),
        float(max(0.0, y0)),
        float(min(drawing.width, x1)),
        float(min(drawing.height, y1)),
    )


def _component_pieces(labels: np.ndarray, count: int) -> tuple[list[Piece], list[int]]:
    """A piece per component (ranked left to right) and its ink area in pixels."""
    flat = labels.ravel()
    ys, xs = np.divmod(np.flatnonzero(flat), labels.shape[1])
    ids = flat[flat > 0]
    areas = np.bincount(ids, minlength=count + 1)
    x0 = np.full(count + 1, np.inf)
    y0 = np.full(count + 1, np.inf)
    x1 = np.full(count + 1, -np.inf)
    y1 = np.full(count + 1, -np.inf)
    np.minimum.at(x0, ids, xs)
    np.minimum.at(y0, ids, ys)
    np.maximum.at(x1, ids, xs + 1)
    np.maximum.at(y1, ids, ys + 1)
    pieces = [
        Piece(float(x0[c]), float(y0[c]), float(x1[c]), float(y1[c]))
        for c in range(1, count + 1)
    ]
    return pieces, [int(a) for a in areas[1:]]


def _group_ink(ink: np.ndarray, labels: np.ndarray, group: list[int]) -> np.ndarray:
    """One digit's ink alone (its antialiased rim kept), on a background border."""
    inside = np.isin(labels, np.asarray(group) + 1)
    mask = Image.fromarray(inside.astype(np.uint8) * 255)
    near = mask.filter(ImageFilter.MaxFilter(5))
    alone = ink * (np.asarray(near) > 0)
    return np.pad(alone, 1)
