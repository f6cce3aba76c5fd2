"""``digitpad evaluate``: accuracy, per-class accuracy and confusion matrix."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from digitpad.core.errors import InputError
from digitpad.core.ink.drawing import load_drawings
from digitpad.core.models.inference import Predictor, load_predictor
from digitpad.core.numbers.reading import read_drawing
from digitpad.core.preprocess.mnist_input import preprocess_drawing
from digitpad.core.training.evaluation import (
    Evaluation,
    NumberEvaluation,
    evaluate_numbers,
    evaluate_predictions,
)


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "evaluate",
        help="measure a model on the MNIST test set or on labelled drawings",
        description="Accuracy, per-class accuracy and confusion matrix of a model on "
        "the MNIST test set, or with --strokes on a JSON list of labelled drawings.",
    )
    parser.add_argument(
        "--model", type=Path, help="a .keras or .tflite model (default: shipped)"
    )
    parser.add_argument("--data", type=Path, help="an MNIST .npz (default: Keras's)")
    parser.add_argument("--strokes", type=Path, help="labelled drawings (JSON list)")
    parser.add_argument(
        "--number",
        action="store_true",
        help='with --strokes: read each drawing as a number labelled "number": "2026"',
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(run=run)


def evaluate_mnist(predictor: Predictor, data_path: Path | None) -> Evaluation:
    from digitpad.core.training.data import load_mnist

    data = load_mnist(data_path)
    images = data.x_test.astype(np.float32) / 255.0
    with predictor.reading_many():  # 10,000 digits: batched where the backend can
        predicted = predictor.predict_probabilities(images).argmax(axis=1)
    return evaluate_predictions(data.y_test, predicted)


def evaluate_strokes(predictor: Predictor, path: Path) -> Evaluation:
    """Drawings as the app sees them; a drawing read as 'no digit' counts as wrong."""
    drawings, _ = load_drawings(path)
    labels = [drawing.label for drawing in drawings]
    if not drawings or any(label is None for label in labels):
        raise InputError(path, "every drawing needs a 'label' from 0 to 9 to evaluate")
    predicted = []
    for drawing in drawings:
        image = preprocess_drawing(drawing).image
        predicted.append(-1 if image is None else predictor.predict(image).digit)
    return evaluate_predictions(np.array(labels), np.array(predicted))


def format_report(evaluation: Evaluation, what: str) -> str:
    lines = [
        f"{what}: accuracy {evaluation.accuracy:.4f} on {evaluation.count} samples",
        "",
    ]
    lines.append(
        "per class: "
        + "  ".join(
            f"{digit}:{acc:.3f}"
            for digit, acc in enumerate(evaluation.per_class_accuracy)
        )
    )
    lines += ["", "confusion matrix (rows: true digit, columns: predicted)"]
    lines.append("     " + "".join(f"{d:>6}" for d in range(10)))
    for digit, row in enumerate(evaluation.confusion):
        lines.append(f"{digit:>4} " + "".join(f"{v:>6}" for v in row))
    return "\n".join(lines)


def evaluate_number_strokes(predictor: Predictor, path: Path) -> NumberEvaluation:
    """Drawings of numbers: split into the right count, read whole, digits right."""
    drawings, _ = load_drawings(path)
    labels = [drawing.number_label for drawing in drawings]
    if not drawings or any(label is None for label in labels):
        raise InputError(
            path, 'every drawing needs a "number" label (digits, e.g. "2026")'
        )
    read = [read_drawing(drawing, predictor).number for drawing in drawings]
    return evaluate_numbers(labels, read)


def format_number_report(evaluation: NumberEvaluation, what: str) -> str:
    accuracy = evaluation.digit_accuracy
    return "\n".join(
        [
            f"{what}: {evaluation.count} numbers",
            f"right count of digits: {evaluation.count_right:.4f}",
            f"read whole: {evaluation.number_right:.4f}",
            f"digits right where the count was right: {accuracy:.4f} "
            f"of {evaluation.digits}",
        ]
    )


def run(args: argparse.Namespace) -> int:
    if args.number and not args.strokes:
        raise InputError(None, "--number needs --strokes FILE (labelled drawings)")
    predictor = load_predictor(args.model)
    if args.number:
        result = evaluate_number_strokes(predictor, args.strokes)
        if args.json:
            payload = {
                "model": predictor.name,
                "backend": predictor.backend,
                "data": str(args.strokes),
            }
            json.dump(payload | result.to_dict(), sys.stdout, indent=1)
            sys.stdout.write("\n")
        else:
            print(f"model {predictor.name} ({predictor.backend})")
            print(format_number_report(result, str(args.strokes)))
        return 0
    if args.strokes:
        evaluation, what = evaluate_strokes(predictor, args.strokes), str(args.strokes)
    else:
        evaluation, what = evaluate_mnist(predictor, args.data), "MNIST test set"
    if args.json:
        payload = {"model": predictor.name, "backend": predictor.backend, "data": what}
        json.dump(payload | evaluation.to_dict(), sys.stdout, indent=1, allow_nan=False)
        sys.stdout.write("\n")
    else:
        print(f"model {predictor.name} ({predictor.backend})")
        print(format_report(evaluation, what))
    return 0
