"""How well a model reads the user's own drawings, by the rule fine-tuning uses.

Fine-tuning reports an honest "after": k-fold cross-validation, each drawing read
by a model that never trained on it. A comparison cannot retrain, so:

- a model that never saw the user's drawings (trained on MNIST, imported) reads
  every sample now: it trained on none of them, so plain accuracy is honest;
- a model fine-tuned on the user's drawings read them in training, so its plain
  accuracy would flatter it: the cross-validated accuracy measured when it was
  fine-tuned is shown instead (from its metadata), or nothing if it has none.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from digitpad.core.ink.drawing import Drawing
from digitpad.core.training.stroke_augment import render_plain

CROSS_VALIDATED = "cross-validated at fine-tuning"
RULE = (
    "My handwriting: a model that never trained on your drawings reads all of them; "
    "a model fine-tuned on them shows its cross-validated accuracy from fine-tuning "
    "(each drawing read by a model that did not train on it)."
)


@dataclass(frozen=True)
class HandwritingScore:
    accuracy: float | None  # None: no honest figure
    count: int  # drawings the figure is over
    how: str  # "read now" or "cross-validated at fine-tuning" or why there is none

    def text(self) -> str:
        if self.accuracy is None:
            return f"n/a ({self.how})"
        return f"{self.accuracy:.1%} of {self.count} ({self.how})"


def trained_on_user_drawings(metadata: dict[str, Any]) -> bool:
    training = metadata.get("training")
    kind = training.get("kind") if isinstance(training, dict) else None
    return kind == "finetune" or "user_samples" in metadata


def handwriting_score(
    predictor: Any,
    metadata: dict[str, Any],
    drawings: Sequence[Drawing],
    labels: Sequence[int],
    images: np.ndarray | None = None,
) -> HandwritingScore:
    """The honest My-handwriting figure for one model (see the module docstring).

    ``images``: the drawings already made network inputs (``render_plain``), when
    several models read the same drawings.
    """
    if trained_on_user_drawings(metadata):
        training = metadata.get("training") or {}
        value = training.get("user_accuracy_after_cross_validated")
        count = metadata.get("user_samples")
        count = count if type(count) is int and count > 0 else 0
        if isinstance(value, int | float) and math.isfinite(value) and 0 <= value <= 1:
            return HandwritingScore(float(value), count, CROSS_VALIDATED)
        return HandwritingScore(None, count, "it trained on your drawings")
    if not drawings:
        return HandwritingScore(None, 0, "no drawings in My handwriting yet")
    if images is None:
        images = render_plain(drawings)
    read = predictor.predict_probabilities(images).argmax(axis=1)
    hits = int(np.sum(read == np.asarray(labels)))
    return HandwritingScore(hits / len(drawings), len(drawings), "read now")
