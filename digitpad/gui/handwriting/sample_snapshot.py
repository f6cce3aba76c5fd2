"""Everything the browser shows, gathered off the GUI thread in one job.

Reading every sample file, asking the current model which it misreads and painting
the thumbnails all scale with the number of samples, so none of it runs in a slot:
``take_snapshot`` is a ``threads`` job and the panel only shows finished images.
What an earlier snapshot already knew (a sample's thumbnail, how the same model read
it) is reused, so adding one sample to a thousand reads and paints one: a worker busy
in Python for long would keep the GUI thread waiting for the interpreter lock.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtGui import QImage

from digitpad.core.errors import one_line
from digitpad.core.handwriting.labelled import Problem
from digitpad.core.handwriting.samples import HandwritingStore, Sample, misread
from digitpad.core.models.litert_predictor import LiteRtPredictor
from digitpad.core.models.prediction import Predictor
from digitpad.gui.widgets.stroke_thumbnail import render_thumbnail

THUMBNAIL = 56
ReadKey = tuple[str, int]  # (sample id, label)


@dataclass
class SampleSnapshot:
    samples: list[Sample]
    problems: list[Problem]
    misread: dict[str, int]  # sample id -> what the current model reads instead
    thumbnails: dict[str, QImage] = field(default_factory=dict)
    model_checked: bool = False  # False: no model yet, nothing is marked
    predictor: Predictor | None = None  # the model ``reads`` are for
    reads: dict[ReadKey, int | None] = field(default_factory=dict)  # None: read right
    painted: dict[tuple[str, bool], QImage] = field(default_factory=dict)


def take_snapshot(
    store: HandwritingStore,
    predictor: Predictor | None,
    earlier: SampleSnapshot | None = None,
    size: int = THUMBNAIL,
) -> SampleSnapshot:
    samples, problems = store.load()
    same_model = earlier is not None and earlier.predictor is predictor
    reads: dict[ReadKey, int | None] = dict(earlier.reads) if same_model else {}
    if predictor is not None:
        new = [s for s in samples if (s.id, s.label) not in reads]
        if new:
            wrong = misread(_private_copy(predictor), new)
            for sample in new:
                reads[(sample.id, sample.label)] = wrong.get(sample.id)
    wrong_now = {
        s.id: read for s in samples if (read := reads.get((s.id, s.label))) is not None
    }
    known = earlier.painted if earlier is not None else {}
    painted = {}
    shown = []
    for sample in samples:
        key = (sample.id, sample.id in wrong_now)
        try:
            painted[key] = known.get(key) or render_thumbnail(
                sample.drawing, size, key[1]
            )
        except Exception as error:  # one sample's picture never costs the others
            where = str(store.path_of(sample.id))
            problems.append(Problem(where, f"cannot be drawn ({one_line(error)})"))
            continue
        shown.append(sample)
    samples = shown
    return SampleSnapshot(
        samples,
        problems,
        wrong_now,
        {sample_id: image for (sample_id, _), image in painted.items()},
        predictor is not None,
        predictor,
        reads,
        painted,
    )


def _private_copy(predictor: Predictor) -> Predictor:
    """A LiteRT interpreter is not safe to share between threads, and live
    prediction uses the current one meanwhile: read the samples with a copy."""
    if isinstance(predictor, LiteRtPredictor):
        return LiteRtPredictor(predictor._tflite, None, predictor.metadata, {})
    return predictor
