"""Handwriting conventions MNIST lacks, synthesised from MNIST digits themselves.

MNIST was written by American census staff and students. Many writers elsewhere cross
their zeros (a slash or a vertical bar through the ring, as programmers and Scandinavian
writers do, often on a narrow ring the bar sticks out of), start their ones with a long
up-stroke (the continental European "1", sometimes with a foot) and cross their sevens.
A network that never saw these reads a crossed zero as 8, 4 or 9 and a flagged one as 7.
Here, copies of MNIST zeros get a stroke through them, copies of ones a flag and copies
of sevens a bar; the copies are re-normalised the MNIST way (crop, 20 px box, centre of
mass) so they look like any other training digit. Each variation is drawn from a range
wide enough to cover the convention, not fitted to any one writer.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from digitpad.core.preprocess import preprocess_image

SCALE = 4  # draw added strokes supersampled, then average down: antialiased like MNIST
PEN = 2.2  # pen width of added strokes, in 28-px units (MNIST-like)


def add_handwriting_styles(
    x: np.ndarray, y: np.ndarray, fraction: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Append crossed-zero, flagged-one and crossed-seven variants of MNIST digits.

    ``fraction`` of the 0s and 1s and half as many of the 7s (a rarer convention) get a
    copy. ``x`` is uint8 (N, 28, 28); returns the enlarged arrays (originals first).
    """
    if fraction <= 0:
        return x, y
    rng = np.random.default_rng(seed)
    extra_x, extra_y = [], []
    styles = ((0, _crossed_zero, 1.0), (1, _flagged_one, 1.0), (7, _crossed_seven, 0.5))
    for digit, make, share in styles:
        index = np.flatnonzero(y == digit)
        size = int(len(index) * fraction * share)
        chosen = rng.choice(index, size=size, replace=False)
        for i in chosen:
            image = make(x[i], rng)
            if image is not None:
                extra_x.append(image)
                extra_y.append(digit)
    if not extra_x:
        return x, y
    return (
        np.concatenate([x, np.stack(extra_x)]),
        np.concatenate([y, np.asarray(extra_y, dtype=y.dtype)]),
    )


def _ink_box(image: np.ndarray) -> tuple[int, int, int, int] | None:
    rows = np.flatnonzero(image.max(axis=1) > 64)
    cols = np.flatnonzero(image.max(axis=0) > 64)
    if rows.size == 0:
        return None
    return int(rows[0]), int(rows[-1]), int(cols[0]), int(cols[-1])


Point = tuple[float, float]


def _with_line(image: np.ndarray, *lines: tuple[Point, Point]) -> np.ndarray:
    """Draw antialiased pen lines ((x, y) to (x, y)) into a 28x28 image (max-blend).

    The result has a 4 px margin on every side (36x36): lines may leave the 28x28 field.
    """
    size = 28 * SCALE + 2 * SCALE * 4
    pad = SCALE * 4
    canvas = Image.new("L", (size, size), 0)
    width = round(PEN * SCALE)
    pen = ImageDraw.Draw(canvas)
    r = width / 2
    for line_ends in lines:
        points = [
            ((px + 0.5) * SCALE + pad, (py + 0.5) * SCALE + pad) for px, py in line_ends
        ]
        pen.line(points, fill=255, width=width)
        for px, py in points:
            pen.ellipse((px - r, py - r, px + r, py + r), fill=255)
    line = np.asarray(canvas, dtype=np.float32).reshape(size // SCALE, SCALE, -1, SCALE)
    line = line.mean(axis=(1, 3))
    big = np.zeros_like(line)
    big[4:32, 4:32] = image
    return np.maximum(big, line)


def _renormalise(image: np.ndarray) -> np.ndarray | None:
    result = preprocess_image(image.astype(np.float32) / 255.0).image
    return None if result is None else np.clip(result * 255, 0, 255).astype(np.uint8)


def _crossed_zero(image: np.ndarray, rng: np.random.Generator) -> np.ndarray | None:
    """A slash (lower left to upper right) or a near-vertical bar through the ring.

    Half of the rings are first narrowed (people who cross zeros often write them
    narrow, so the bar sticks out above and below like a phi).
    """
    box = _ink_box(image)
    if box is not None and rng.random() < 0.5:
        top, bottom, left, right = box
        aspect = (right - left + 1) / (bottom - top + 1)
        image = _narrowed(image, min(1.0, rng.uniform(0.45, 0.75) / aspect))
        box = _ink_box(image)
    if box is None:
        return None
    top, bottom, left, right = box
    cx, cy = (left + right) / 2, (top + bottom) / 2
    half_h = (bottom - top) / 2 * rng.uniform(1.0, 1.45)
    lean = (
        rng.uniform(0.0, 1.0) * (right - left) / 2
    )  # 0: vertical bar, 1: corner slash
    start = (cx - lean, cy + half_h)
    end = (cx + lean, cy - half_h)
    return _renormalise(_with_line(image, (start, end)))


def _flagged_one(image: np.ndarray, rng: np.random.Generator) -> np.ndarray | None:
    """A long up-stroke from the top of the one, down and to the left; some get a foot.

    The flag reaches from a quarter to 65% of the height and leans 30-68 degrees from
    the vertical: long, low flags are what make a one look like a seven.
    """
    box = _ink_box(image)
    if box is None:
        return None
    top, bottom, _, _ = box
    x_top = float(np.flatnonzero(image[top] > 64).mean())
    length = (bottom - top) * rng.uniform(0.25, 0.65)
    angle = np.radians(rng.uniform(30, 68))  # from the vertical
    start = (x_top, float(top))
    end = (x_top - length * np.sin(angle), top + length * np.cos(angle))
    lines = [(start, end)]
    if rng.random() < 0.25:  # a foot: a short bar across the bottom of the stem
        x_bottom = float(np.flatnonzero(image[bottom] > 64).mean())
        half = (bottom - top) * rng.uniform(0.15, 0.3)
        tilt = rng.uniform(-1.0, 1.0)
        lines.append(
            ((x_bottom - half, bottom - tilt), (x_bottom + half, bottom + tilt))
        )
    return _renormalise(_with_line(image, *lines))


def _crossed_seven(image: np.ndarray, rng: np.random.Generator) -> np.ndarray | None:
    """A short bar across the seven's stem, a little below the middle of its height."""
    box = _ink_box(image)
    if box is None:
        return None
    top, bottom, left, right = box
    row = round(top + (bottom - top) * rng.uniform(0.45, 0.62))
    cols = np.flatnonzero(image[row] > 64)
    if cols.size == 0:
        return None
    x_stem = float(cols.mean())
    half = max(right - left, (bottom - top) * 0.5) * rng.uniform(0.2, 0.35)
    tilt = rng.uniform(-1.5, 1.0)
    start = (x_stem - half * rng.uniform(0.8, 1.2), row - tilt)
    end = (x_stem + half * rng.uniform(0.8, 1.2), row + tilt)
    return _renormalise(_with_line(image, (start, end)))


def _narrowed(image: np.ndarray, factor: float) -> np.ndarray:
    """The image squeezed horizontally about its centre (``factor`` < 1)."""
    width = max(1, round(28 * factor))
    squeezed = np.asarray(
        Image.fromarray(image).resize((width, 28), Image.Resampling.BILINEAR)
    )
    result = np.zeros_like(image)
    offset = (28 - width) // 2
    result[:, offset : offset + width] = squeezed
    return result
