"""The application: QApplication set-up, the ``create_window`` factory, ``main``.

Nothing here imports TensorFlow: the window shows first, then the shipped model's LiteRT
export is loaded on a background thread. Optional panels (training, layer
activations) are docked if their modules are present and import cleanly.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.util
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDockWidget, QWidget

from digitpad import __version__
from digitpad.core.errors import one_line
from digitpad.core.paths import resources_dir
from digitpad.gui.threads import Runner, Steps
from digitpad.gui.window.main_window import MainWindow, placeholder

ORGANISATION = "DigitPad"
APPLICATION = "DigitPad"

FIRST_PAINT_WAIT_MS = 1500  # start-up work waits at most this long for a frame
# How long a thread may hold Python's lock while another waits (Python's default: 5 ms).
# PySide6 lets go of the lock in most Qt calls, so a GUI thread painting waits up to
# the whole interval each time it takes it back from a worker running Python (loading
# samples, building a predictor). With a worker parsing JSON, a curves redraw took
# 98 ms (median; 288 max) at 5 ms and 17 ms (76 max) at 1 ms; idle, about 1 ms. Two
# Python threads sharing work finished as fast at 1 ms as at 5 ms (0.5 ms: 20% slower).
GIL_SWITCH_INTERVAL_S = 0.001

# (module, class, dock title, object name, dock area)
OPTIONAL_PANELS = (
    (
        "digitpad.gui.training.training_panel",
        "TrainingPanel",
        "Training",
        "TrainingDock",
        Qt.DockWidgetArea.RightDockWidgetArea,
    ),
    (
        "digitpad.gui.activations.activation_panel",
        "ActivationPanel",
        "Layer activations",
        "ActivationsDock",
        Qt.DockWidgetArea.RightDockWidgetArea,
    ),
    (
        "digitpad.gui.handwriting.handwriting_panel",
        "HandwritingPanel",
        "My handwriting",
        "HandwritingDock",
        Qt.DockWidgetArea.RightDockWidgetArea,
    ),
)


# Windows opened on demand whose modules are imported with the panels', off the GUI
# thread, so opening them the first time pays only for building them (the network
# designer's modules took 53 ms of the GUI thread's time to import).
PRELOADED_MODULES = ("digitpad.gui.designer.designer_window",)


def app_icon() -> QIcon:
    """The DigitPad icon at every size shipped in ``resources/icons``."""
    icon = QIcon()
    folder = resources_dir() / "icons"
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        png = folder / f"digitpad-{size}.png"
        if png.is_file():
            icon.addFile(str(png))
    return icon


def ensure_application(argv: Sequence[str] | None = None) -> QApplication:
    """The running QApplication (created if needed) with names, icon and version set.

    Also shortens Python's thread switch interval for the GUI process (see
    ``GIL_SWITCH_INTERVAL_S``), so workers running Python cannot starve painting.
    """
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    app = QApplication.instance()
    if app is None:
        app = QApplication(list(argv) if argv is not None else [sys.argv[0]])
    if not QCoreApplication.organizationName():
        QCoreApplication.setOrganizationName(ORGANISATION)
    if not QCoreApplication.applicationName() or QCoreApplication.applicationName() in (
        "python",
        "python3",
    ):
        QCoreApplication.setApplicationName(APPLICATION)
    QCoreApplication.setApplicationVersion(__version__)
    QApplication.setApplicationDisplayName(APPLICATION)
    QApplication.setDesktopFileName("io.github.digitpad.DigitPad")
    QApplication.setWindowIcon(app_icon())
    return app  # type: ignore[return-value]


def reserve_optional_docks(window: MainWindow) -> None:
    """Docks for the installed optional panels, before the panels are imported."""
    for module_name, _, title, object_name, area in OPTIONAL_PANELS:
        if importlib.util.find_spec(module_name) is not None:
            window.reserve_panel_dock(title, object_name, area)


def dock_optional_panels(window: MainWindow) -> list[str]:
    """Dock the training and activation panels if they are installed; return titles.

    A panel that fails to import or build says why in its (reserved) dock.
    """
    docked = []
    for spec in OPTIONAL_PANELS:
        try:
            module = importlib.import_module(spec[0])
        except Exception as error:  # one broken panel must not take the app down
            _panel_failed(window, spec, error)
            continue
        if _dock_panel(window, spec, module):
            docked.append(spec[2])
    return docked


def import_and_dock_panels(window: MainWindow) -> None:
    """Start-up's way: import the panels' modules one after another off the GUI
    thread (the training panel's plots take a quarter of a second to import), then
    build and dock each panel on the GUI thread, in an event-loop turn of its own.

    No panel is built while an import runs: a thread executing module code holds
    Python's lock so much of the time that building the layer viewer meanwhile took
    240-340 ms instead of 30.
    """

    def import_all(_task: Any) -> list[tuple[tuple, Any]]:
        imported = []
        for spec in OPTIONAL_PANELS:
            try:
                imported.append((spec, importlib.import_module(spec[0])))
            except Exception as error:  # one broken panel must not take the app down
                imported.append((spec, error))
        return imported

    def preload(_task: Any) -> None:
        for name in PRELOADED_MODULES:
            # a module that fails says why when the user opens its window
            with contextlib.suppress(Exception):
                importlib.import_module(name)

    def dock_each(imported: list[tuple[tuple, Any]]) -> Iterator[None]:
        for spec, module in imported:
            if window.is_closed:  # closed meanwhile: no panel would be seen
                return
            if isinstance(module, Exception):
                _panel_failed(window, spec, module)
                continue
            panel = _build_panel(window, spec, module)
            yield  # building and showing a panel (styles, layout) take a turn each
            if panel is not None:
                window.add_panel_dock(panel, *spec[2:])
                yield
        Runner(window, "preload").start(preload, lambda _: None, lambda _: None)

    def all_failed(message: str) -> None:
        for spec in OPTIONAL_PANELS:
            _panel_failed(window, spec, message)

    docking = Steps(window)
    Runner(window, "panel-import").start(
        import_all, lambda imported: docking.start(dock_each(imported)), all_failed
    )


def _dock_panel(window: MainWindow, spec: tuple, module: Any) -> bool:
    panel = _build_panel(window, spec, module)
    if panel is not None:
        window.add_panel_dock(panel, *spec[2:])
    return panel is not None


def _build_panel(window: MainWindow, spec: tuple, module: Any) -> QWidget | None:
    try:
        return getattr(module, spec[1])(window.state, window)
    except Exception as error:  # one broken panel must not take the app down
        _panel_failed(window, spec, error)
        return None


def _panel_failed(window: MainWindow, spec: tuple, error: Exception | str) -> None:
    """Say why in the panel's dock; a panel left out of an installation (it does
    not import) is not news for the status bar."""
    text = one_line(error) if isinstance(error, Exception) else error
    dock = window.findChild(QDockWidget, spec[3])
    if dock is not None:
        dock.setWidget(placeholder(f"{spec[2]} panel unavailable: {text}"))
    missing = isinstance(error, ImportError) or text.startswith(
        ("ImportError", "ModuleNotFoundError")
    )
    if not missing:
        window.state.statusMessage.emit(f"{spec[2]} panel unavailable: {text}")


class _StartUp(QObject):
    """Start-up work queued for the event loop, dropped if the window closes first.

    Each job runs in an event-loop turn of its own. With ``after_paint`` they wait
    for the window's first frame: a zero-length timer queued before ``show()`` fires
    before the window is exposed, so the user would stare at a blank frame while plots
    import. A window started minimised never paints: after ``FIRST_PAINT_WAIT_MS`` the
    work runs anyway. A window closed before its event loop has run (opened by
    mistake, or a script that builds and closes it) has shut its loaders down: the
    work still queued then is dropped instead of failing on them.
    """

    def __init__(
        self, window: MainWindow, work: list[Callable[[], object]], after_paint: bool
    ) -> None:
        super().__init__(window)
        self._window = window
        self._work = work
        window.closed.connect(self._drop)
        if after_paint:
            window.installEventFilter(self)
            QTimer.singleShot(FIRST_PAINT_WAIT_MS, self, self._queue)
        else:
            self._queue()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self._queue()
        return False

    def _queue(self) -> None:
        self._window.removeEventFilter(self)
        work, self._work = self._work, []
        for job in work:
            QTimer.singleShot(0, self, lambda job=job: self._run(job))

    def _run(self, job: Callable[[], object]) -> None:
        if not self._window.is_closed:
            job()

    def _drop(self) -> None:
        self._work = []


def create_window(
    *,
    load_model: bool = True,
    model_path: str | None = None,
    panels: bool = True,
    defer_panels: bool = False,
) -> MainWindow:
    """Build the main window without entering the event loop.

    With ``load_model`` the model (``model_path`` or the shipped one) starts loading
    in the background as soon as the event loop runs, i.e. right after the window shows.
    ``defer_panels`` (what the app does) waits for the window's first frame instead,
    then loads the model and docks the optional panels: importing them (plots,
    training) costs a third of a second that should not delay the first frame.
    """
    ensure_application()
    window = MainWindow()
    window.setWindowIcon(QApplication.windowIcon())
    start_up: list[Callable[[], object]] = []
    if load_model:  # queued first: the model loads while the panels are built
        start_up.append(
            lambda: window.model_files.load(model_path, user=bool(model_path))
        )
    if panels and defer_panels:
        reserve_optional_docks(window)
        start_up.append(lambda: import_and_dock_panels(window))
    elif panels:
        dock_optional_panels(window)
    _StartUp(window, start_up, after_paint=panels and defer_panels)
    return window


def main(argv: Sequence[str] | None = None) -> int:
    """``digitpad`` with no subcommand: open the app and run until it is closed."""
    args = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(
        prog="digitpad", description="Open the DigitPad app."
    )
    parser.add_argument(
        "--model", help="open this .keras model instead of the shipped one"
    )
    options, qt_args = parser.parse_known_args(args)
    app = ensure_application([sys.argv[0], *qt_args])
    window = create_window(model_path=options.model, defer_panels=True)
    window.show()
    return app.exec()
