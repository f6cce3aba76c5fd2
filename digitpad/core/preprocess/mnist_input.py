"""Strokes or an image -> the 28x28 float32 image MNIST-trained networks expect.

The recipe is MNIST's own: crop to the ink, scale the longer side to 20 px keeping the
aspect ratio, antialias, and place it in 28x28 with its centre of mass at the centre.
What makes drawn digits readable is stroke thickness: MNIST strokes are about 2 px wide
after normalisation, whatever size the writer wrote at. A drawing is therefore
re-rendered from its vector path at the target scale with an MNIST-like pen, so neither
the digit's size on the canvas nor the pen width matter; an image is thinned or
thickened towards the same width. Every stage is returned for the GUI to show.
"""

from __future__ import annotations

import math
import threading
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError

from digitpad.core.bounded_io import RefusedFile, open_bytes
from digitpad.core.errors import InputError
from digitpad.core.ink.drawing import DEFAULT_PEN_WIDTH, Drawing
from digitpad.core.ink.pen_render import render_paths
from digitpad.core.preprocess.placement import SUPERSAMPLE, centre_by_mass, downsample

BOX = 20
STROKE_WIDTH = 2.4  # pen width, in 28-px units, whose rendering matches MNIST's strokes
MNIST_THICKNESS = 2.0  # median 2*area/perimeter of MNIST ink (> 0.5), the same metric
INK_THRESHOLD = 0.2  # an image with no pixel this far from its background is blank
MAX_IMAGE_PIXELS = 40_000_000
MAX_IMAGE_BYTES = 64 * 1024 * 1024
MIN_EXTENT = 1e-6  # canvas pixels: anything smaller is one point


@dataclass(frozen=True)
class Preprocessed:
    """The network input and how it was made; ``image`` is None for 'no digit'."""

    image: np.ndarray | None
    stages: Mapping[str, np.ndarray] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return self.image is None


def preprocess_drawing(
    drawing: Drawing, *, stages: bool = False, stroke_width: float = STROKE_WIDTH
) -> Preprocessed:
    """Re-render a drawing's strokes MNIST-style; an empty drawing is 'no digit'.

    ``stroke_width`` (28-px units) is for augmentation only: varied around the
    default, it shows a network the same digit written with thinner or bolder pens.
    """
    paths = drawing.pen_paths
    if not paths:
        return Preprocessed(None, _blank_stages(drawing) if stages else {})
    points = np.concatenate([path.points for path in paths])
    low, high = points.min(axis=0), points.max(axis=0)
    extent = float((high - low).max())
    width = stroke_width
    # below MIN_EXTENT (e.g. points a subnormal distance apart) a drawing is a dot:
    # scaling it up to 20 px would overflow to infinity
    scale = (BOX - width) / extent if extent > MIN_EXTENT else 0.0
    size = (high - low) * scale + width  # box size in 28-px units, longer side 20
    s = SUPERSAMPLE
    radius = width * s / 2
    box_hi = render_paths(
        (max(1, math.ceil(size[0] * s - 1e-6)), max(1, math.ceil(size[1] * s - 1e-6))),
        paths,
        radius,
        origin=low,
        scale=scale * s,
        offset=(radius, radius),
    )
    result = centre_by_mass(box_hi, ink=255)
    if not stages:
        return Preprocessed(result)
    scaled = downsample(box_hi / np.float32(255), s)
    return Preprocessed(result, DrawingStages(drawing, low, high, scaled, result))


def preprocess_image(source: Any, *, stages: bool = False) -> Preprocessed:
    """An image (path, PIL image or 2-D array) of a digit -> network input.

    Polarity is detected from the border: dark-on-light and light-on-dark both work.
    A blank image is 'no digit'.
    """
    grey = load_grey(source)
    ink = ink_from_grey(grey)
    if ink is None:
        return Preprocessed(None, {"input": grey} if stages else {})
    rows = np.flatnonzero(ink.max(axis=1) > INK_THRESHOLD)
    cols = np.flatnonzero(ink.max(axis=0) > INK_THRESHOLD)
    cropped = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    box_hi = _resize_longer_side(cropped, BOX * SUPERSAMPLE)
    result = centre_by_mass(box_hi)
    box_hi = _normalise_thickness(box_hi, result)
    result = centre_by_mass(box_hi)
    if not stages:
        return Preprocessed(result)
    return Preprocessed(
        result,
        {
            "input": grey,
            "cropped": cropped,
            "scaled": downsample(box_hi, SUPERSAMPLE),
            "centred": result,
        },
    )


