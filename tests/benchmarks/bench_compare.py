"""Comparing four models on the full MNIST test set: how long, and the window's pauses.

Run from the repository root with DIGITPAD_MNIST pointing at mnist.npz:
``.venv/bin/python tests/benchmarks/bench_compare.py [A.keras B.keras C.keras]``.
The shipped model plus three more (the arguments; without them three small
tutorial nets are trained first with ``digitpad train`` in a child process, so this
process never imports TensorFlow, as the app does not). Prints one JSON object:

- ``core``: ``load_test_set`` + open + score all four, with no remembered answers
  ("cold") and with them ("warm", the second comparison of the same models);
- ``window``: the Model comparison window from construction until every model is
  scored and every disagreement thumbnail is shown, cold and warm, with the longest
  gap of a 5 ms timer meanwhile (``GapMeter``). Target (issue 23): < 2 s, < 50 ms.
- ``score_ahead_s``: the app's head start (``score_ahead``, run while the Models
  tab is in view) on a fresh cache, then the window opened after it, as a user who
  looked at the list before pressing Compare meets it;
- ``idle_worst_pause_ms``: the same meter for 3 s with nothing to do: on a shared,
  loaded machine the process itself waits for a core, and no code can beat that.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.support.full_mnist import require_full_mnist  # noqa: E402


def train_three(folder: Path) -> list[Path]:
    paths = []
    for n, extra in enumerate(([], ["--augment"], ["--batch-size", "128"])):
        out = folder / f"bench-{n}.keras"
        subprocess.run(
            [sys.executable, "-m", "digitpad", "train", "--arch", "tutorial",
             "--epochs", "1", "--limit", "3000", "--seed", str(n), *extra,
             "--out", str(out)],
            check=True, capture_output=True,
        )  # fmt: skip
        paths.append(out)
    return paths


def fresh_cache() -> None:
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="digitpad-bench-cache-")


def time_core(models: list[Path]) -> float:
    from digitpad.core.training.comparison import load_test_set, open_model, score_all

    started = time.perf_counter()
    test = load_test_set()
    score_all([open_model(path) for path in models], test, lambda *_: None)
    return time.perf_counter() - started


def time_score_ahead(models: list[Path]) -> float:
    """What the app does in the background while the Models tab is in view
    (``score_ahead``): how long after the tab opens every answer is remembered."""
    from digitpad.core.training.comparison import load_test_set
    from digitpad.core.training.score_ahead import score_ahead

    started = time.perf_counter()
    score_ahead(models, load_test_set())
    return time.perf_counter() - started


def time_window(models: list[Path]) -> dict:
    """Imported before the meter starts: in the app the Training panel has already
    imported the window's modules (the first import alone paused 100-300 ms)."""
    from PySide6.QtCore import QEventLoop, QTimer

    from digitpad.gui.state import AppState
    from digitpad.gui.training.comparison_window import ComparisonWindow
    from tests.support.gui_gaps import GapMeter

    meter = GapMeter().start()
    started = time.perf_counter()
    window = ComparisonWindow([(p, "") for p in models], AppState())
    window.resize(1180, 800)
    window.show()
    loop = QEventLoop()
    failed: list[str] = []
    window.scoringFailed.connect(lambda m: (failed.append(m), loop.quit()))

    def check() -> None:
        shown = window.gallery.count() > 0 and not window.gallery._steps.running
        if len(window.results) == len(models) and shown:
            loop.quit()
        else:
            QTimer.singleShot(10, check)

    QTimer.singleShot(10, check)
    loop.exec()
    seconds = time.perf_counter() - started
    meter.stop()
    thumbnails = window.gallery.count()
    window.close()
    if failed:
        raise SystemExit(failed[0])
    return {
        "seconds": round(seconds, 2),
        "worst_pause_ms": meter.worst,
        "p99_pause_ms": round(meter.percentile(99), 1),
        "thumbnails": thumbnails,
        "slow_pauses": meter.slow[:5],
    }


def idle_pauses(ms: int = 3000) -> int:
    """The meter's worst gap with nothing to do: what the machine's load alone costs."""
    from PySide6.QtCore import QEventLoop, QTimer

    from tests.support.gui_gaps import GapMeter

    meter = GapMeter().start()
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    meter.stop()
    return meter.worst


def main() -> None:
    require_full_mnist()  # one line and exit, not a dialog or a download
    from PySide6.QtWidgets import QApplication

    import digitpad.gui.training.training_panel  # noqa: F401  (what the app imports)
    from digitpad.core.paths import shipped_model_path

    os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="digitpad-bench-")
    given = [Path(p) for p in sys.argv[1:]]
    extra = given or train_three(Path(tempfile.mkdtemp(prefix="digitpad-models-")))
    models = [shipped_model_path(), *extra][:4]
    app = QApplication.instance() or QApplication([])
    sys.setswitchinterval(0.001)  # as the app does (gui/app.py)
    fresh_cache()
    core_cold = time_core(models)
    core_warm = time_core(models)
    idle = idle_pauses()
    fresh_cache()
    window_cold = time_window(models)
    window_warm = time_window(models)
    fresh_cache()
    ahead = time_score_ahead(models)
    window_after_ahead = time_window(models)
    del app
    print(
        json.dumps(
            {
                "models": [p.name for p in models],
                "test_images": 10_000,
                "core_cold_s": round(core_cold, 2),
                "core_warm_s": round(core_warm, 2),
                "window_cold": window_cold,
                "window_warm": window_warm,
                "score_ahead_s": round(ahead, 2),
                "window_after_score_ahead": window_after_ahead,
                "idle_worst_pause_ms": idle,
                "load_average": os.getloadavg()[0],
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
