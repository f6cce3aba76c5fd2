"""The window as a whole: launch, models, docks, settings, About."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMessageBox,
    QWidget,
)

from digitpad.core.models.inference import load_predictor
from digitpad.core.paths import shipped_model_path
from digitpad.gui.window.about_dialog import AboutDialog

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

ACCESSIBLE = [
    "Drawing canvas",
    "Predicted digit",
    "Class probabilities",
    "Network input preview",
    "Clear",
    "Undo",
    "Redo",
    "Pen width",
]


def test_title_icon_and_accessible_names(window):
    assert window.windowTitle() == "DigitPad"
    assert not window.windowIcon().isNull()
    names = {w.accessibleName() for w in window.findChildren(QWidget)}
    assert set(ACCESSIBLE) <= names


def test_model_in_use_is_visible(window, predictor):
    label = next(
        w for w in window.findChildren(QLabel) if w.accessibleName() == "Model in use"
    )
    assert predictor.name in label.text() and "compact" in label.text()
    assert "% on MNIST test" in label.text()


def test_shipped_model_loads_in_the_background(qtbot):
    from digitpad.gui import create_window

    win = create_window(panels=False)  # load_model=True: starts once the loop runs
    qtbot.addWidget(win)
    win.show()
    assert win.state.predictor is None  # the window does not wait for the model
    with qtbot.waitSignal(win.state.modelChanged, timeout=30000):
        pass
    assert win.state.predictor.name == "digitpad-mnist"


def test_app_start_up_paints_the_window_before_loading_model_and_panels(qtbot):
    """What ``digitpad`` does: the first frame comes before the slow start-up work."""
    from digitpad.gui import create_window

    win = create_window(defer_panels=True)
    qtbot.addWidget(win)
    for _ in range(3):  # queued zero-length timers would run here
        QApplication.processEvents()
    docks = win.findChildren(QDockWidget)  # reserved, so the layout will not jump
    assert len(docks) == 3 and all(isinstance(d.widget(), QLabel) for d in docks)
    assert not win.model_files.loader.busy  # nothing on screen, nothing started
    with qtbot.waitSignal(win.state.modelChanged, timeout=30000):
        win.show()
    assert win.state.predictor.name == "digitpad-mnist"
    qtbot.waitUntil(
        lambda: not any(isinstance(d.widget(), QLabel) for d in docks), timeout=10000
    )
    assert {type(d.widget()).__name__ for d in docks} == {
        "TrainingPanel",
        "ActivationPanel",
        "HandwritingPanel",
    }


def test_a_panel_left_open_has_its_place_before_it_loads(qtbot):
    from digitpad.gui import create_window

    first = create_window(load_model=False)
    qtbot.addWidget(first)
    first.show()
    first.findChild(QDockWidget, "TrainingDock").show()
    first.close()
    second = create_window(load_model=False, defer_panels=True)
    qtbot.addWidget(second)
    second.show()  # the training panel is not built yet...
    dock = second.findChild(QDockWidget, "TrainingDock")
    assert isinstance(dock.widget(), QLabel) and dock.isVisible()  # ...its place is
    qtbot.waitUntil(lambda: not isinstance(dock.widget(), QLabel), timeout=10000)
    assert dock.isVisible() and type(dock.widget()).__name__ == "TrainingPanel"


def test_bad_model_file_shows_an_error_and_keeps_the_old_model(
    window, predictor, tmp_path, qtbot, monkeypatch
):
    warnings = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda *args: warnings.append(args) or None
    )
    bad = tmp_path / "broken.keras"
    bad.write_bytes(b"this is not a zip archive")
    with qtbot.waitSignal(window.model_files.loader.loadFailed, timeout=30000):
        window.model_files.load(bad)
    assert window.state.predictor is predictor
    (_, title, message) = warnings[0]
    assert title == "Cannot open the model"
    assert "broken.keras" in message and "current model stays" in message
    assert "Traceback" not in message


def test_open_model_makes_it_current(window, qtbot, tmp_path):
    copy = tmp_path / "mine.keras"
    for suffix in (".keras", ".json", ".tflite", ".kernels.npz"):
        source = shipped_model_path().with_name("digitpad-mnist" + suffix)
        shutil.copy(source, copy.with_name("mine" + suffix))
    with qtbot.waitSignal(window.state.modelChanged, timeout=30000):
        window.model_files.load(copy)
    assert window.state.predictor.name == "mine"
    assert "mine" in window.prediction.model_line.text()


def test_save_model_as_writes_a_loadable_model(window, qtbot, tmp_path):
    target = tmp_path / "kept" / "copy.keras"
    with qtbot.waitSignal(window.model_files.loader.saved, timeout=30000):
        window.model_files.loader.save(window.state.predictor, target)
    loaded = load_predictor(target)
    assert loaded.backend == "LiteRT"  # the checksums still match the copied export
    assert not list(target.parent.glob("*.tmp"))


def test_docked_panel_gets_a_toggle_and_can_veto_closing(window, qtbot):
    class Panel(QWidget):
        allow = False

        def confirm_close(self) -> bool:
            return self.allow

    panel = Panel()
    dock = window.add_panel_dock(panel, "Training", "TrainingDock")
    assert isinstance(dock, QDockWidget) and dock.objectName() == "TrainingDock"
    toggle = window.findChild(QAction, "TrainingDockToggle")
    assert toggle in window.view_menu.actions()
    toggle.trigger()
    assert dock.isVisible()
    assert not window.close()  # the panel said no
    assert window.isVisible()
    panel.allow = True
    assert window.close()


def test_a_tool_bar_button_brings_its_panel_forward(window, qtbot):
    """Panels tabbed together: the button shows its panel in front, never as a tab
    behind the one on screen, and hides it only when it is the one on screen."""
    training = window.reserve_panel_dock("Training", "TrainingDock")
    activations = window.reserve_panel_dock("Layer activations", "ActivationsDock")

    def toggle_of(dock) -> QAction:
        (toggle,) = [
            a for a in window.tools.actions() if a.text() == dock.windowTitle()
        ]
        return toggle

    def click(dock) -> None:
        button = window.tools.widgetForAction(toggle_of(dock))
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    def on_screen(dock) -> bool:
        return dock.isVisible() and not dock.visibleRegion().isEmpty()

    click(activations)
    qtbot.waitUntil(lambda: on_screen(activations))
    click(training)  # hidden until now: it opens in front
    qtbot.waitUntil(lambda: on_screen(training))
    assert not on_screen(activations) and not activations.isHidden()
    assert window.tabifiedDockWidgets(activations) == [training]
    click(activations)  # open, but behind: it comes forward instead of closing
    qtbot.waitUntil(lambda: on_screen(activations))
    assert not on_screen(training) and not training.isHidden()
    toggle = toggle_of(training)
    assert toggle.isChecked() and toggle in window.view_menu.actions()
    click(activations)  # in front: the button hides it
    qtbot.waitUntil(activations.isHidden)
    qtbot.waitUntil(lambda: on_screen(training))


def test_layout_and_geometry_persist_across_windows(qtbot):
    from digitpad.gui import create_window

    first = create_window(load_model=False, panels=False)
    qtbot.addWidget(first)
    first.show()
    first.resize(780, 720)
    dock = first.add_panel_dock(QWidget(), "Layer activations", "ActivationsDock")
    dock.show()
    first.tools.width_slider.setValue(20)
    first.close()
    second = create_window(load_model=False, panels=False)
    qtbot.addWidget(second)
    dock2 = second.add_panel_dock(
        QWidget(),
        "Layer activations",
        "ActivationsDock",
        Qt.DockWidgetArea.BottomDockWidgetArea,
    )
    second.show()
    assert (second.width(), second.height()) == (780, 720)
    assert dock2.isVisible()


def test_about_names_version_model_and_licences(window, predictor, qtbot):
    dialog = AboutDialog(predictor, window)
    qtbot.addWidget(dialog)
    text = " ".join(label.text() for label in dialog.findChildren(QLabel))
    from digitpad import __version__

    for needle in (
        __version__,
        predictor.name,
        "compact",
        "LiteRT",
        "MIT",
        "CC BY-SA 3.0",
        "LGPL",
    ):
        assert needle in text
    accuracy = predictor.metadata["mnist_test_accuracy"]
    assert f"{accuracy:.2%}" in text


def test_window_shows_and_predicts_without_importing_tensorflow(tmp_path):
    script = textwrap.dedent(
        """
        import sys
        from PySide6.QtCore import QSettings
        scope = QSettings.Scope.UserScope
        QSettings.setPath(QSettings.Format.NativeFormat, scope, sys.argv[1])
        from digitpad.gui import create_window
        from digitpad.gui.app import ensure_application
        from digitpad.core.ink.drawing import Drawing
        app = ensure_application()
        win = create_window(panels=False)
        win.show()
        while win.state.predictor is None:
            app.processEvents()
        win.live.schedule(Drawing(400, 400, (((200.0, 50.0), (205.0, 350.0)),), 16))
        while win.state.result is None:
            app.processEvents()
        print(win.state.result.prediction.digit, "tensorflow" in sys.modules)
        win.close()
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-2:] == ["1", "False"]


