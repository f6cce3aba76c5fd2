"""GUI fixtures: isolated QSettings, the shipped model, a main window, a pen.

Every test gets its own settings directory, so nothing leaks between tests or into
the user's real configuration; the window is built with ``create_window`` exactly as
the app does, minus the background model load (tests set the model directly, or
exercise the loader on purpose).
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from digitpad.core.handwriting.samples import HandwritingStore
from digitpad.core.models.inference import Predictor
from tests.support.digits import ellipse_stroke, line_stroke


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, qapp):
    """QSettings() in the code under test writes below this test's tmp dir."""
    folder = tmp_path / "settings"
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder))
    yield folder
    QSettings().clear()


@pytest.fixture
def predictor(shipped_predictor: Predictor) -> Predictor:
    return shipped_predictor


@pytest.fixture
def window_store(window, tmp_path) -> HandwritingStore:
    """An empty sample store of the user's handwriting, in use by ``window``."""
    store = HandwritingStore(tmp_path / "handwriting")
    window.state.set_handwriting(store)
    return store


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
        return [tuple(p) for p in line_stroke(x0, y0, x1, y1, n)]

    @staticmethod
    def ellipse(cx: float, cy: float, rx: float, ry: float, n: int = 48) -> list:
        return [tuple(p) for p in ellipse_stroke(cx, cy, rx, ry, n + 1)]

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


@pytest.fixture
def offline(monkeypatch, tmp_path):
    """No MNIST on this computer and no network, also in the training helper: Keras's
    download goes through a proxy that refuses every connection, so it fails at once
    as it does offline ("URL fetch failure ...")."""
    from digitpad.core.helpers.tensorflow_helper import close_shared_helper

    monkeypatch.delenv("DIGITPAD_MNIST", raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    close_shared_helper()  # started earlier, it has the old environment
    yield tmp_path / "keras" / "datasets" / "mnist.npz"  # where Keras would cache it
    close_shared_helper()  # started for the run, it has this one
