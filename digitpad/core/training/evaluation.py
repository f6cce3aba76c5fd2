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


@dataclass(frozen=True)
class NumberEvaluation:
    """How well whole numbers were read: split right, read right, digits right."""

    count: int
    count_right: float  # share of numbers split into the right count of digits
    number_right: float  # share read exactly
    digit_accuracy: float  # share of digits right, over numbers whose count was right
    digits: int  # the digits that share is over

    def to_dict(self) -> dict:
        return {
            "count": self.count,
            "count_right": self.count_right,
            "number_right": self.number_right,
            # no number split right: no digit accuracy (null, not NaN)
            "digit_accuracy": None
            if math.isnan(self.digit_accuracy)
            else self.digit_accuracy,
            "digits": self.digits,
        }


def evaluate_numbers(expected: list[str], read: list[str]) -> NumberEvaluation:
    """Compare read numbers (digit strings, "" for none) with their labels."""
    if len(expected) != len(read) or not expected:
        raise ValueError("need the same, non-zero number of labels and readings")
    same_count = [
        (e, r) for e, r in zip(expected, read, strict=True) if len(e) == len(r)
    ]
    digits = sum(len(e) for e, _ in same_count)
    hits = sum(a == b for e, r in same_count for a, b in zip(e, r, strict=True))
    return NumberEvaluation(
        count=len(expected),
        count_right=len(same_count) / len(expected),
        number_right=sum(e == r for e, r in zip(expected, read, strict=True))
        / len(expected),
        digit_accuracy=hits / digits if digits else float("nan"),
        digits=digits,
    )
