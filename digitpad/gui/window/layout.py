"""The central layout, and window geometry, docks, splitter and open panels kept
in QSettings."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFrame, QMainWindow, QSplitter, QVBoxLayout, QWidget


def restore(window: QMainWindow, splitter: QSplitter) -> set[str]:
    """Apply the saved layout; return the object names of docks the user left open."""
    settings = QSettings()
    geometry = settings.value("window/geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)
    state = settings.value("window/state")
    if state is not None:
        window.restoreState(state)
    sizes = settings.value("window/splitter")
    if sizes is not None:
        splitter.restoreState(sizes)
    return set(_string_list(settings.value("window/open_panels")))


def save(window: QMainWindow, splitter: QSplitter, docks: list[QWidget]) -> None:
    settings = QSettings()
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/state", window.saveState())
    settings.setValue("window/splitter", splitter.saveState())
    open_docks = [dock.objectName() for dock in docks if dock.isVisible()]
    settings.setValue("window/open_panels", open_docks)


def _string_list(value: object) -> list[str]:
    """QSettings returns a str, a list or None for a saved list of strings."""
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def build_central(
    canvas: QWidget, prediction: QWidget, preview: QWidget, model_line: QWidget
) -> QSplitter:
    """The canvas on the left; answer, network input and model in use on the right."""
    side = QFrame()
    side.setObjectName("SidePanel")
    side_layout = QVBoxLayout(side)
    side_layout.setContentsMargins(0, 0, 0, 0)
    side_layout.setSpacing(0)
    side_layout.addWidget(prediction)
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    side_layout.addWidget(line)
    side_layout.addWidget(preview, 1)
    side_layout.addWidget(model_line)
    side_layout.addSpacing(6)
    side.setMinimumWidth(300)
    canvas_box = QWidget()
    canvas_layout = QVBoxLayout(canvas_box)
    canvas_layout.setContentsMargins(10, 10, 4, 10)
    canvas_layout.addWidget(canvas)
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.setObjectName("MainSplitter")
    splitter.addWidget(canvas_box)
    splitter.addWidget(side)
    splitter.setStretchFactor(0, 3)
    splitter.setStretchFactor(1, 1)
    splitter.setChildrenCollapsible(False)
    return splitter
