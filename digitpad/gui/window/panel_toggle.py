"""The tool-bar and View-menu button of a docked panel: show it in front, or hide it.

Qt's own ``QDockWidget.toggleViewAction`` only shows or hides: a panel tabbed with
another is added, or left, as a tab behind the one on screen, and clicking it while
it waits behind closes it. Asking for a panel means wanting to see it, so a click
brings a hidden or covered panel forward (``raise_`` selects its tab) and hides it
only when it is the one on screen.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow


def panel_toggle(window: QMainWindow, dock: QDockWidget) -> QAction:
    """A checkable action, checked while the panel is open (in front or behind)."""
    toggle = QAction(dock.windowTitle(), window)
    toggle.setObjectName(f"{dock.objectName()}Toggle")
    toggle.setCheckable(True)
    toggle.setToolTip(f"Show or hide the {dock.windowTitle().lower()} panel")

    def sync() -> None:
        toggle.setChecked(not dock.isHidden())

    def clicked() -> None:
        if in_front(window, dock):
            dock.hide()
        else:
            show_in_front(dock)
        sync()

    toggle.triggered.connect(clicked)
    dock.visibilityChanged.connect(sync)
    sync()
    return toggle


def show_in_front(dock: QDockWidget) -> None:
    """Show the panel, and select its tab if it shares its place with others."""
    dock.show()
    dock.raise_()


def in_front(window: QMainWindow, dock: QDockWidget) -> bool:
    """Open and not covered by a panel tabbed with it."""
    if dock.isHidden():
        return False
    if dock.isFloating() or not window.tabifiedDockWidgets(dock):
        return True
    return not dock.visibleRegion().isEmpty()
