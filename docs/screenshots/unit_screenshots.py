"""Make docs/screenshots/unit-conv.png and unit-softmax.png: a unit explained.

Run from the repository root under a real (virtual) X server, so the dialog is drawn
over the main window as a user sees it:
``xvfb-run -a -s "-screen 0 1280x900x24" python docs/screenshots/unit_screenshots.py``.
A 4 that could be a 9 is written on the canvas with real mouse events (shipped
model); a convolution unit of conv2 and the softmax's answer are explained, and the
screen's 1180x800 top-left corner (the window and the dialog over it) is saved, with a
thin frame drawn around the dialog (Xvfb has no window manager to draw one).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from PySide6.QtCore import QPoint, QSettings, Qt  # noqa: E402
from PySide6.QtGui import QColor, QPainter, QPen  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
# in a 400x400 box: a 4 whose top nearly closes, so the softmax hesitates with a 9
FOUR_OR_NINE = (
    ((230, 60), (150, 200), (290, 200), (250, 70)),
    ((250, 70), (235, 360)),
)


def _wait_for_result(window) -> None:
    while window.state.result is None or window.state.result.token != window.live.token:
        QTest.qWait(20)


def _save(app, window, dialog, name: str) -> None:
    dialog.move(window.x() + 360, window.y() + 40)
    dialog.resize(800, 740)
    dialog.show()
    dialog.raise_()
    QTest.qWait(400)
    shot = app.primaryScreen().grabWindow(0, 0, 0, 1180, 800)
    painter = QPainter(shot)
    painter.setPen(QPen(QColor(70, 70, 70), 2))
    painter.drawRect(dialog.frameGeometry().adjusted(-1, -1, 0, 0))
    painter.end()
    shot.save(str(OUT / name))
    print(OUT / name, dialog.explanation.kind, round(dialog.explanation.value, 4))


def main() -> None:
    app = QApplication(sys.argv)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp()
    )
    from digitpad.core.models.inference import load_predictor
    from digitpad.gui.app import create_window

    window = create_window(load_model=False, panels=True)
    window.move(0, 0)
    window.resize(1180, 800)
    window.show()
    predictor = load_predictor(kernels=True)
    window.state.set_predictor(predictor)
    QTest.qWait(300)
    canvas = window.canvas
    scale = 0.8 * min(canvas.width(), canvas.height()) / 400
    left = (canvas.width() - 400 * scale) / 2
    top = (canvas.height() - 400 * scale) / 2
    button, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    for stroke in FOUR_OR_NINE:
        corners = np.array(stroke, np.float64)
        dense = [
            corners[i] + t * (corners[i + 1] - corners[i])
            for i in range(len(corners) - 1)
            for t in np.linspace(0, 1, 20, endpoint=False)
        ] + [corners[-1]]
        points = [
            QPoint(round(left + x * scale), round(top + y * scale)) for x, y in dense
        ]
        QTest.mousePress(canvas, button, none, points[0])
        for point in points[1:]:
            QTest.mouseMove(canvas, point)
        QTest.mouseRelease(canvas, button, none, points[-1])
    _wait_for_result(window)
    viewer = next(p for p in window._panels if type(p).__name__ == "ActivationPanel")
    viewer.parentWidget().show()
    QTest.qWait(300)
    activations = window.state.result.prediction.activations
    conv = activations["conv2"]
    channel = int(np.argmax(conv.reshape(-1, conv.shape[-1]).max(axis=0)))
    row, col = np.unravel_index(np.argmax(conv[..., channel]), conv.shape[:2])
    dialog = viewer.open_unit("conv2", (int(row), int(col), channel))
    _save(app, window, dialog, "unit-conv.png")
    digit = int(np.argmax(window.state.result.prediction.probabilities))
    dialog = viewer.open_unit(predictor.layer_names[-1], (digit,))
    _save(app, window, dialog, "unit-softmax.png")
    window.close()
    app.quit()


if __name__ == "__main__":
    main()
