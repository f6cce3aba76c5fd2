"""Startup benchmark: time to window, vs. a window that imports TensorFlow first; RSS.

Each measurement is a fresh Python process on the offscreen platform, timed from
launch until the main window is exposed and has painted its first frame (so
interpreter start-up and imports count, as a user feels them; the work the app queues
after its first frame, model loading and panel docking, does not). Prints one JSON
object. Targets (issue 4): time to window <= 0.7 s, <= 0.2x the TensorFlow-first
time, RSS after the first prediction <= 250 MB.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

CHILD = r"""
import sys, time
if sys.argv[1] == "tensorflow":
    import tensorflow  # noqa: F401  - what a naive app would do before its window
from PySide6.QtCore import QEvent, QObject, QSettings
QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, sys.argv[2])
from digitpad.gui.app import create_window, ensure_application
app = ensure_application()
window = create_window(defer_panels=True)
class FirstPaint(QObject):
    painted = False
    def eventFilter(self, watched, event):
        self.painted = self.painted or event.type() == QEvent.Type.Paint
        return False
first_paint = FirstPaint()
window.installEventFilter(first_paint)
window.show()
# the first frame is painted inside the processEvents() call that exposes the window;
# stop there, before the next call runs the work queued after that frame
while not (window.windowHandle() and window.windowHandle().isExposed()
           and first_paint.painted):
    app.processEvents()
print("SHOWN", flush=True)
if sys.argv[1] == "lite":
    from digitpad.core.ink.drawing import Drawing
    deadline = time.monotonic() + 60
    while window.state.predictor is None and time.monotonic() < deadline:
        app.processEvents()
    window.live.schedule(Drawing(400, 400, (((200.0, 60.0), (204.0, 340.0)),), 16))
    while window.state.result is None and time.monotonic() < deadline:
        app.processEvents()
    status = open("/proc/self/status").read().split("\n")
    rss = {l.split(":")[0]: int(l.split()[1]) for l in status if l.startswith("Vm")}
    print("RSS", rss["VmRSS"], rss["VmHWM"], window.state.result.prediction.digit,
          "tensorflow" in sys.modules, flush=True)
window.close()
"""


def run_once(mode: str) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TF_CPP_MIN_LOG_LEVEL": "3"}
    with tempfile.TemporaryDirectory() as settings:
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, mode, settings],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        result: dict = {}
        for line in child.stdout:
            if line.startswith("SHOWN"):
                result["shown_s"] = time.perf_counter() - start
            elif line.startswith("RSS"):
                _, rss, peak, digit, tf = line.split()
                result.update(
                    rss_mb=int(rss) / 1024,
                    peak_rss_mb=int(peak) / 1024,
                    digit=int(digit),
                    tensorflow_imported=tf == "True",
                )
        child.wait(timeout=120)
    return result


def main(repeats: int = 5) -> dict:
    lite = [run_once("lite") for _ in range(repeats)]
    heavy = [run_once("tensorflow") for _ in range(max(2, repeats // 2))]
    shown = statistics.median(r["shown_s"] for r in lite)
    shown_tf = statistics.median(r["shown_s"] for r in heavy)
    rss = max(r["rss_mb"] for r in lite)
    report = {
        "time_to_window_s": round(shown, 3),
        "time_to_window_all_s": [round(r["shown_s"], 3) for r in lite],
        "time_to_window_tensorflow_first_s": round(shown_tf, 3),
        "ratio": round(shown / shown_tf, 3),
        "rss_after_first_prediction_mb": round(rss, 1),
        "peak_rss_mb": round(max(r["peak_rss_mb"] for r in lite), 1),
        "first_prediction_digit": lite[0]["digit"],
        "tensorflow_imported": any(r["tensorflow_imported"] for r in lite),
        "targets": {"time_to_window_s": 0.7, "ratio": 0.2, "rss_mb": 250},
    }
    report["meets_targets"] = shown <= 0.7 and shown / shown_tf <= 0.2 and rss <= 250
    return report


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)))
