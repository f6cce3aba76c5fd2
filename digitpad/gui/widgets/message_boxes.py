"""The app's two dialogs for talking to the user: a yes/no question and an error.

Every feature asks and warns through here so the buttons, the default (the safe
answer) and the "one line, never a traceback" rule stay the same everywhere. The
functions look ``QMessageBox.question``/``warning`` up at call time, so tests that
patch those methods keep answering for every feature.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def ask(
    parent: QWidget,
    title: str,
    question: str,
    decline: QMessageBox.StandardButton = QMessageBox.StandardButton.No,
) -> bool:
    """A question answered Yes or ``decline`` (the default button); True for Yes."""
    answer = QMessageBox.question(
        parent, title, question, QMessageBox.StandardButton.Yes | decline, decline
    )
    return answer == QMessageBox.StandardButton.Yes


def show_error(parent: QWidget, title: str, message: str) -> None:
    """A one-line error (``str(error)``), never a traceback."""
    QMessageBox.warning(parent, title, message)
