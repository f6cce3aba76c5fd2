"""Make docs/screenshots/teach.png and finetune.png: the teach session and the result
of fine-tuning the shipped model on one writer's digits.

Run from the repository root (about a minute; fine-tuning runs in the helper process):
``QT_QPA_PLATFORM=offscreen python docs/screenshots/handwriting_screenshots.py``.
The writer's digits are pen-written ones from the development set (../shared), drawn
onto the teach canvas with real mouse events; settings and samples go to a temp dir.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QPoint, QSettings, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

DEV = ROOT.parent / "shared" / "strokes-dev" / "unipen-1a-dev.json"
WRITER = "val:val01"
OUT = ROOT / "docs" / "screenshots"


def writer_drawings():
    from digitpad.core.ink.drawing import parse_drawing

    entries = [e for e in json.loads(DEV.read_text()) if e.get("writer") == WRITER]
    return [(parse_drawing(e), e["label"]) for e in entries]


def wait_until(condition, timeout_ms: int = 300_000, say=lambda: "") -> None:
    waited = 0
    while not condition():
        QTest.qWait(50)
        waited += 50
        if waited % 5000 == 0 and say():
            print(say(), flush=True)
        if waited > timeout_ms:
            raise TimeoutError(f"gave up waiting: {say()}")


def draw(canvas, drawing) -> None:
    scale = min(canvas.width() / drawing.width, canvas.height() / drawing.height)
    left = (canvas.width() - drawing.width * scale) / 2
    top = (canvas.height() - drawing.height * scale) / 2
    button, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    for stroke in drawing.strokes:
        points = [
            QPoint(round(left + x * scale), round(top + y * scale)) for x, y in stroke
        ]
        QTest.mousePress(canvas, button, none, points[0])
        for point in points[1:]:
            QTest.mouseMove(canvas, point)
        QTest.mouseRelease(canvas, button, none, points[-1])


def teach_shot(window, drawings) -> None:
    from digitpad.core.handwriting.teach_plan import TeachPlan
    from digitpad.gui.window.teach_dialog import PLAN_KEY

    plan = TeachPlan.new(5, seed=4)
    plan.done = [None] * 16  # round 2, the 17th of 50
    QSettings().setValue(PLAN_KEY, plan.to_json())
    dialog = window.handwriting.show_teach()
    dialog.resize(460, 620)
    QTest.qWait(200)
    digit = dialog.plan.digit
    drawing = next(d for d, label in drawings[20:] if label == digit)
    draw(dialog.canvas, drawing)
    QTest.qWait(300)
    dialog.grab().save(str(OUT / "teach.png"))
    print(f"teach.png: {dialog.prompt.text()}, {dialog.where.text()}")
    dialog.close()


def finetune_shot(state, drawings) -> None:
    from digitpad.gui.training import training_panel
    from digitpad.gui.training.training_panel import TrainingPanel

    def report(parent, title, message) -> None:  # no modal box in a script
        print(f"{title}: {message}", flush=True)

    training_panel.show_error = report

    per_digit: dict[int, int] = {}
    for drawing, label in drawings:
        if per_digit.get(label, 0) < 5:
            per_digit[label] = per_digit.get(label, 0) + 1
            state.handwriting.add(drawing, label)
    state.samplesChanged.emit()
    panel = TrainingPanel(state)
    panel.resize(760, 860)
    panel.show()
    wait_until(lambda: panel.finetune.start_button.isEnabled())
    panel.finetune.start_button.click()
    wait_until(lambda: not panel.is_training(), say=panel.progress.status.text)
    QTest.qWait(300)
    panel.grab().save(str(OUT / "finetune.png"))
    print(f"finetune.png: {panel.progress.status.text()}")
    panel.discard()
    panel.shutdown(5.0)


def main() -> None:
    app = QApplication(sys.argv)
    temp = Path(tempfile.mkdtemp())
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(temp))
    from digitpad.core import paths
    from digitpad.core.handwriting.samples import HandwritingStore
    from digitpad.core.models.inference import load_predictor
    from digitpad.gui import create_window

    paths.user_data_dir = lambda: temp / "user"  # models and samples stay out of ~
    window = create_window(load_model=False, panels=False)
    window.resize(1180, 800)
    window.show()
    window.state.set_predictor(load_predictor())
    window.state.set_handwriting(HandwritingStore(temp / "user" / "handwriting"))
    drawings = writer_drawings()
    teach_shot(window, drawings)
    finetune_shot(window.state, drawings)
    window.close()
    app.quit()


if __name__ == "__main__":
    main()
