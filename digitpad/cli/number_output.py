"""``digitpad predict --number``: each input read as a number, digit by digit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from digitpad.core.errors import InputError
from digitpad.core.ink.drawing import load_drawings
from digitpad.core.models.inference import Predictor
from digitpad.core.numbers.reading import NumberReading, read_drawing, read_image


def iter_number_records(
    files: list[Path], predictor: Predictor
) -> Iterator[dict | InputError]:
    """One JSON record per drawing or image, or the error that stopped a file."""
    for file in files:
        try:
            if file.suffix.lower() == ".json":
                drawings, is_list = load_drawings(file)
                for index, drawing in enumerate(drawings):
                    reading = read_drawing(drawing, predictor)
                    yield number_record(file, index if is_list else None, reading)
            else:
                yield number_record(file, None, read_image(file, predictor))
        except InputError as error:
            yield error


def number_record(file: Path, index: int | None, reading: NumberReading) -> dict:
    """file, index (list files), number ("" for none) and each digit, left to right."""
    record: dict = {"file": str(file)}
    if index is not None:
        record["index"] = index
    record["number"] = reading.number
    record["digits"] = [
        {
            "digit": digit.digit,
            "confidence": float(digit.confidence),
            "probabilities": [round(float(p), 6) for p in digit.probabilities],
            "box": [round(float(v), 1) for v in digit.box],
        }
        for digit in reading.digits
    ]
    return record


def format_number_text(record: dict) -> str:
    where = record["file"] + (f"[{record['index']}]" if "index" in record else "")
    if not record["digits"]:
        return f"{where}: no digits"
    least = min(d["confidence"] for d in record["digits"])
    return f"{where}: {record['number']} (least sure digit {least:.1%})"
