"""Digits written as pen strokes, in the styles MNIST lacks, drawn as the canvas draws.

MNIST's American writers rarely flag their ones, cross their sevens or hook their
nines; many writers elsewhere do, and the shipped model read those as 7, 2 and 3.
Drawing the style into an MNIST image taught the network the added line rather than
the style (see ``styles``). Here a digit is written from scratch as pen trajectories,
one small function per digit and style, with the variation writers have (proportions,
loop sizes, flag length and angle, where strokes start and meet), then the writer's
slant, rotation and wobble (``stroke_augment.distort``), and is rendered through
``preprocess_drawing`` with the app's pen: exactly what a canvas drawing becomes.
Stroke order and direction change nothing in a static image, so what varies is where
strokes begin, end and cross. Every digit has plain styles too, so "drawn by the
generator" hints at a class only as far as the ones' extra share below.

The continental 1's up-stroke is long: on the development drawings the flags of ones
the model read right were 0.42-1.08 of the digit's height (10th-90th percentile), so
the flags here are 0.3-0.8 of it; flags of 0.2-0.55 (the image styles' range) left the
ones where they were (94.56 %), 0.3-0.8 took them to 96.37 % at the same rate. The
flag leans 35-70 degrees from the stem: the ones still read as 7 had flat flags, and
60 -> 70 degrees read 2 and 4 more development ones right at two seeds with the sevens
unchanged, while 75 degrees began to read sevens as ones (99.30 -> 98.59 %). Steep
flags (25-35 degrees) the network reads as ones anyway, so the generator spends its
flags nearer the line between a 1 and a 7. A 1's foot reaches out on each side on its
own, and a "curled" 1 bends right into its foot in one stroke (half of them flagged,
within 55 degrees: a flat flag on it makes a "Z"). The flatter flags, the feet and the
curled 1 read the development ones 96.07-97.28 % over four seeds (before, 96.07-96.98);
the ones they gained sat on the line and came and went with the seed. Ones are
therefore 1.5x as frequent as each other digit here (one generated digit in 7 rather
than one in 10): with that, 96.98-97.28 % at every seed and the sevens as before;
twice as frequent cost sevens (98.94 -> 98.59 %) and drawings (41-43 -> 45 errors).

A crossed zero's slash may stick out up to 0.6 of the height at each end, on its own,
and lean up to about 60 degrees: writers' bars reach that far, the ring is then a small
part of the digit, and the model trained on bars within 0.3 and 45 degrees misread 35 %
of such zeros (0.5-0.8 out) as 8, 4 or 1, while it read its own every time. The
longer bars read the development zeros 95.50 -> 97.0-97.3 % (four seeds); level bars
(a theta) as well cost eights.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np

from digitpad.core.ink.drawing import Drawing
from digitpad.core.preprocess.mnist_input import STROKE_WIDTH, preprocess_drawing
from digitpad.core.training.stroke_augment import StrokeAugmentConfig, distort

Strokes = list[np.ndarray]  # (N, 2) points, x right, y down, digit height about 1
CANVAS = 400.0  # the development drawings' canvas; the digit fills ~60 % of it
FLAG_LENGTH = (0.3, 0.8)  # of the digit's height: the continental 1's long up-stroke
FLAG_DEGREES = (35.0, 70.0)  # from the stem; flatter is a seven's top bar
ONES_WEIGHT = 1.5  # a generated digit is a 1 this many times as often as each other
WRITER = StrokeAugmentConfig(rotation_degrees=8.0, shear=0.3, aspect=0.12, wobble=0.02)


def _bezier(*control: tuple[float, float], n: int = 24) -> np.ndarray:
    """A cubic (or any-degree) Bezier curve through de Casteljau's blend."""
    t = np.linspace(0.0, 1.0, n)[:, None]
    points = [np.asarray(c, dtype=np.float64) for c in control]
    while len(points) > 1:
        points = [a * (1 - t) + b * t for a, b in itertools.pairwise(points)]
    return points[0]


