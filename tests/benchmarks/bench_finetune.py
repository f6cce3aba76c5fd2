"""Does fine-tuning teach DigitPad one person's handwriting? Prints one JSON object.

For each development writer with >= 60 drawings: ``digitpad finetune`` on 5 drawings
per digit (fewer where the writer has fewer), then ``digitpad evaluate --strokes`` on
the writer's other drawings with the base and the fine-tuned model, and ``digitpad
evaluate`` on the MNIST test set with the fine-tuned one. Everything runs as the user
would run it (separate processes, wall time includes TensorFlow's import).

    DIGITPAD_MNIST=../shared/mnist/mnist.npz python tests/benchmarks/bench_finetune.py

Extra arguments are passed to ``digitpad finetune`` (e.g. ``--repeats 12``).
"""

from __future__ import annotations

import collections
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # tests.support, when run as a script
from tests.support.dev_drawings import require_dev_drawings  # noqa: E402
from tests.support.full_mnist import require_full_mnist  # noqa: E402

PER_DIGIT = 5
MIN_DRAWINGS = 60


def digitpad(*args: str) -> tuple[dict | None, float]:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "digitpad", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    seconds = time.monotonic() - started
    if done.returncode:
        raise SystemExit(f"digitpad {' '.join(args)} failed: {done.stderr[-500:]}")
    try:
        return json.loads(done.stdout), seconds
    except ValueError:
        return None, seconds


def split(drawings: list[dict]) -> tuple[list[dict], list[dict]]:
    by_digit = collections.defaultdict(list)
    for drawing in drawings:
        by_digit[drawing["label"]].append(drawing)
    train, test = [], []
    for digit in range(10):
        train += by_digit[digit][:PER_DIGIT]
        test += by_digit[digit][PER_DIGIT:]
    return train, test


def errors(test: list[dict], model: str, scratch: Path) -> list[dict]:
    """The misread drawings (id, label, read as), from ``digitpad predict --json``."""
    path = scratch / "test.json"
    records, _ = digitpad("predict", "--json", "--model", model, str(path))
    return [
        {"id": d.get("id"), "label": d["label"], "read_as": r["digit"]}
        for d, r in zip(test, records, strict=True)
        if r["digit"] != d["label"]
    ]


def main() -> None:
    require_full_mnist()  # one line and exit, not a dialog or a download
    dev = json.loads(require_dev_drawings().read_text())
    writers = collections.defaultdict(list)
    for drawing in dev:
        writers[drawing["writer"]].append(drawing)
    chosen = sorted(w for w, ds in writers.items() if len(ds) >= MIN_DRAWINGS)
    base_mnist, _ = digitpad("evaluate", "--json")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        for writer in chosen:
            train, test = split(writers[writer])
            (scratch / "train.json").write_text(json.dumps(train))
            (scratch / "test.json").write_text(json.dumps(test))
            model = str(scratch / "tuned.keras")
            _, seconds = digitpad(
                "finetune",
                "--samples",
                str(scratch / "train.json"),
                "--out",
                model,
                *sys.argv[1:],
            )
            before, _ = digitpad(
                "evaluate", "--json", "--strokes", str(scratch / "test.json")
            )
            after, _ = digitpad(
                "evaluate",
                "--json",
                "--model",
                model,
                "--strokes",
                str(scratch / "test.json"),
            )
            mnist, _ = digitpad("evaluate", "--json", "--model", model)
            rows.append(
                {
                    "writer": writer,
                    "trained_on": len(train),
                    "measured_on": len(test),
                    "before": before["accuracy"],
                    "after": after["accuracy"],
                    "mnist_after": mnist["accuracy"],
                    "finetune_seconds": round(seconds, 1),
                    "errors_after": errors(test, model, scratch),
                }
            )
            print(json.dumps(rows[-1]), file=sys.stderr)
    before = sum(r["before"] for r in rows) / len(rows)
    after = sum(r["after"] for r in rows) / len(rows)
    print(
        json.dumps(
            {
                "finetune_args": sys.argv[1:],
                "writers": len(rows),
                "mean_before": before,
                "mean_after": after,
                "error_cut": 1 - (1 - after) / (1 - before),
                "mnist_base": base_mnist["accuracy"],
                "mnist_after_min": min(r["mnist_after"] for r in rows),
                "mnist_after_mean": sum(r["mnist_after"] for r in rows) / len(rows),
                "finetune_seconds_max": max(r["finetune_seconds"] for r in rows),
                "finetune_seconds_mean": sum(r["finetune_seconds"] for r in rows)
                / len(rows),
                "per_writer": rows,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
