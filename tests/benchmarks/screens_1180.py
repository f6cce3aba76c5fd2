"""Screenshots of the real window at the default size (1180 x 800, both panels open).

Run from the repository root, with a folder for the PNGs:
``xvfb-run -a -s "-screen 0 1280x900x24" python tests/benchmarks/screens_1180.py OUT``
(or ``QT_QPA_PLATFORM=offscreen``). Nothing is asserted: the pictures are for a person
to look at (issue 20: nothing cut off, no sideways scroll bar in a panel). A digit is
written with real mouse events; the training results come from a one-epoch run on
tests/data/mnist-subset.npz in the helper process (about a minute). Settings, models
and samples go to a temp folder. Prints one JSON object: the files and what each shows.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from PySide6.QtCore import QPoint, QSettings, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QDockWidget, QScrollArea  # noqa: E402

from tests.support.data import MNIST_SUBSET  # noqa: E402
from tests.support.digits import written_number  # noqa: E402

SIZE = (1180, 800)


def wait_until(condition, timeout_s: float = 300.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("gave up waiting")
        QTest.qWait(50)


def write(canvas, text: str, left: float, top: float, height: float, gap=0.25):
    button, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    for stroke in written_number(text, left, top, height, gap):
        points = [QPoint(round(x), round(y)) for x, y in stroke]
        QTest.mousePress(canvas, button, none, points[0])
        for point in points[1:]:
            QTest.mouseMove(canvas, point)
        QTest.mouseRelease(canvas, button, none, points[-1])


def settle(window) -> None:
    wait_until(
        lambda: (
            window.state.result is not None
            and window.state.result.token == window.live.token
        )
    )
    QTest.qWait(300)


def horizontal_bars(widget) -> list[str]:
    """Scroll areas inside ``widget`` that show a sideways scroll bar."""
    return [
        area.accessibleName() or area.widget().accessibleName() or type(area).__name__
        for area in widget.findChildren(QScrollArea)
        if area.isVisible() and area.horizontalScrollBar().isVisible()
    ]


def main(out: Path) -> dict:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    temp = Path(tempfile.mkdtemp(prefix="digitpad-screens-"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(temp))
    from digitpad.core import paths
    from digitpad.core.models.inference import load_predictor
    from digitpad.gui import create_window

    paths.user_data_dir = lambda: temp / "user"  # models and samples stay out of ~
    window = create_window(load_model=False, panels=True)
    window.resize(*SIZE)
    window.show()
    window.state.set_predictor(load_predictor())
    docks = {d.objectName(): d for d in window.findChildren(QDockWidget)}
    training_dock, activations_dock = docks["TrainingDock"], docks["ActivationsDock"]
    training, viewer = training_dock.widget(), activations_dock.widget()
    out.mkdir(parents=True, exist_ok=True)
    report: dict = {"size": list(SIZE), "screens": {}}

    def shot(name: str, what: str, widget=None) -> None:
        QTest.qWait(400)
        path = out / f"{name}.png"
        (widget or window).grab().save(str(path))
        report["screens"][name] = {"file": str(path), "shows": what}

    canvas = window.canvas
    # as in issue 20: a digit drawn with the panels closed, then both opened
    height = 0.7 * canvas.height()
    write(
        canvas, "2", canvas.width() / 2 - 0.375 * height, 0.15 * canvas.height(), height
    )
    settle(window)
    shot("canvas-no-panels-before", "the digit drawn with every panel closed")
    for dock in (training_dock, activations_dock):
        dock.toggleViewAction().trigger()  # as the tool bar's buttons do
    activations_dock.raise_()
    settle(window)
    layers = len(window.state.predictor.layers())
    wait_until(
        lambda: len(viewer.layers.cards) == layers and viewer.layers.cards[-1].softmax
    )
    viewer.tabs.setCurrentIndex(0)
    viewer.refresh()
    QTest.qWait(500)
    report["activations_horizontal_bars"] = horizontal_bars(viewer)
    shot("activations-top", "Layer activations, top: input and conv1 cards")
    softmax = next(card for card in viewer.layers.cards if card.softmax)
    viewer.layers.layers_scroll.ensureWidgetVisible(softmax)
    QTest.qWait(500)  # the cards that came into view are drawn anew, move it
    viewer.layers.layers_scroll.ensureWidgetVisible(softmax)
    shot("activations-softmax", "Layer activations scrolled to the softmax card")
    viewer.tabs.setCurrentIndex(1)
    shot("activations-filters", "Filters tab: learned filters and the playground")
    viewer.tabs.setCurrentIndex(2)
    wait_until(lambda: viewer.saliency.last_saliency is not None, 120)
    shot("saliency", "Why this digit?: input, gradient saliency, Grad-CAM")
    viewer.tabs.setCurrentIndex(3)
    shot("preprocessing", "Preprocessing stages")

    training_dock.raise_()
    training.tabs.setCurrentWidget(training.finetune_results)
    shot("training-your-digits-empty", "Your digits tab before any fine-tune")
    training.form.set_data_file(str(MNIST_SUBSET))
    training.form.epochs.setValue(1)
    training.start_button.click()
    wait_until(lambda: not training.is_training(), 300)
    if training.has_undecided_model():
        training.tabs.setCurrentWidget(training.results)
        shot("training-results", "Results of a one-epoch run on the MNIST subset")
        training.tabs.setCurrentWidget(training.curves)
        shot("training-curves", "Curves of the one-epoch run")
        training.discard()
    else:
        report["training"] = training.progress.status.text()

    for dock in docks.values():
        if dock.isVisible():
            dock.toggleViewAction().trigger()
    settle(window)
    shot("canvas-after-closing-panels", "every panel closed again: the drawing")
    canvas.clear()
    write(canvas, "2026", 0.08 * canvas.width(), 0.3 * canvas.height(), 120, -0.3)
    settle(window)
    shot("canvas-number-tight", "2026 written with overlapping boxes: their labels")
    report["window_size"] = list(window.size().toTuple())
    training.shutdown(5.0)
    viewer.saliency.stop()
    window.close()
    app.processEvents()
    return report


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: screens_1180.py OUTPUT_FOLDER")
    json_out = os.fdopen(os.dup(1), "w")  # TensorFlow prints to stdout
    os.dup2(2, 1)
    print(json.dumps(main(Path(sys.argv[1]))), file=json_out, flush=True)
