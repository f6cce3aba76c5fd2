"""Accuracy on the pen-written dev drawings through the CLI, exactly as a user runs it.

Run: ``python tests/benchmarks/bench_dev_accuracy.py [MODEL]``; prints one JSON object
with accuracy, per-class accuracy, the most frequent confusions and the wall time of the
call.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

DEV = Path(__file__).resolve().parents[3] / "shared/strokes-dev/unipen-1a-dev.json"


def main() -> None:
    command = [
        sys.executable,
        "-m",
        "digitpad",
        "evaluate",
        "--strokes",
        str(DEV),
        "--json",
    ]
    if len(sys.argv) > 1:
        command += ["--model", sys.argv[1]]
    start = time.perf_counter()
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    seconds = time.perf_counter() - start
    report = json.loads(out)
    confusion = report["confusion_matrix"]
    mistakes = sorted(
        (
            (confusion[t][p], f"{t}->{p}")
            for t in range(10)
            for p in range(10)
            if t != p
        ),
        reverse=True,
    )
    print(
        json.dumps(
            {
                "model": report["model"],
                "backend": report["backend"],
                "drawings": report["count"],
                "accuracy": report["accuracy"],
                "per_class_accuracy": [
                    round(a, 4) for a in report["per_class_accuracy"]
                ],
                "top_confusions": [f"{name} x{n}" for n, name in mistakes[:6]],
                "cli_seconds": round(seconds, 2),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
