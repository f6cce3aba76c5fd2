"""Window geometry, dock layout, splitter and open panels, kept in QSettings."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter, QWidget


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