# ---------------------------------------------------------------- drawing helpers


def render_canvas(drawing: Drawing, scale: float = 1.0) -> np.ndarray:
    """The drawing as the user saw it (white ink on black), for display and export."""
    w = max(1, round(drawing.width * scale))
    h = max(1, round(drawing.height * scale))
    radius = (drawing.pen_width or DEFAULT_PEN_WIDTH) * scale / 2
    image = render_paths((w, h), drawing.pen_paths, radius, scale=scale)
    return image.astype(np.float32) / np.float32(255.0)


class DrawingStages(Mapping[str, np.ndarray]):
    """A drawing's stages, the two canvas-sized ones rendered when first read.

    "input" and "cropped" are float32 images the size of the canvas and of the ink
    (1-2 MB each at the app's size). Made up front for every digit of every reading,
    and kept by the live reader's cache, they grew the app by about 4 MB a drawing;
    rendered from the strokes when a viewer asks (under a millisecond), only the
    ones on screen exist. ``unrendered`` is the same stages without them: what a
    cache keeps and hands out, so no rendering ever outlives its reading.
    """

    KEYS = ("input", "cropped", "scaled", "centred")

    def __init__(
        self,
        drawing: Drawing,
        low: np.ndarray,
        high: np.ndarray,
        scaled: np.ndarray,
        centred: np.ndarray,
    ) -> None:
        self._drawing, self._low, self._high = drawing, low, high
        self._made: dict[str, np.ndarray] = {"scaled": scaled, "centred": centred}
        self._lock = threading.Lock()  # a worker and the GUI thread may both read

    def __getitem__(self, key: str) -> np.ndarray:
        if key not in self.KEYS:
            raise KeyError(key)
        with self._lock:
            if key not in self._made:
                self._made[key] = (
                    render_canvas(self._drawing) if key == "input" else self._crop()
                )
            return self._made[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.KEYS)

    def __len__(self) -> int:
        return len(self.KEYS)

    @property
    def nbytes(self) -> int:
        """Bytes of the images held now (the canvas-sized ones only once read)."""
        return sum(array.nbytes for array in list(self._made.values()))

    def unrendered(self) -> DrawingStages:
        """The same stages, nothing rendered: reading it renders its own copy."""
        made = self._made
        return DrawingStages(
            self._drawing, self._low, self._high, made["scaled"], made["centred"]
        )

    def _crop(self) -> np.ndarray:
        """The ink's box of the canvas: cut from "input" if made, else drawn alone."""
        drawing = self._drawing
        pad = (drawing.pen_width or DEFAULT_PEN_WIDTH) / 2 + 1
        x0, y0 = (int(max(0, v - pad)) for v in self._low)
        x1, y1 = (int(v + pad) + 1 for v in self._high)
        if "input" in self._made:
            canvas = self._made["input"]
            cropped = canvas[y0:y1, x0:x1]
            return cropped if cropped.size else canvas
        w = min(x1, max(1, round(drawing.width))) - x0
        h = min(y1, max(1, round(drawing.height))) - y0
        if w <= 0 or h <= 0:
            return render_canvas(drawing)
        radius = (drawing.pen_width or DEFAULT_PEN_WIDTH) / 2
        ink = render_paths((w, h), drawing.pen_paths, radius, origin=(x0, y0))
        return ink.astype(np.float32) / np.float32(255.0)


def _blank_stages(drawing: Drawing) -> dict[str, np.ndarray]:
    return {"input": render_canvas(drawing)}


# ---------------------------------------------------------------- image helpers


# what a user reads: no library names, and what would work instead
NOT_AN_IMAGE = "not an image file DigitPad can read (PNG, JPEG, BMP, GIF, TIFF or WebP)"


