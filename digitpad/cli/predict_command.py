"""``digitpad predict``: images or drawing files in, digits out (text or JSON)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from digitpad.core.errors import DigitPadError, InputError
from digitpad.core.ink.drawing import load_drawings
from digitpad.core.models.inference import Predictor, load_predictor
from digitpad.core.preprocess.mnist_input import (
    Preprocessed,
    preprocess_drawing,
    preprocess_image,
)

PROGRESS_FROM = 200  # show a progress bar for at least this many inputs


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "predict",
        help="classify images or drawing JSON files",
        description="Classify images (PNG, JPEG...) or DigitPad drawing JSON files. "
        "A JSON list file gives one result per drawing.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", type=Path)
    parser.add_argument(
        "--model", type=Path, help="a .keras or .tflite model (default: shipped)"
    )
    parser.add_argument(
        "--json", action="store_true", help="print a JSON list of results"
    )
    parser.add_argument(
        "--number",
        action="store_true",
        help="read each input as a number: every digit, left to right, with its box",
    )
    parser.set_defaults(run=run)


@dataclass(frozen=True)
class Item:
    """One input to classify: a whole image file or one drawing of a drawing file."""

    file: Path
    index: int | None
    preprocessed: Preprocessed


def iter_items(files: list[Path]) -> Iterator[Item | InputError]:
    """Preprocessed inputs, or the error that stopped a file, in command-line order."""
    for file in files:
        try:
            if file.suffix.lower() == ".json":
                drawings, is_list = load_drawings(file)
                for index, drawing in enumerate(drawings):
                    yield Item(
                        file, index if is_list else None, preprocess_drawing(drawing)
                    )
            else:
                yield Item(file, None, preprocess_image(file))
        except InputError as error:
            yield error


def result_record(item: Item, predictor: Predictor) -> dict:
    """The JSON record of one prediction (digit null = no digit)."""
    record: dict = {"file": str(item.file)}
    if item.index is not None:
        record["index"] = item.index
    if item.preprocessed.image is None:
        return record | {"digit": None, "confidence": None, "probabilities": None}
    probabilities = predictor.predict(item.preprocessed.image).probabilities
    return record | {
        "digit": int(np.argmax(probabilities)),
        "confidence": float(np.max(probabilities)),
        "probabilities": [round(float(p), 6) for p in probabilities],
    }


def format_text(record: dict) -> str:
    where = record["file"] + (f"[{record['index']}]" if "index" in record else "")
    if record["digit"] is None:
        return f"{where}: no digit"
    return f"{where}: {record['digit']} ({record['confidence']:.1%})"


def run(args: argparse.Namespace) -> int:
    try:
        predictor = load_predictor(args.model)
    except DigitPadError as error:
        print(f"digitpad: {error}", file=sys.stderr)
        return 1
    records, failed = [], False
    if args.number:
        from digitpad.cli.number_output import iter_number_records

        items = iter_number_records(args.files, predictor)
    else:
        items = iter_items(args.files)
    if len(args.files) >= PROGRESS_FROM or _has_big_list(args.files):
        from tqdm import tqdm

        items = tqdm(
            items, desc="predicting", unit=" inputs", leave=False, file=sys.stderr
        )
    for item in items:
        if isinstance(item, InputError):
            print(f"digitpad: {item}", file=sys.stderr)
            failed = True
            continue
        if args.number:
            from digitpad.cli.number_output import format_number_text

            record, text = item, format_number_text(item)
        else:
            record = result_record(item, predictor)
            text = format_text(record)
        records.append(record)
        if not args.json:
            print(text)
    if args.json:
        json.dump(records, sys.stdout, indent=1, allow_nan=False)
        sys.stdout.write("\n")
    return 1 if failed else 0


def _has_big_list(files: list[Path]) -> bool:
    """A drawing list file big enough to be worth a progress bar (> ~1 MB)."""
    return any(
        f.suffix.lower() == ".json" and f.is_file() and f.stat().st_size > 1e6
        for f in files
    )