def test_optional_panels_are_docked_when_installed(qtbot):
    from digitpad.gui import create_window

    win = create_window(load_model=False)
    qtbot.addWidget(win)
    titles = {dock.windowTitle() for dock in win.findChildren(QDockWidget)}
    for module, title in (
        ("digitpad.gui.training.training_panel", "Training"),
        ("digitpad.gui.activations.activation_panel", "Layer activations"),
    ):
        try:
            __import__(module)
        except ImportError:
            continue
        assert title in titles
        assert any(a.text() == title for a in win.view_menu.actions())


def test_a_plain_keras_file_opens_after_the_shipped_model(qtbot, tmp_path):
    """A .keras without DigitPad's sidecars is converted in a helper process (the
    app never loads TensorFlow) and then runs on LiteRT like any other model."""
    from digitpad.gui import create_window

    win = create_window(panels=False)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.state.modelChanged, timeout=30000):
        pass
    plain = tmp_path / "plain.keras"
    shutil.copy(shipped_model_path(), plain)
    with qtbot.waitSignal(win.state.modelChanged, timeout=60000):
        win.model_files.load(plain)
    assert win.state.predictor.backend == "LiteRT"
    assert win.state.predictor.name == "plain"
    assert win.state.predictor.path == plain


def test_a_window_that_never_paints_still_loads_its_model(qtbot):
    """Started minimised (no frame to wait for), start-up goes on after a while."""
    from digitpad.gui import create_window

    win = create_window(defer_panels=True)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.state.modelChanged, timeout=30000):
        pass  # never shown
    qtbot.waitUntil(lambda: len(win.findChildren(QDockWidget)) == 3, timeout=10000)
