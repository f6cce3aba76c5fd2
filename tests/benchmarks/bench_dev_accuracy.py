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

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # tests.support, when run as a script
from tests.support.dev_drawings import require_dev_drawings  # noqa: E402


def main() -> None:
    command = [
        sys.executable,
        "-m",
        "digitpad",
        "evaluate",
        "--strokes",
        str(require_dev_drawings()),
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
