"""The volume diagram's geometry: the classic LeNet picture of a network, as numbers.

Each volume the network computes is a box: maps are drawn as a square face as tall as
the maps are wide (28x28 tall, 1x1 small) and as deep as they have channels, so a
network shrinks and deepens from left to right; a flat vector is a thin bar as tall
as it has units. Layers that keep their input's shape (batch norm, ReLU, dropout) add
no box of their own. Pure Python, so the designer can lay the picture out on each
keystroke and a test can check it without Qt; the GUI only scales and paints.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from digitpad.core.networks.shapes import INPUT_SHAPE, Analysis, Shape

MIN_FACE = 0.12  # a 1x1 map still shows as a small square (of the tallest box, 1.0)
MIN_DEPTH = 0.03
MAX_DEPTH = 0.45  # the depth of 1,024 channels
BAR_WIDTH = 0.04
GAP = 0.22  # space between boxes, for the arrow and the labels


@dataclass(frozen=True)
class Volume:
    """One box: ``x`` is its left edge, ``face`` its height (and width for maps),
    ``depth`` how deep it is drawn; units are the tallest face (1.0)."""

    name: str
    shape: Shape
    x: float
    face: float
    depth: float
    flat: bool
    added: bool = False  # DigitPad's own (the input, an added Flatten, the softmax)

    @property
    def label(self) -> str:
        return "x".join(str(d) for d in self.shape)

    @property
    def right(self) -> float:
        return self.x + (BAR_WIDTH if self.flat else self.face) + self.depth


@dataclass(frozen=True)
class Diagram:
    volumes: tuple[Volume, ...]
    width: float  # from the first box's left edge to the last one's right

    @property
    def height(self) -> float:
        return max((v.face + v.depth for v in self.volumes), default=0.0)


def diagram(analysis: Analysis) -> Diagram:
    """The boxes of ``analysis`` from the input to the softmax, laid out in a row."""
    steps: list[tuple[str, Shape, bool]] = [("image", INPUT_SHAPE, True)]
    for row in analysis.rows:
        if row.output_shape != steps[-1][1] or row is analysis.rows[-1]:
            steps.append((row.name, row.output_shape, row.added))
    widest_map = max((s[1][0] for s in steps if len(s[1]) == 3), default=1)
    longest = max((s[1][0] for s in steps if len(s[1]) == 1), default=1)
    volumes = []
    x = 0.0
    for name, shape, added in steps:
        if len(shape) == 3:
            face = MIN_FACE + (1 - MIN_FACE) * shape[0] / max(widest_map, 1)
            volume = Volume(name, shape, x, face, _depth(shape[2]), False, added)
        else:
            volume = Volume(name, shape, x, _bar(shape[0], longest), 0.0, True, added)
        volumes.append(volume)
        x = volume.right + GAP
    return Diagram(tuple(volumes), volumes[-1].right if volumes else 0.0)


def _depth(channels: int) -> float:
    """Deeper with more channels, on a log scale so 1 and 1,024 both fit."""
    return MIN_DEPTH + (MAX_DEPTH - MIN_DEPTH) * min(1.0, math.log2(channels) / 10)


def _bar(units: int, longest: int) -> float:
    return MIN_FACE + (1 - MIN_FACE) * math.log1p(units) / math.log1p(max(longest, 1))
