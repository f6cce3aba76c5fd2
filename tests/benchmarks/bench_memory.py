"""Memory over a long session: the app's RSS while drawing, then with its helper.

Run from the repository root: ``.venv/bin/python tests/benchmarks/bench_memory.py``
(offscreen Qt is the default; ``DIGITPAD_MNIST`` is used if set, else the test
subset; ``BENCH_DRAWINGS`` changes the 500). Prints one JSON object.

Phase 1: the whole window at its default size (1180x800, Training and Layer
activations docked and shown) draws 500 digits with real mouse events, one after
another, each read live and then cleared, as a user tries digit after digit. RSS
after the first 10 and after all 500; target (issue 20): under 40 MB growth.

Phase 2: a small training run (1,000 images, 1 epoch; discarded), a fine-tune on 50
samples and the "Why this digit?" view on a drawing; RSS of the app plus every helper
process it started, peak and after each step (target: under 1.2 GB), and how many
helper processes ran at once (target: one; after each run a fresh one replaces it).
Then, with the helper's idle timeout set short (``DIGITPAD_HELPER_IDLE_S``, 20 s
here), how long until the helper exits and what the app alone then holds; and that
the next saliency map brings a helper back.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="digitpad-bench-")
IDLE_S = float(os.environ.setdefault("DIGITPAD_HELPER_IDLE_S", "20"))
ROOT = Path(__file__).resolve().parents[2]
os.environ.setdefault("DIGITPAD_MNIST", str(ROOT / "tests/data/mnist-subset.npz"))
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QPoint, QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QDockWidget  # noqa: E402

from tests.support.digits import BUILDERS  # noqa: E402
from tests.support.finetune import digit_like  # noqa: E402

DRAWINGS = int(os.environ.get("BENCH_DRAWINGS", "500"))
FIRST = 10


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def helper_processes(pid: int) -> list[int]:
    """The TensorFlow helpers ``pid`` started (its children running the helper)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                command = cmdline.read()
        except (OSError, IndexError, ValueError):
            continue
        if parent == pid and b"tensorflow_process" in command:
            found.append(int(entry))
    return found


class Sampler:
    """Every 200 ms: app + helpers RSS (peak) and the helper pids seen."""

    def __init__(self) -> None:
        self.peak = 0.0
        self.phase = "start"
        self.peaks: dict[str, float] = {}
        self.most_helpers = 0
        self.helper_pids: set[int] = set()
        self._timer = QTimer()
        self._timer.setInterval(200)
        self._timer.timeout.connect(self.sample)
        self._timer.start()

    def sample(self) -> float:
        helpers = helper_processes(os.getpid())
        self.helper_pids.update(helpers)
        self.most_helpers = max(self.most_helpers, len(helpers))
        total = rss_mb(os.getpid()) + sum(rss_mb(p) for p in helpers)
        self.peak = max(self.peak, total)
        self.peaks[self.phase] = round(max(self.peaks.get(self.phase, 0.0), total), 1)
        return total

    def enter(self, phase: str) -> None:
        self.phase = phase


