"""The network designer's place in the app: opened from the View menu or on
``AppState.designRequested`` (the Training panel's *Design network…*), and its *Train
this network* brought to the Training dock.

The designer module is imported the first time it is opened, so start-up never pays
for it; one designer window is kept for the session (closing it only hides it).
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from digitpad.gui.state import AppState

TRAINING_DOCK = "TrainingDock"


class DesignerWiring(QObject):
    def __init__(self, window: QMainWindow, state: AppState) -> None:
        super().__init__(window)
        self._window = window
        self._state = state
        self._designer: QWidget | None = None
        state.designRequested.connect(self.open_spec)

    @property
    def designer(self) -> QWidget | None:
        """The designer window, once it has been opened."""
        return self._designer

    def show_designer(self) -> QWidget:
        designer = self._ensure()
        designer.show()
        designer.raise_()
        designer.activateWindow()
        return designer

    def open_spec(self, spec: object) -> None:
        """Show ``spec`` (a NetworkSpec) in the designer."""
        self._ensure().files.open_requested(spec)
        self.show_designer()

    def _ensure(self) -> QWidget:
        if self._designer is None:
            from digitpad.gui.designer.designer_window import DesignerWindow

            self._designer = DesignerWindow(self._state, self._window)
            self._designer.trainRequested.connect(self._show_training)
        return self._designer

    def _show_training(self, _name: str) -> None:
        dock = self._window.findChild(QDockWidget, TRAINING_DOCK)
        if dock is not None:
            dock.show()
            dock.raise_()