def load_grey(source: Any) -> np.ndarray:
    """Any image source -> float32 grey levels in [0, 1], as people see it.

    EXIF orientation is honoured. On a transparent background the ink is whatever
    is opaque, whatever its colour (see ``_pil_to_grey``).
    """
    if isinstance(source, np.ndarray):
        return _array_to_grey(source)
    if isinstance(source, Image.Image):
        return _pil_to_grey(source)
    path = Path(source)
    try:
        with warnings.catch_warnings():
            # Pillow warns (then refuses) past ~90 Mpx; either way: one clear error
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _open_grey(path)
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except RefusedFile as error:
        raise InputError(path, error.reason) from None
    except UnidentifiedImageError:
        raise InputError(path, NOT_AN_IMAGE) from None
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise InputError(path, "image is too large") from None
    except IsADirectoryError:
        raise InputError(path, "is a folder, not an image") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except (OSError, ValueError) as error:
        raise InputError(path, f"unreadable image ({error})") from None


def _open_grey(path: Path) -> np.ndarray:
    with Image.open(open_bytes(path, MAX_IMAGE_BYTES)) as image:
        if image.width * image.height > MAX_IMAGE_PIXELS:
            raise InputError(path, "image is too large")
        image.load()
        return _pil_to_grey(image)


def _pil_to_grey(image: Image.Image) -> np.ndarray:
    """Grey levels of an upright image; a transparent background decides by alpha.

    Composited over white, a white digit on a transparent background vanishes; so
    when the border is mostly transparent the ink is the opacity itself (returned
    as dark ink on white, which the polarity detection reads like any scan).
    """
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        alpha = np.asarray(rgba.getchannel("A"), dtype=np.float32) / 255.0
        if float(np.median(_border(alpha))) < 0.5:
            return 1.0 - alpha
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba)
    return np.asarray(image.convert("L"), dtype=np.float32) / 255.0


def _border(image: np.ndarray) -> np.ndarray:
    return np.concatenate([image[0], image[-1], image[:, 0], image[:, -1]])


def _array_to_grey(array: np.ndarray) -> np.ndarray:
    a = np.asarray(array)
    if a.ndim == 3 and a.shape[-1] == 1:
        a = a[..., 0]
    if a.ndim != 2 or a.size == 0:
        raise InputError(None, f"expected a 2-D grey image, got shape {a.shape}")
    a = a.astype(np.float32)
    if a.max(initial=0) > 1.0:
        a = a / 255.0
    return np.clip(a, 0.0, 1.0)


def ink_from_grey(grey: np.ndarray) -> np.ndarray | None:
    """Ink = distance from the background level (the border's median), scaled to 1."""
    background = float(np.median(_border(grey)))
    ink = (background - grey) if background > 0.5 else (grey - background)
    ink = np.clip(ink, 0.0, None)
    peak = float(ink.max(initial=0.0))
    if peak < INK_THRESHOLD:
        return None
    return ink / peak


def _resize_longer_side(image: np.ndarray, target: int) -> np.ndarray:
    h, w = image.shape
    factor = target / max(h, w)
    size = (max(1, round(w * factor)), max(1, round(h * factor)))
    pil = Image.fromarray(image.astype(np.float32), mode="F")
    return np.asarray(pil.resize(size, Image.Resampling.BILINEAR), dtype=np.float32)


def stroke_thickness(image28: np.ndarray) -> float:
    """Mean stroke width in pixels, as 2 * area / perimeter of the ink above 0.5."""
    ink = image28 > 0.5
    area = ink.sum()
    edges = (ink[1:] != ink[:-1]).sum() + (ink[:, 1:] != ink[:, :-1]).sum()
    return float(2 * area / edges) if edges else 0.0


def _normalise_thickness(box_hi: np.ndarray, first_pass: np.ndarray) -> np.ndarray:
    """Dilate or erode the supersampled box so strokes end up MNIST-wide."""
    change = (MNIST_THICKNESS - stroke_thickness(first_pass)) * SUPERSAMPLE
    steps = round(abs(change) / 2)
    if steps == 0:
        return box_hi
    if change < 0:
        steps = min(steps, SUPERSAMPLE)  # never erode a stroke away entirely
    size = 2 * steps + 1
    pil = Image.fromarray(np.clip(box_hi * 255, 0, 255).astype(np.uint8))
    flt = ImageFilter.MaxFilter(size) if change > 0 else ImageFilter.MinFilter(size)
    return np.asarray(pil.filter(flt), dtype=np.float32) / 255.0
