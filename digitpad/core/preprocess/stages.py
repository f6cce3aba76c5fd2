"""The preprocessing stages a user is shown, in order, with what each one does.

``preprocess_drawing(..., stages=True)`` returns the images under these keys; the
prediction panel's preview and the viewer's "Preprocessing" tab both caption them
from this one table, so the names and explanations cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Stage:
    """One step from the canvas to the network input."""

    key: str  # the key in ``Preprocessed.stages``
    title: str  # a heading where there is room
    short_title: str  # a caption under a thumbnail
    explanation: str  # one line on what the step does
    network_pixels: bool  # in the network's 28 px units: enlarge without smoothing


STAGES: tuple[Stage, ...] = (
    Stage(
        "input",
        "Your drawing",
        "Your drawing",
        "The canvas exactly as you drew it.",
        False,
    ),
    Stage(
        "cropped",
        "Cropped",
        "Cropped",
        "Empty margins removed: only the ink's bounding box.",
        False,
    ),
    Stage(
        "scaled",
        "Scaled to 20 px",
        "20 px box",
        "Longer side shrunk to 20 pixels, same shape; strokes get MNIST's width.",
        True,
    ),
    Stage(
        "centred",
        "Centred in 28×28",
        "Centred",
        "Placed so the ink's centre of mass is in the middle: the network's input.",
        True,
    ),
)
