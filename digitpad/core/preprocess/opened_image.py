"""An opened or pasted image placed on the canvas's page as ink the user can draw over.

The image's ink is found by the same crop the network's input starts from, so what the
canvas shows is exactly the ink that will be read; it is centred and scaled to a share
of the canvas, whatever the image's own size.
"""

from __future__ import annotations

import numpy as np

from digitpad.core.ink.canvas_content import CanvasContent, PlacedImage
from digitpad.core.preprocess.mnist_input import preprocess_image

IMAGE_FILL = 0.7  # an opened image fills this share of the canvas's shorter side


def image_on_page(image: np.ndarray, size: tuple[float, float]) -> CanvasContent | None:
    """An image's ink, cropped and centred on a canvas of ``size``; None if no ink."""
    ink = preprocess_image(image, stages=True).stages.get("cropped")
    if ink is None:
        return None
    rows, cols = ink.shape
    scale = IMAGE_FILL * min(size) / max(rows, cols)
    w, h = cols * scale, rows * scale
    rect = ((size[0] - w) / 2, (size[1] - h) / 2, w, h)
    return CanvasContent((), PlacedImage(np.asarray(ink, np.float32), rect))
