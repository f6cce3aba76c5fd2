"""Make docs/screenshots/number.png: the main window reading a hand-drawn "2026".

Run from the repository root:
``QT_QPA_PLATFORM=offscreen python docs/screenshots/number_screenshot.py``.
The number is written with real mouse events, as in tests/gui, with the shipped model.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QPoint, QSettings, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from tests.support.digits import written_number  # noqa: E402


def main(out: Path = ROOT / "docs" / "screenshots" / "number.png") -> None:
    app = QApplication(sys.argv)
    settings = tempfile.mkdtemp()  # the user's own layout stays out of the picture
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings)
    from digitpad.core.models.inference import load_predictor
    from digitpad.gui import create_window

    window = create_window(load_model=False, panels=False)
    window.resize(1180, 800)
    window.show()
    window.state.set_predictor(load_predictor())
    QTest.qWait(100)
    canvas = window.canvas
    height = 0.26 * canvas.height()
    left, top = 0.1 * canvas.width(), 0.3 * canvas.height()
    button, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    for stroke in written_number("2026", left, top, height):
        points = [QPoint(round(x), round(y)) for x, y in stroke]
        QTest.mousePress(canvas, button, none, points[0])
        for point in points[1:]:
            QTest.mouseMove(canvas, point)
        QTest.mouseRelease(canvas, button, none, points[-1])
    while window.state.result is None or window.state.result.token != window.live.token:
        QTest.qWait(20)
    window.state.select_digit(1)  # show that a digit can be picked: the 0
    QTest.qWait(300)
    window.grab().save(str(out))
    print(f"{out}: reads {window.state.result.reading.number}")
    window.close()
    app.quit()


if __name__ == "__main__":
    main()