def _arc(
    centre: tuple[float, float], radii: tuple[float, float], start: float, end: float
) -> np.ndarray:
    """An elliptic arc from ``start`` to ``end`` degrees (0 = right, 90 = down)."""
    t = np.radians(np.linspace(start, end, max(8, int(abs(end - start) / 8))))
    return np.stack(
        [centre[0] + radii[0] * np.cos(t), centre[1] + radii[1] * np.sin(t)], 1
    )


def _line(*points: tuple[float, float]) -> np.ndarray:
    return np.concatenate([_bezier(a, b, n=8) for a, b in itertools.pairwise(points)])


def _join(*pieces: np.ndarray) -> np.ndarray:
    return np.concatenate(pieces)


# ------------------------------------------------------------------ the digits
# each takes the generator ``u(a, b)`` (uniform) and returns the strokes


def _zero(u: Callable[[float, float], float], crossed: bool) -> Strokes:
    w = u(0.28, 0.42)
    start = u(-120, -60)
    ring = _arc((0.0, 0.5), (w, 0.5), start, start - 360 - u(0, 30))
    if not crossed:
        return [ring]
    # a slash, from upright to leaning far, through or beside the centre; each end
    # sticks out on its own, so the ring may be a small part of the digit's height
    below, above = u(0.08, 0.6), u(0.08, 0.6)
    slope, centre = 2 * u(0.0, 2.5) * w, u(-0.3, 0.3) * w
    return [
        ring,
        _line(
            (centre - slope * (0.5 + below), 1 + below),
            (centre + slope * (0.5 + above), -above),
        ),
    ]


def _flag(length: float, degrees: float, bow: float) -> np.ndarray:
    """A one's up-stroke from its lower-left start to the top of the stem (0, 0),
    ``degrees`` from the stem, its middle pushed ``bow`` up-right (or down-left)."""
    angle = np.radians(degrees)
    start = (-length * np.sin(angle), length * np.cos(angle))
    middle = (start[0] / 2 + bow, start[1] / 2 - bow)
    return _bezier(start, middle, (0.0, 0.0), n=10)


def _one(u: Callable[[float, float], float], flag: bool, foot: bool) -> Strokes:
    stem = _line((0.0, 0.0), (u(-0.04, 0.04), 1.0))
    strokes = [stem]
    if flag:
        flag_stroke = _flag(u(*FLAG_LENGTH), u(*FLAG_DEGREES), u(-0.04, 0.04))
        strokes = [_join(flag_stroke, stem)]
    if foot:  # each side on its own, the foot a little off level
        left, right, tilt = u(0.08, 0.3), u(0.1, 0.35), u(-0.04, 0.04)
        strokes.append(_line((-left, 1.0 - tilt), (right, 1.0 + tilt)))
    return strokes


def _curled_one(u: Callable[[float, float], float]) -> Strokes:
    """A 1 whose stem bends right into a short foot, in one stroke; half of them
    flagged, steeper than ``_one``'s flags (with a flat flag it would be a "Z")."""
    bottom, lean, reach = u(0.8, 0.92), u(-0.04, 0.04), u(0.08, 0.2)
    stem = _join(
        _line((0.0, 0.0), (lean * bottom, bottom)),
        _bezier((lean * bottom, bottom), (lean, 1.0), (reach, 1.0 - u(0.0, 0.1)), n=10),
    )
    if u(0, 1) < 0.5:
        return [stem]
    return [_join(_flag(u(0.3, 0.7), u(25, 55), bow=0.0), stem)]


def _two(u: Callable[[float, float], float], loop: bool) -> Strokes:
    w = u(0.55, 0.8)
    top = _bezier((0.05, u(0.15, 0.35)), (0.1, -0.08), (w, -0.1), (w * 0.9, 0.35))
    corner = (u(0.0, 0.08), 1.0)
    if loop:
        down = _bezier(top[-1], (w * 0.5, 0.7), corner, (0.25, 0.85), (0.2, 1.0))
        tail = _line(tuple(down[-1]), (w, u(0.95, 1.02)))
    else:
        down = _line(tuple(top[-1]), corner)
        tail = _line(corner, (w, u(0.95, 1.02)))
    return [_join(top, down, tail)]


