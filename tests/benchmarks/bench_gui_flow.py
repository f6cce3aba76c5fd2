"""The longest freeze of the GUI thread over whole user flows, phase by phase.

Run with DIGITPAD_MNIST pointing at mnist.npz (offscreen Qt is the default):
``.venv/bin/python tests/benchmarks/bench_gui_flow.py``. Prints one JSON object.

The whole app (``create_window``, both panels docked and shown) runs its own event loop
while a 5 ms QTimer on the GUI thread records the longest gap between its ticks, per
phase: pressing Start (TensorFlow's first import included), the epochs with "watch it
learn" on, the moment the results appear, Keep, a badly trained run and its Discard,
switching models from the library, and the activation viewer with the new model.
Target (issue 12): no gap over 50 ms anywhere.
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

from PySide6.QtCore import QElapsedTimer, QEventLoop, QObject, QSettings, QTimer, Slot

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # tests.support, when run as a script
from tests.support.full_mnist import require_full_mnist  # noqa: E402

IMAGES = int(os.environ.get("BENCH_IMAGES", "3000"))
EPOCHS = int(os.environ.get("BENCH_EPOCHS", "2"))
SETTLE_MS = 1500  # after each step, how long the loop keeps running (late work shows)


class GapMeter(QObject):
    """Ticks every 5 ms on the GUI thread; the longest gap per phase, and where."""

    def __init__(self) -> None:
        super().__init__()
        self.phase = "idle"
        self.longest: dict[str, int] = {}
        self._clock = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setInterval(5)
        self._timer.timeout.connect(self.tick)
        self._clock.start()
        self._timer.start()

    def enter(self, phase: str) -> None:
        self.phase = phase
        self.longest.setdefault(phase, 0)

    @Slot()
    def tick(self) -> None:
        gap = self._clock.restart()
        self.longest[self.phase] = max(self.longest.get(self.phase, 0), gap)


def run_until(condition, timeout_s: float = 600.0) -> None:
    """Run the event loop until ``condition()`` holds (checked every 10 ms)."""
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(10)
    deadline = time.monotonic() + timeout_s

    def check() -> None:
        if condition() or time.monotonic() > deadline:
            loop.quit()

    poll.timeout.connect(check)
    poll.start()
    loop.exec()
    poll.stop()
    if not condition():
        raise SystemExit(f"timed out waiting in phase {meter.phase}")


def settle(ms: int = SETTLE_MS) -> None:
    end = time.monotonic() + ms / 1000
    run_until(lambda: time.monotonic() >= end)


def train(panel, phase: str, *, lr: float, images: int, epochs: int) -> None:
    panel.form.size.setValue(max(1, images // 1000))
    panel.form.epochs.setValue(epochs)
    panel.form.learning_rate.setValue(lr)
    meter.enter(f"{phase}: start")
    panel.start_button.click()
    run_until(lambda: panel.progress.bar.value() > 0 or not panel.is_training())
    meter.enter(f"{phase}: epochs")
    run_until(lambda: not panel.is_training())
    meter.enter(f"{phase}: results appear")
    settle()


meter: GapMeter


def main() -> None:
    require_full_mnist()  # one line and exit, not a dialog or a download
    global meter
    json_out = os.fdopen(os.dup(1), "w")  # TensorFlow prints to stdout
    os.dup2(2, 1)
    QSettings.setPath(
        QSettings.Format.NativeFormat,
        QSettings.Scope.UserScope,
        tempfile.mkdtemp(prefix="digitpad-settings-"),
    )
    from digitpad.gui.app import create_window, ensure_application

    app = ensure_application(sys.argv[:1])  # noqa: F841
    window = create_window(defer_panels=True)  # as the app starts
    window.resize(1400, 900)
    meter = GapMeter()
    meter.enter("first frame")  # bench_startup.py times this one
    window.show()
    run_until(lambda: window.windowHandle() and window.windowHandle().isExposed())
    meter.enter("after the first frame: model load, panels docked")
    wanted = {"TrainingPanel", "ActivationPanel"}

    def panels_by_name() -> dict:
        return {type(p).__name__: p for p in window._panels}

    run_until(
        lambda: window.state.predictor is not None and wanted <= set(panels_by_name())
    )
    panels = panels_by_name()
    panel, viewer = panels["TrainingPanel"], panels["ActivationPanel"]
    for p in (panel, viewer):
        p.parentWidget().show()
    panel.watch.setChecked(True)
    settle()

    train(panel, "good run", lr=0.001, images=IMAGES, epochs=EPOCHS)
    meter.enter("keep")
    panel.results.keepRequested.emit()
    run_until(lambda: not panel.is_saving() and not panel.has_undecided_model())
    settle()

    train(panel, "badly trained run", lr=0.00001, images=1000, epochs=1)
    meter.enter("discard")
    panel.results.discardRequested.emit()
    settle()

    meter.enter("switch models")
    models = panel.models
    for row in range(models.list.count()):
        models.list.setCurrentRow(row)
        models.use_selected()
        settle(600)
    meter.enter("activation viewer with the new model")
    viewer.refresh()
    settle()

    del meter.longest["first frame"]
    worst_phase = max(meter.longest, key=meter.longest.get)
    print(
        json.dumps(
            {
                "benchmark": "gui_flow",
                "images": IMAGES,
                "epochs": EPOCHS,
                "longest_gap_ms_by_phase": meter.longest,
                "worst_gap_ms": meter.longest[worst_phase],
                "worst_phase": worst_phase,
                "target_gap_ms": 50,
                "cpu_count": os.cpu_count(),
                "load_average": [round(x, 2) for x in os.getloadavg()],
            }
        ),
        file=json_out,
        flush=True,
    )
    window.close()


if __name__ == "__main__":
    main()
