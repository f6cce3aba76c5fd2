"""Accuracy, per-class accuracy and confusion matrices for CLI, GUI and training."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Evaluation:
    """How a model did on labelled data; rows of ``confusion`` are true labels."""

    accuracy: float
    per_class_accuracy: list[float]
    confusion: np.ndarray
    count: int

    def to_dict(self) -> dict:
        return {
            "accuracy": self.accuracy,
            "count": self.count,
            # a class absent from the data has no accuracy: null, not NaN (invalid JSON)
            "per_class_accuracy": [
                None if math.isnan(a) else a for a in self.per_class_accuracy
            ],
            "confusion_matrix": self.confusion.tolist(),
        }


def evaluate_predictions(y_true: np.ndarray, y_pred: np.ndarray) -> Evaluation:
    """Summarise predicted against true labels (a prediction of -1 means 'no digit')."""
    y_true = np.asarray(y_true, dtype=np.int64)
    y_pred = np.asarray(y_pred, dtype=np.int64)
    if y_true.shape != y_pred.shape or y_true.size == 0:
        raise ValueError("need the same, non-zero number of labels and predictions")
    confusion = np.zeros((10, 10), dtype=np.int64)
    valid = y_pred >= 0
    np.add.at(confusion, (y_true[valid], y_pred[valid]), 1)
    totals = np.bincount(y_true, minlength=10)
    hits = np.diag(confusion)
    per_class = [
        float(h / t) if t else float("nan") for h, t in zip(hits, totals, strict=False)
    ]
    return Evaluation(
        accuracy=float(np.mean(y_true == y_pred)),
        per_class_accuracy=per_class,
        confusion=confusion,
        count=int(y_true.size),
    )
