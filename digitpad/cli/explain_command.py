"""``digitpad explain``: how one unit's value is computed, for a drawing (text or JSON).

``digitpad explain DRAWING --layer NAME --unit R,C,CH`` (or ``--unit I`` for a 1-D
layer) runs the model on the drawing and re-derives that unit's value from the
previous layer's activations and the layer's weights (``core.models.unit_explain``).
The weights come from the model's ``NAME.weights.npz``; a ``.keras`` without one is
read with Keras here (the command line may use TensorFlow; the app never does).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from digitpad.core.errors import DigitPadError, InputError
from digitpad.core.models.inference import Predictor, load_predictor
from digitpad.core.models.unit_explain import explain_unit, parse_unit, with_input


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "explain",
        help="show how one unit's value is computed for a drawing",
        description="Run the model on a drawing (DigitPad JSON) or image and show "
        "how one unit of one layer is computed: its inputs, weights, sum, bias and "
        "activation, with the real numbers.",
    )
    parser.add_argument("drawing", metavar="DRAWING", type=Path)
    parser.add_argument("--layer", required=True, help="the layer's name")
    parser.add_argument(
        "--unit",
        required=True,
        help="R,C,CH for a map layer (row, column, map), I for a 1-D layer",
    )
    parser.add_argument(
        "--model", type=Path, help="a .keras or .tflite model (default: shipped)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(run=run)


def network_image(path: Path) -> Any:
    """The 28x28 network input of a drawing file (one drawing) or an image."""
    from digitpad.core.preprocess.mnist_input import (
        preprocess_drawing,
        preprocess_image,
    )

    if path.suffix.lower() == ".json":
        from digitpad.core.ink.drawing import load_drawings

        drawings, _ = load_drawings(path)
        if len(drawings) != 1:
            raise InputError(path, f"holds {len(drawings)} drawings; explain takes one")
        image = preprocess_drawing(drawings[0]).image
    else:
        image = preprocess_image(path).image
    if image is None:
        raise InputError(path, "has no ink: nothing to explain")
    return image


def model_weights(predictor: Predictor, model: Path | None) -> Any:
    weights = predictor.unit_weights()
    if weights is None and model is not None and model.suffix == ".keras":
        from digitpad.core.models import modelfile
        from digitpad.core.models.unit_weights import network_weights

        weights = network_weights(modelfile.load_keras_model(model))
    if weights is None:
        where = model or predictor.name
        raise DigitPadError(
            f"{where}: no weights file (.weights.npz) beside this model, and no "
            ".keras to read the weights from"
        )
    return weights


def run(args: argparse.Namespace) -> int:
    unit = parse_unit(args.unit)
    image = network_image(args.drawing)
    predictor = load_predictor(args.model)
    network = model_weights(predictor, args.model)
    activations = with_input(network, predictor.predict(image).activations, image)
    explanation = explain_unit(network, None, activations, args.layer, unit)
    if args.json:
        record = explanation.as_json(image)
        json.dump(record, sys.stdout, allow_nan=False)
        sys.stdout.write("\n")
    else:
        from digitpad.cli.explain_text import explanation_text

        print(explanation_text(explanation))
    return 0
