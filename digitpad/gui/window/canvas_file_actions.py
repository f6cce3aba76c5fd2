"""File > Open, Save drawing, Paste, and images other panels put on the canvas.

Opening reads the file on a worker (a big list of drawings is parsed in a helper
process), so the window stays responsive; every outcome is a status message or, for a
file that cannot be read or written, one clear dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from digitpad.core.errors import DigitPadError
from digitpad.gui.canvas import canvas_files
from digitpad.gui.canvas.drawing_canvas import DrawingCanvas
from digitpad.gui.threads import Runner
from digitpad.gui.widgets import file_dialogs
from digitpad.gui.window.window_messages import WindowMessages


class CanvasFileActions:
    def __init__(
        self, window: QWidget, canvas: DrawingCanvas, messages: WindowMessages
    ) -> None:
        self._window = window
        self._canvas = canvas
        self._messages = messages
        self._files = Runner(window, "open-file")

    def show_image(self, image: np.ndarray) -> None:
        """Put a requested image (e.g. a misclassified test digit) on the canvas."""
        self._run(
            "Cannot show the image",
            lambda: canvas_files.show_image(image, self._canvas, "the image"),
        )

    def open_file(self) -> None:
        path = file_dialogs.ask_open(
            self._window, "Open image or drawing", canvas_files.OPEN_FILTER
        )
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> None:
        """Read the file on a worker (a big list parses in a helper), then show it."""
        self._messages.status(f"Opening {Path(path).name}…")
        self._files.start(
            lambda _task: canvas_files.read_for_canvas(path),
            lambda loaded: self._run(
                "Cannot open the file",
                lambda: canvas_files.put_on_canvas(path, loaded, self._canvas),
            ),
            lambda message: self._messages.error("Cannot open the file", message),
        )

    def save_drawing(self) -> None:
        path = file_dialogs.ask_save(
            self._window, "Save drawing", "digit.png", canvas_files.SAVE_FILTER
        )
        if path:
            self._run(
                "Cannot save the drawing",
                lambda: canvas_files.save_canvas(path, self._canvas),
            )

    def paste_image(self) -> None:
        self._run(
            "Nothing to paste",
            lambda: canvas_files.paste_image(QGuiApplication.clipboard(), self._canvas),
        )

    def _run(self, title: str, action: Callable[[], str]) -> None:
        try:
            self._messages.status(action())
        except DigitPadError as error:
            self._messages.error(title, str(error))
