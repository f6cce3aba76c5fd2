"""Handwriting conventions MNIST lacks, synthesised from MNIST digits themselves.

MNIST was written by American census staff and students. Many writers elsewhere cross
their zeros (a slash or a vertical bar through the ring, as programmers and Scandinavian
writers do; the bar usually sticks out above and below) and start their ones with a long
up-stroke (the continental European "1"). A network that never saw these reads a crossed
zero as 8 and a flagged one as 7. Here, a copy of every MNIST zero gets a stroke
through it and a copy of every one gets a flag; the copies are re-normalised the MNIST
way (crop, 20 px box, centre of mass) so they look like any other training digit.

The flag stays within 60 degrees of the vertical. Flatter, it is the top bar of a seven,
and MNIST's sevens say so: the model trained with flags up to 70 degrees read its own
synthetic flagged ones at 60-70 degrees as ones only 60-85 % of the time (30-60 degrees:
97-100 %), so those copies taught it contradictions rather than a style. Crossed sevens
were tried the same way and dropped: they cost more ones (read as 7 or 4) than they won.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from digitpad.core.preprocess.mnist_input import preprocess_image

SCALE = 4  # draw added strokes supersampled, then average down: antialiased like MNIST
PEN = 2.2  # pen width of added strokes, in 28-px units (MNIST-like)
MAX_FLAG_DEGREES = 60  # a flatter flag is a seven's top bar (see the module docstring)


def add_handwriting_styles(
    x: np.ndarray, y: np.ndarray, fraction: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Append crossed-zero and flagged-one variants of ``fraction`` of the 0s and 1s.

    ``x`` is uint8 (N, 28, 28); returns the enlarged arrays (originals first).
    """
    if fraction <= 0:
        return x, y
    rng = np.random.default_rng(seed)
    extra_x, extra_y = [], []
    for digit, make in ((0, _crossed_zero), (1, _flagged_one)):
        index = np.flatnonzero(y == digit)
        chosen = rng.choice(index, size=int(len(index) * fraction), replace=False)
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


def _with_line(
    image: np.ndarray, start: tuple[float, float], end: tuple[float, float]
) -> np.ndarray:
    """Draw an antialiased pen line (x, y points) into a 28x28 image (max-blend)."""
    size = 28 * SCALE + 2 * SCALE * 4  # margin: lines may leave the 28x28 field
    pad = SCALE * 4
    canvas = Image.new("L", (size, size), 0)
    width = round(PEN * SCALE)
    points = [
        ((px + 0.5) * SCALE + pad, (py + 0.5) * SCALE + pad) for px, py in (start, end)
    ]
    pen = ImageDraw.Draw(canvas)
    pen.line(points, fill=255, width=width)
    r = width / 2
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
    """A slash (lower left to upper right) or a near-vertical bar through the ring."""
    box = _ink_box(image)
    if box is None:
        return None
    top, bottom, left, right = box
    cx, cy = (left + right) / 2, (top + bottom) / 2
    half_h = (bottom - top) / 2 * rng.uniform(1.1, 1.6)  # the bar sticks out
    lean = (
        rng.uniform(0.0, 1.0) * (right - left) / 2
    )  # 0: vertical bar, 1: corner slash
    start = (cx - lean, cy + half_h)
    end = (cx + lean, cy - half_h)
    return _renormalise(_with_line(image, start, end))


def _flagged_one(image: np.ndarray, rng: np.random.Generator) -> np.ndarray | None:
    """A long up-stroke from the top of the one, down and to the left."""
    box = _ink_box(image)
    if box is None:
        return None
    top, bottom, _, _ = box
    top_cols = np.flatnonzero(image[top] > 64)
    x_top = float(top_cols.mean())
    length = (bottom - top) * rng.uniform(0.25, 0.6)
    angle = np.radians(rng.uniform(30, MAX_FLAG_DEGREES))  # from the vertical
    start = (x_top, float(top))
    end = (x_top - length * np.sin(angle), top + length * np.cos(angle))
    return _renormalise(_with_line(image, start, end))
