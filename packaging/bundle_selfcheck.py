"""The bundle proves it works: open the real window, draw a zero, wait for the answer.

``packaging/check_bundle.sh`` runs the built bundle with ``DIGITPAD_BUNDLE_SELFCHECK``
set to a PNG path. The app starts exactly as a user starts it (same window factory, same
background model load); once the shipped model is in, a zero is put on the canvas and
the first live prediction is reported as one JSON line on stdout, with a screenshot of
the window saved to the PNG. Exit 0 only if the window showed with all its panels, the
network said 0 and TensorFlow stayed out.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

TIMEOUT_MS = 60_000
EXPECTED_DIGIT = 0


def _zero_drawing():  # -> Drawing, imported late so that Qt starts first
    from digitpad.core.ink.drawing import Drawing

    points = [
        [200 + 60 * math.sin(t / 30 * math.pi), 200 - 100 * math.cos(t / 30 * math.pi)]
        for t in range(61)
    ]
    return Drawing(width=400, height=400, strokes=[points])


def run(screenshot: Path) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QDockWidget

    from digitpad.gui.app import OPTIONAL_PANELS, create_window, ensure_application

    app = ensure_application([sys.argv[0]])
    window = create_window()
    report: dict = {"ok": False, "error": "timed out waiting for a prediction"}

    def finish() -> None:
        window.grab().save(str(screenshot))
        report["screenshot"] = str(screenshot)
        app.quit()

    def model_changed(predictor) -> None:
        report["model"] = predictor.name
        report["backend"] = predictor.backend
        window.canvas.load_drawing(_zero_drawing())

    def result_changed(result) -> None:
        if result.prediction is None or "digit" in report:
            return
        report.update(
            digit=result.prediction.digit,
            confidence=round(result.prediction.confidence, 4),
            window_visible=window.isVisible(),
            window_title=window.windowTitle(),
            window_size=[window.width(), window.height()],
            panels=[dock.windowTitle() for dock in window.findChildren(QDockWidget)],
            tensorflow_imported="tensorflow" in sys.modules,
        )
        report["ok"] = (
            report["window_visible"]
            and report["digit"] == EXPECTED_DIGIT
            and not report["tensorflow_imported"]
            and len(report["panels"]) == len(OPTIONAL_PANELS)
        )
        report.pop("error")
        QTimer.singleShot(300, finish)  # let the panels paint before the screenshot

    def load_failed(message: str) -> None:
        report["error"] = f"the shipped model did not load: {message}"
        finish()

    window.loader.loadFailed.connect(load_failed)
    window.state.modelChanged.connect(model_changed)
    window.state.resultChanged.connect(result_changed)
    QTimer.singleShot(TIMEOUT_MS, finish)
    window.show()
    app.exec()
    print(json.dumps(report), flush=True)
    return 0 if report["ok"] else 1
