"""Everything the browser shows, gathered off the GUI thread in one job.

Reading every sample file, asking the current model which it misreads and painting
the thumbnails all scale with the number of samples, so none of it runs in a slot:
``take_snapshot`` is a ``threads`` job and the panel only wraps finished images in
icons.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtGui import QImage

from digitpad.core.handwriting import HandwritingStore, Sample, misread
from digitpad.core.inference import LiteRtPredictor, Predictor
from digitpad.core.labelled import Problem
from digitpad.gui.widgets.stroke_thumbnail import render_thumbnail

THUMBNAIL = 56


@dataclass
class SampleSnapshot:
    samples: list[Sample]
    problems: list[Problem]
    misread: dict[str, int]  # sample id -> what the current model reads instead
    thumbnails: dict[str, QImage] = field(default_factory=dict)
    model_checked: bool = False  # False: no model yet, nothing is marked


def take_snapshot(
    store: HandwritingStore, predictor: Predictor | None, size: int = THUMBNAIL
) -> SampleSnapshot:
    samples, problems = store.load()
    wrong: dict[str, int] = {}
    if predictor is not None and samples:
        wrong = misread(_private_copy(predictor), samples)
    thumbnails = {
        sample.id: render_thumbnail(sample.drawing, size, sample.id in wrong)
        for sample in samples
    }
    return SampleSnapshot(samples, problems, wrong, thumbnails, predictor is not None)


def _private_copy(predictor: Predictor) -> Predictor:
    """A LiteRT interpreter is not safe to share between threads, and live
    prediction uses the current one meanwhile: read the samples with a copy."""
    if isinstance(predictor, LiteRtPredictor):
        return LiteRtPredictor(predictor._tflite, None, predictor.metadata, {})
    return predictor
