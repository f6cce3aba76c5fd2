"""GUI fixtures: isolated QSettings, the shipped model, a main window, a pen.

Every test gets its own settings directory, so nothing leaks between tests or into
the user's real configuration; the window is built with ``create_window`` exactly as
the app does, minus the background model load (tests set the model directly, or
exercise the loader on purpose).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from digitpad.core.inference import Predictor, load_predictor


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, qapp):
    """QSettings() in the code under test writes below this test's tmp dir."""
    folder = tmp_path / "settings"
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder))
    yield folder
    QSettings().clear()


@pytest.fixture(scope="session")
def predictor() -> Predictor:
    """The shipped model (LiteRT), loaded once per session."""
    return load_predictor()


@pytest.fixture
def window(qtbot, predictor):
    from digitpad.gui import create_window

    win = create_window(load_model=False, panels=False)
    qtbot.addWidget(win)
    win.resize(1180, 800)
    win.show()
    qtbot.waitExposed(win)
    win.state.set_predictor(predictor)
    return win


class Pen:
    """Draws on widgets with real mouse events and waits for the live prediction."""

    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot

    def draw(self, widget: QWidget, points: Iterable[tuple[float, float]]) -> None:
        """Press, move through ``points`` and release: one stroke, as a user draws."""
        pts = [QPoint(round(x), round(y)) for x, y in points]
        left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        QTest.mousePress(widget, left, none, pts[0])
        for p in pts[1:]:
            QTest.mouseMove(widget, p)
        QTest.mouseRelease(widget, left, none, pts[-1])

    @staticmethod
    def line(x0: float, y0: float, x1: float, y1: float, n: int = 25) -> list:
        return [(x0 + (x1 - x0) * i / n, y0 + (y1 - y0) * i / n) for i in range(n + 1)]

    @staticmethod
    def ellipse(cx: float, cy: float, rx: float, ry: float, n: int = 48) -> list:
        step = 2 * math.pi / n
        return [
            (cx + rx * math.sin(i * step), cy - ry * math.cos(i * step))
            for i in range(n + 1)
        ]

    def settle(self, win) -> str:
        """Wait for the prediction of the current canvas; return the digit shown."""
        self.qtbot.waitUntil(
            lambda: (
                win.state.result is not None
                and win.state.result.token == win.live.token
            ),
            timeout=5000,
        )
        return win.prediction.digit.text()


@pytest.fixture
def pen(qtbot) -> Pen:
    return Pen(qtbot)
