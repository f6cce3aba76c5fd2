"""The status line and error dialogs every window action reports through.

One place decides how long a status message stays and that an error shows its first
line in the status bar as well as the whole message in a dialog, so the canvas file
actions, the model file actions and the window itself report alike.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow

from digitpad.gui.widgets.message_boxes import show_error

STATUS_MS = 6000


class WindowMessages:
    def __init__(self, window: QMainWindow) -> None:
        self._window = window

    def status(self, text: str) -> None:
        self._window.statusBar().showMessage(text, STATUS_MS)

    def error(self, title: str, message: str) -> None:
        """A dialog with the whole message; its first line stays in the status bar."""
        self.status(message.splitlines()[0])
        show_error(self._window, title, message)
