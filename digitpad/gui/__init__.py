"""DigitPad's PySide6 interface: ``main`` opens the app, ``create_window`` builds it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from digitpad.gui.window.main_window import MainWindow

__all__ = ["create_window", "main"]


def create_window(**options: Any) -> MainWindow:
    """Build the main window without entering the event loop (``app.create_window``)."""
    from digitpad.gui.app import create_window as build

    return build(**options)


def main(argv: list[str] | None = None) -> int:
    """Entry point: open the app; returns the exit code."""
    from digitpad.gui.app import main as run

    return run(argv)