def _three(u: Callable[[float, float], float], flat: bool) -> Strokes:
    w, mid = u(0.5, 0.7), u(0.42, 0.52)
    waist = (u(0.15, 0.35), mid)
    if flat:
        upper = _line((0.0, 0.0), (w, 0.0), waist)
    else:
        upper = _bezier((0.0, 0.12), (w * 0.6, -0.12), (w * 1.1, mid * 0.7), waist)
    lower = _bezier(waist, (w * 1.3, mid), (w * 1.1, 1.08), (-0.02, u(0.8, 0.92)))
    return [_join(upper, lower)]


def _four(u: Callable[[float, float], float], closed: bool) -> Strokes:
    bar_y, stem_x, w = u(0.55, 0.7), u(0.5, 0.65), u(0.75, 0.95)
    stem_top = 0.0 if closed else u(0.15, 0.4)
    bend = (0.0, bar_y)
    if closed:
        arm = _line((stem_x, 0.0), bend, (w, bar_y))
    else:
        arm = _line((u(0.1, 0.4), 0.0), bend, (w, bar_y))
    return [arm, _line((stem_x, stem_top), (stem_x + u(-0.05, 0.05), 1.0))]


def _five(u: Callable[[float, float], float]) -> Strokes:
    neck = (u(0.05, 0.15), u(0.38, 0.5))
    bowl = _bezier(neck, (0.9, neck[1] - 0.2), (0.95, 1.1), (0.0, u(0.85, 0.95)))
    stem_bowl = _join(_line((u(0.1, 0.2), 0.0), neck), bowl)
    bar = _line((u(0.08, 0.2), u(-0.02, 0.02)), (u(0.6, 0.8), u(-0.04, 0.02)))
    return [stem_bowl, bar]


def _six(u: Callable[[float, float], float]) -> Strokes:
    r, cy = u(0.22, 0.3), u(0.68, 0.74)
    down = _bezier((u(0.45, 0.7), 0.0), (0.15, 0.1), (-r, 0.45), (-r, cy))
    loop = _arc((0.0, cy), (r, 1 - cy), 180, 180 - 360 + u(20, 60))
    return [_join(down, loop)]


def _seven(
    u: Callable[[float, float], float], crossed: bool, curved_top: bool
) -> Strokes:
    w, foot = u(0.55, 0.8), (u(0.1, 0.35), 1.0)
    if curved_top:  # a small upward tick and a bar that waves before the corner
        bar = _bezier((0.0, u(0.08, 0.18)), (w * 0.3, -0.12), (w * 0.6, 0.1), (w, 0.0))
    else:
        bar = _line((0.0, u(-0.03, 0.03)), (w, 0.0))
    bow = u(-0.1, 0.1)
    stem = _bezier((w, 0.0), ((w + foot[0]) / 2 + bow, 0.5), foot)
    strokes = [_join(bar, stem)]
    if crossed:
        y = u(0.4, 0.6)
        x = w + (foot[0] - w) * y + bow / 2
        half = u(0.15, 0.3)
        strokes.append(
            _line((x - half, y), (x + half * u(0.7, 1.3), y + u(-0.04, 0.04)))
        )
    return strokes


def _eight(u: Callable[[float, float], float]) -> Strokes:
    t = np.linspace(0, 2 * np.pi, 60) + u(-0.4, 0.4)
    waist = u(0.4, 0.5)
    y = (1 - np.cos(t)) / 2  # 0 at the top, 1 at the bottom
    y = np.where(y < 0.5, y * 2 * waist, waist + (y - 0.5) * 2 * (1 - waist))
    width = np.where(y < waist, u(0.22, 0.32), u(0.28, 0.38))
    return [np.stack([width * np.sin(t) * np.cos(t) * 2, y], 1)]


def _nine(u: Callable[[float, float], float], hooked: bool) -> Strokes:
    r = u(0.2, 0.3)
    ry = u(0.13, 0.2) if hooked else u(0.18, 0.26)
    start = u(-20, 20)
    loop = _arc((0.0, ry), (r, ry), start, start - 360 - u(0, 20))
    right = (r, ry)
    if hooked:  # a small loop on a long tail curving left, like a "g"
        end = (u(-0.5, -0.15), u(0.8, 0.95))
        tail = _bezier(right, (r * 1.1, 0.7), (r * 0.8, 1.08), end)
    else:
        tail = _bezier(right, (r + u(-0.05, 0.05), 0.6), (r * u(0.6, 1.0), 1.0))
    return [_join(loop, tail)]


