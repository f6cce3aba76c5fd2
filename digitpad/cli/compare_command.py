"""``digitpad compare A.keras B.keras [...]``: models side by side, LiteRT only.

Scores every model on the MNIST test set (per digit too), counts the test digits
the first two read differently, and lists how each was made; ``--json`` prints
that as one object, else a table. A missing or hostile model is one line and exit
status 1, before anything is scored.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from digitpad.core.training.comparison import MAX_MODELS, MIN_MODELS


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "compare",
        help="compare 2-4 models on MNIST test (LiteRT, no TensorFlow)",
        description="Compare two to four models: MNIST test accuracy (per digit), "
        "the test digits the first two read differently, their networks, recipes "
        "and per-epoch histories. Runs on LiteRT; no TensorFlow is loaded.",
    )
    parser.add_argument("models", nargs="+", type=Path, metavar="MODEL")
    parser.add_argument(
        "--data", type=Path, help="an MNIST .npz (default: local MNIST)"
    )
    parser.add_argument(
        "--strokes",
        type=Path,
        metavar="FILE",
        help="also read these labelled drawings (JSON list) with each model",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from digitpad.core.training.comparison import (
        comparison_json,
        load_test_set,
        open_model,
        score_all,
    )

    if not MIN_MODELS <= len(args.models) <= MAX_MODELS:
        print(
            f"digitpad: compare takes {MIN_MODELS} to {MAX_MODELS} models, "
            f"not {len(args.models)}",
            file=sys.stderr,
        )
        return 2
    opened = [open_model(path) for path in args.models]  # every file before scoring
    strokes = _read_strokes(args.strokes) if args.strokes else None
    test = load_test_set(args.data)
    results: dict[int, object] = {}
    score_all(opened, test, results.__setitem__)
    scored = [results[index] for index in range(len(opened))]
    result = comparison_json(scored)
    if strokes is not None:
        for entry, (predictor, _) in zip(result["models"], opened, strict=True):
            entry["strokes"] = _strokes_score(predictor, strokes)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(table(result, test.source))
    return 0


def _read_strokes(path: Path) -> tuple[list, list[int]]:
    from digitpad.core.handwriting.labelled import read_labelled_list

    pairs, _ = read_labelled_list(path)
    return [d for d, _ in pairs], [label for _, label in pairs]


def _strokes_score(predictor, strokes: tuple[list, list[int]]) -> dict:
    import numpy as np

    from digitpad.core.training.stroke_augment import render_plain

    drawings, labels = strokes
    if not drawings:
        return {"accuracy": None, "count": 0}
    read = predictor.predict_probabilities(render_plain(drawings)).argmax(axis=1)
    return {
        "accuracy": round(float(np.mean(read == np.asarray(labels))), 6),
        "count": len(drawings),
    }


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2%}"


def table(result: dict, source: str) -> str:
    """The comparison as aligned text: a column per model."""
    models = result["models"]
    rows: list[tuple[str, list[str]]] = [
        ("model", [m["name"] for m in models]),
        ("network", [m["settings"].get("network", "") for m in models]),
        ("parameters", [_count(m["params"]) for m in models]),
        ("multiply-adds", [_count(m["settings"].get("multiply_adds")) for m in models]),
    ]
    for key, label in (
        ("epochs", "epochs"),
        ("batch_size", "batch size"),
        ("learning_rate", "learning rate"),
        ("schedule", "schedule"),
        ("augmentation", "augmentation"),
        ("train_images", "training images"),
        ("seconds", "training time (s)"),
    ):
        rows.append((label, [_setting(m["settings"], key) for m in models]))
    rows.append(("MNIST test", [_percent(m["test_accuracy"]) for m in models]))
    for digit in range(10):
        rows.append(
            (f"  digit {digit}", [_percent(m["per_digit"][digit]) for m in models])
        )
    if "strokes" in models[0]:
        rows.append(("strokes", [_percent(m["strokes"]["accuracy"]) for m in models]))
    width = max(len(label) for label, _ in rows)
    columns = [max(len(row[1][i]) for row in rows) for i in range(len(models))]
    lines = [
        "  ".join(
            [
                label.ljust(width),
                *(v.ljust(w) for v, w in zip(values, columns, strict=True)),
            ]
        ).rstrip()
        for label, values in rows
    ]
    lines.append(
        f"{result['disagreements']:,} test digits ({source}) are read differently "
        "by the first two models"
    )
    for model in models:
        for lack in model["settings"].get("lacks", []):
            lines.append(f"{model['name']}: {lack}")
    return "\n".join(lines)


def _count(value: int | None) -> str:
    return "n/a" if value is None else f"{value:,}"


def _setting(settings: dict, key: str) -> str:
    value = settings.get(key)
    if key == "train_images" and value is None and "images_note" in settings:
        return settings["images_note"]
    if key == "train_images" and value is None:
        asked = settings.get("images_asked")
        return "n/a" if asked is None else f"{asked} (asked)"
    if value is None:
        return "n/a"
    if key == "learning_rate":
        return f"{value:g}"
    if key == "seconds":
        return f"{value:.0f}"
    return f"{value:,}" if isinstance(value, int) else str(value)