def run_loop(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_until(condition, timeout_s: float = 600.0, what: str = "") -> float:
    """Run the event loop until ``condition()``; the seconds it took."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout_s:
            raise SystemExit(f"timed out waiting for {what}")
        run_loop(10)
    return time.monotonic() - start


def draw(widget, points) -> None:
    """One stroke with real mouse events, the event loop running between moves."""
    pts = [QPoint(round(x), round(y)) for x, y in points]
    button, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QTest.mousePress(widget, button, none, pts[0])
    for p in pts[1:]:
        QTest.mouseMove(widget, p)
        QApplication.processEvents()
    QTest.mouseRelease(widget, button, none, pts[-1])


def draw_digit(window, index: int) -> None:
    """A digit somewhere on the canvas (never twice the same strokes), read live."""
    canvas = window.canvas
    w, h = canvas.width(), canvas.height()
    size = min(w, h) * (0.35 + 0.15 * (index % 5) / 4)
    x = (w - 0.8 * size) * (0.1 + 0.8 * ((index * 37) % 101) / 100)
    y = (h - size) * (0.1 + 0.8 * ((index * 53) % 97) / 96)
    digit = list(BUILDERS)[index % len(BUILDERS)]
    for stroke in BUILDERS[digit](x, y, size):
        draw(canvas, stroke)
    read = window.state
    wait_until(
        lambda: read.result is not None and read.result.token == window.live.token,
        what="the live reading",
    )


def main() -> None:
    json_out = os.fdopen(os.dup(1), "w")  # TensorFlow may print to stdout
    os.dup2(2, 1)
    app = QApplication(sys.argv)  # noqa: F841
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp()
    )
    from digitpad.core.handwriting.finetune import FinetuneConfig
    from digitpad.core.handwriting.samples import HandwritingStore
    from digitpad.core.helpers.tensorflow_helper import shared_helper
    from digitpad.core.models.inference import load_predictor
    from digitpad.gui import create_window
    from digitpad.gui.activations.activation_panel import TABS

    window = create_window(load_model=False)
    window.resize(1180, 800)
    window.show()
    window.state.set_predictor(load_predictor())
    docks = {
        name: window.findChild(QDockWidget, name)
        for name in ("TrainingDock", "ActivationsDock")
    }
    for dock in docks.values():
        dock.show()
    docks["ActivationsDock"].raise_()  # its layer cards redraw at every drawing
    run_loop(1000)
    training, viewer = (docks[n].widget() for n in ("TrainingDock", "ActivationsDock"))
    me = os.getpid()

    # ---------------------------------------------------------------- phase 1
    started = time.monotonic()
    rss: dict[int, float] = {}
    for index in range(DRAWINGS):
        draw_digit(window, index)
        run_loop(20)
        window.canvas.clear()
        if index + 1 in (FIRST, 100, 250, DRAWINGS):
            run_loop(300)
            rss[index + 1] = round(rss_mb(me), 1)
            print(f"{index + 1} drawings: {rss[index + 1]} MB", file=sys.stderr)
    drawing_s = time.monotonic() - started
    cache = window.live._cache

    # ---------------------------------------------------------------- phase 2
    sampler = Sampler()
    helper = shared_helper()
    docks["TrainingDock"].raise_()
    training.form.size.setValue(1)
    training.form.epochs.setValue(1)
    sampler.enter("training")
    training.start_button.click()
    train_s = wait_until(lambda: not training.is_training(), what="training")
    run_loop(500)
    after_training = sampler.sample()
    training.discard()  # the shipped model stays current

    samples = HandwritingStore(Path(tempfile.mkdtemp()) / "handwriting")
    for i in range(50):
        samples.add(digit_like(i % 10, i // 10), i % 10)
    training.finetune.config = FinetuneConfig(epochs=1, folds=2, mnist_test_limit=1000)
    window.state.set_handwriting(samples)
    wait_until(training.finetune.start_button.isEnabled, what="fine-tune enabled")
    sampler.enter("finetune")
    training.finetune.start_button.click()
    finetune_s = wait_until(lambda: not training.is_training(), what="fine-tuning")
    run_loop(500)
    after_finetune = sampler.sample()
    training.discard()

    docks["ActivationsDock"].raise_()
    viewer.tabs.setCurrentIndex(TABS.index("saliency"))
    viewer.refresh()
    saliency = viewer.saliency
    sampler.enter("saliency")
    draw_digit(window, 0)
    saliency_s = wait_until(
        lambda: saliency.last_saliency is not None, what="the saliency map"
    )
    run_loop(500)
    after_saliency = sampler.sample()
    pid_saliency = helper.pid
    helpers_mb = sum(rss_mb(p) for p in helper_processes(me))

    # ---------------------------------------------------------------- idle
    idle_started = time.monotonic()
    wait_until(
        lambda: not helper_processes(me), timeout_s=IDLE_S + 120, what="idle exit"
    )
    helper_exit_s = time.monotonic() - idle_started
    run_loop(300)
    app_alone = rss_mb(me)
    window.canvas.clear()
    wait_until(lambda: saliency.last_saliency is None, what="the cleared view")
    draw_digit(window, 1)
    back_s = wait_until(
        lambda: saliency.last_saliency is not None, what="saliency after idling"
    )
    back_pid = helper.pid
    window.close()

    print(
        json.dumps(
            {
                "benchmark": "memory",
                "window": [1180, 800],
                "canvas": [window.canvas.width(), window.canvas.height()],
                "drawings": DRAWINGS,
                "rss_mb_after_drawings": rss,
                "growth_mb_after_first_10": round(rss[DRAWINGS] - rss[FIRST], 1),
                "target_growth_mb": 40,
                "drawing_phase_s": round(drawing_s, 1),
                "live_cache_entries": len(cache),
                "live_cache_kb": round(cache.nbytes / 1024, 1),
                "total_rss_mb_after_training": round(after_training, 1),
                "total_rss_mb_after_finetune": round(after_finetune, 1),
                "total_rss_mb_after_saliency": round(after_saliency, 1),
                "total_rss_mb_peak": round(sampler.peak, 1),
                "total_rss_mb_peak_by_phase": sampler.peaks,
                "target_total_mb": 1200,
                "helpers_alive_at_once_max": sampler.most_helpers,
                "helper_pids_seen": len(sampler.helper_pids),
                "helpers_rss_mb_after_saliency": round(helpers_mb, 1),
                "seconds": {
                    "training": round(train_s, 1),
                    "finetune": round(finetune_s, 1),
                    "saliency": round(saliency_s, 1),
                    "saliency_after_idle_exit": round(back_s, 1),
                },
                "idle_timeout_s": IDLE_S,
                "helper_exited_after_idle_s": round(helper_exit_s, 1),
                "app_alone_rss_mb_after_helper_exit": round(app_alone, 1),
                "helper_back_after_idle": back_pid not in (None, pid_saliency),
                "helpers_started": helper.started,
                "load_average": [round(x, 2) for x in os.getloadavg()],
            },
            indent=1,
        ),
        file=json_out,
        flush=True,
    )


if __name__ == "__main__":
    main()
