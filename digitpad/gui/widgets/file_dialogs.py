"""Open and save dialogs that start where the user last went.

Every file dialog in the app shares one remembered folder (QSettings), so opening a
drawing, saving it and opening a model all begin in the folder the user just used.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QWidget

LAST_DIR_KEY = "paths/last_dir"
MODEL_FILTER = "Keras models (*.keras)"  # every dialog that opens or saves a model


NO_OPTIONS = QFileDialog.Option(0)


def ask_open(
    parent: QWidget,
    title: str,
    name_filter: str,
    default_dir: Path | None = None,
    options: QFileDialog.Option = NO_OPTIONS,
) -> str | None:
    """The file the user chose to open, or None if they cancelled.

    ``options``: e.g. ``DontUseNativeDialog``, so a test can drive the dialog."""
    extra = ("", options) if options != NO_OPTIONS else ()
    path, _ = QFileDialog.getOpenFileName(
        parent, title, last_dir(default_dir), name_filter, *extra
    )
    return _remembered(path)


def ask_save(
    parent: QWidget,
    title: str,
    suggested_name: str,
    name_filter: str,
    default_dir: Path | None = None,
    options: QFileDialog.Option = NO_OPTIONS,
) -> str | None:
    """The path the user chose to save to, or None if they cancelled."""
    start = Path(last_dir(default_dir)) / suggested_name
    extra = ("", options) if options != NO_OPTIONS else ()
    path, _ = QFileDialog.getSaveFileName(
        parent, title, str(start), name_filter, *extra
    )
    return _remembered(path)


def last_dir(default: Path | None = None) -> str:
    fallback = str(default) if default is not None else str(Path.home())
    return str(QSettings().value(LAST_DIR_KEY, fallback))


def _remembered(path: str) -> str | None:
    if not path:
        return None
    QSettings().setValue(LAST_DIR_KEY, str(Path(path).parent))
    return path