STYLES: dict[str, tuple[int, Callable[[Callable[[float, float], float]], Strokes]]] = {
    "plain 0": (0, lambda u: _zero(u, crossed=False)),
    "crossed 0": (0, lambda u: _zero(u, crossed=True)),
    "plain 1": (1, lambda u: _one(u, flag=False, foot=False)),
    "flagged 1": (1, lambda u: _one(u, flag=True, foot=False)),
    "flagged 1 with a foot": (1, lambda u: _one(u, flag=True, foot=True)),
    "curled 1": (1, _curled_one),
    "plain 2": (2, lambda u: _two(u, loop=False)),
    "looped 2": (2, lambda u: _two(u, loop=True)),
    "round 3": (3, lambda u: _three(u, flat=False)),
    "flat-topped 3": (3, lambda u: _three(u, flat=True)),
    "open 4": (4, lambda u: _four(u, closed=False)),
    "closed 4": (4, lambda u: _four(u, closed=True)),
    "5": (5, _five),
    "6": (6, _six),
    "plain 7": (7, lambda u: _seven(u, crossed=False, curved_top=False)),
    "crossed 7": (7, lambda u: _seven(u, crossed=True, curved_top=False)),
    "crossed 7, curved top": (7, lambda u: _seven(u, crossed=True, curved_top=True)),
    "8": (8, _eight),
    "plain 9": (9, lambda u: _nine(u, hooked=False)),
    "hooked 9": (9, lambda u: _nine(u, hooked=True)),
}


def styles_of(digit: int) -> list[str]:
    return [name for name, (d, _) in STYLES.items() if d == digit]


def uniform(rng: np.random.Generator) -> Callable[[float, float], float]:
    """The digit functions' ``u(a, b)``: one uniform draw from ``rng`` per call."""
    return lambda a, b: float(rng.uniform(a, b))


def draw_digit(style: str, rng: np.random.Generator) -> Drawing:
    """One digit of ``style`` as a canvas drawing, in a random writer's hand."""
    return place_strokes(STYLES[style][1](uniform(rng)), rng)


def place_strokes(
    strokes: Strokes, rng: np.random.Generator, writer: bool = True
) -> Drawing:
    """A digit's strokes (about 1 high) on the canvas at a random height; with
    ``writer``, a shaky pen in a random writer's hand (slant, rotation, wobble)."""
    height = CANVAS * rng.uniform(0.45, 0.7)
    if writer:
        strokes = [s + rng.normal(0, 0.004, s.shape) for s in strokes]
    points = [
        tuple(map(tuple, (s * height + CANVAS / 2 - height / 2).tolist()))
        for s in strokes
    ]
    drawing = Drawing(CANVAS, CANVAS, tuple(points))
    return distort(drawing, rng, WRITER) if writer else drawing


def stroke_digit_images(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``count`` generated digits as uint8 (N, 28, 28) network inputs and labels.

    Each digit's styles share it equally, so a style that MNIST lacks is as common
    here as the plain way of writing that digit. Ones are ``ONES_WEIGHT`` times as
    frequent as each other digit (see the module docstring); the rest are equal.
    """
    rng = np.random.default_rng((seed, 1))  # not the stream ``styles`` draws from
    images = np.zeros((count, 28, 28), np.uint8)
    weights = np.ones(10)
    weights[1] = ONES_WEIGHT
    labels = rng.choice(10, count, p=weights / weights.sum()).astype(np.uint8)
    for i, digit in enumerate(labels):
        style = rng.choice(styles_of(int(digit)))
        width = STROKE_WIDTH * rng.uniform(0.85, 1.2)
        image = preprocess_drawing(
            draw_digit(str(style), rng), stroke_width=width
        ).image
        images[i] = np.clip(np.rint(image * 255), 0, 255)
    return images, labels
