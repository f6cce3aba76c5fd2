"""The bundle proves it works: open the real window, draw a zero, wait for the answer.

``packaging/check_bundle.sh`` runs the built bundle with ``DIGITPAD_BUNDLE_SELFCHECK``
set to a PNG path. The app starts exactly as a user starts it (same window factory, same
background model load); once the shipped model is in, a zero is put on the canvas and
the first live prediction is reported as one JSON line on stdout, with a screenshot of
the window saved to the PNG. Exit 0 only if the window showed with all its panels, the
network said 0 and TensorFlow stayed out of the app's process.

With ``DIGITPAD_BUNDLE_SELFCHECK_DATA`` set to an MNIST ``.npz`` (the full bundle), it
then goes on as a learner would: the "Why this digit?" tab computes its maps, and a
one-epoch run started from the Training panel (300 images of that file, watching it
learn) must reach Keep, be kept and become the current model. Both run in helper
processes, which in a bundle are the bundle's own executable. The report carries wall
clock times (``time.time()``) so the caller can measure from its own launch.
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
from pathlib import Path

TIMEOUT_MS = 60_000
TRAIN_TIMEOUT_MS = 900_000  # TensorFlow's first import on a busy machine, then a run
EXPECTED_DIGIT = 0
TRAIN_IMAGES = 1_000  # the form's smallest size


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

    train_data = os.environ.get("DIGITPAD_BUNDLE_SELFCHECK_DATA")
    app = ensure_application([sys.argv[0]])
    window = create_window()
    report: dict = {"ok": False, "error": "timed out waiting for a prediction"}

    def finish() -> None:
        window.grab().save(str(screenshot))
        report["screenshot"] = str(screenshot)
        report["tensorflow_imported"] = "tensorflow" in sys.modules
        if report["tensorflow_imported"]:
            report["ok"] = False
        app.quit()

    def model_changed(predictor) -> None:
        if "model" in report:
            return
        report["model"] = predictor.name
        report["backend"] = predictor.backend
        window.canvas.load_drawing(_zero_drawing())

    def result_changed(result) -> None:
        if result.prediction is None or "digit" in report:
            return
        report.update(
            digit=result.prediction.digit,
            confidence=round(result.prediction.confidence, 4),
            first_prediction_at=time.time(),
            window_visible=window.isVisible(),
            window_title=window.windowTitle(),
            window_size=[window.width(), window.height()],
            panels=[dock.windowTitle() for dock in window.findChildren(QDockWidget)],
        )
        report["ok"] = (
            report["window_visible"]
            and report["digit"] == EXPECTED_DIGIT
            and "tensorflow" not in sys.modules
            and len(report["panels"]) == len(OPTIONAL_PANELS)
        )
        report.pop("error")
        if train_data and report["ok"]:
            report["ok"] = False
            report["error"] = "timed out in the saliency or training check"
            QTimer.singleShot(
                300, lambda: _learner(window, Path(train_data), report, finish)
            )
        else:
            QTimer.singleShot(300, finish)  # let the panels paint before the screenshot

    def load_failed(message: str) -> None:
        report["error"] = f"the shipped model did not load: {message}"
        finish()

    window.model_files.loader.loadFailed.connect(load_failed)
    window.state.modelChanged.connect(model_changed)
    window.state.resultChanged.connect(result_changed)
    QTimer.singleShot(TRAIN_TIMEOUT_MS if train_data else TIMEOUT_MS, finish)
    window.show()
    QTimer.singleShot(0, lambda: report.setdefault("window_shown_at", time.time()))
    app.exec()
    print(json.dumps(report), flush=True)
    return 0 if report["ok"] else 1


def _panel(window, class_name: str):
    from PySide6.QtWidgets import QWidget

    for widget in window.findChildren(QWidget):
        if type(widget).__name__ == class_name:
            return widget
    raise LookupError(f"no {class_name} in the window")


def _show_dock_of(widget) -> None:
    from PySide6.QtWidgets import QDockWidget

    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QDockWidget):
        parent = parent.parentWidget()
    if parent is not None:
        parent.show()
        parent.raise_()


def _learner(window, data: Path, report: dict, finish) -> None:
    """Saliency first, then a short run from the Training panel to Keep."""
    from PySide6.QtCore import QTimer

    activations = _panel(window, "ActivationPanel")
    training = _panel(window, "TrainingPanel")
    poll = QTimer(window)
    poll.setInterval(50)
    step = {"name": "saliency"}

    _show_dock_of(activations)
    saliency = activations.saliency
    for index in range(activations.tabs.count()):
        if activations.tabs.tabText(index) == "Why this digit?":
            activations.tabs.setCurrentIndex(index)
    report["saliency_requested_at"] = time.time()

    def start_training() -> None:
        _show_dock_of(training)
        form = training.form
        form.architecture.setCurrentIndex(form.architecture.findData("tutorial"))
        form.epochs.setValue(1)
        form.size.setValue(form.size.minimum())
        form.set_data_file(str(data))
        training.watch.setChecked(True)
        report["training_requested_at"] = time.time()
        training.start_button.click()
        worker = training._worker
        if worker is None:
            report["error"] = "Start training did not start a run"
            finish()
            return
        worker.batchesEnded.connect(
            lambda _b: report.setdefault("first_batch_at", time.time())
        )
        worker.trainingFailed.connect(lambda text: fail(f"training failed: {text}"))
        step["name"] = "training"

    def fail(text: str) -> None:
        poll.stop()
        report["error"] = text
        finish()

    def check() -> None:
        if step["name"] == "saliency":
            if saliency.last_saliency is not None:
                report["saliency_at"] = time.time()
                report["saliency_digit"] = int(saliency.last_saliency.digit)
                start_training()
            elif saliency.status.text().startswith("Could not"):
                fail(f"saliency: {saliency.status.text()}")
        elif step["name"] == "training":
            if training.results.keep_button.isEnabled():
                report["keep_ready_at"] = time.time()
                report["test_accuracy"] = training.results.headline.text()
                step["name"] = "keeping"
                training.results.keep_button.click()
        elif step["name"] == "keeping" and not training.is_saving():
            if training._outcome is not None or training.is_training():
                return  # not kept yet, or the run's thread is still ending
            from digitpad.core.paths import user_models_dir

            path = Path(getattr(window.state.predictor, "path", None) or "/")
            report["kept_path"] = str(path)
            poll.stop()
            report["ok"] = path.is_relative_to(user_models_dir())
            report.pop("error", None)
            QTimer.singleShot(300, finish)

    poll.timeout.connect(check)
    poll.start()
