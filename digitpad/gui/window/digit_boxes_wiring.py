"""Wiring between the number read and the canvas's digit boxes, kept out of the window.

The canvas draws ``DigitMark``s and reports clicks; ``AppState`` holds the reading and
the selected digit. This module turns one into the other and keeps the "Show digit
boxes" choice in QSettings.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction

from digitpad.gui.canvas.digit_boxes import DigitMark
from digitpad.gui.canvas.drawing_canvas import DrawingCanvas
from digitpad.gui.state import AppState, LiveResult

SETTING = "canvas/show_digit_boxes"


def digit_marks(result: LiveResult) -> list[DigitMark]:
    """A box per digit of a number, captioned "2 · 97%" ("4? · 45%" when unsure)."""
    if not result.is_number:
        return []
    return [
        DigitMark(
            digit.box,
            f"{digit.digit}{'?' if digit.is_unsure else ''} · {digit.confidence:.0%}",
            digit.is_unsure,
        )
        for digit in result.digits
    ]


def connect_digit_boxes(
    state: AppState, canvas: DrawingCanvas, toggle: QAction
) -> None:
    """Boxes follow every reading; clicking one selects its digit; toggle kept."""
    shown = QSettings().value(SETTING, True, type=bool)
    toggle.setChecked(shown)
    canvas.set_boxes_visible(shown)

    def set_shown(checked: bool) -> None:
        canvas.set_boxes_visible(checked)
        QSettings().setValue(SETTING, checked)

    toggle.toggled.connect(set_shown)
    state.resultChanged.connect(
        lambda result: canvas.set_digit_boxes(digit_marks(result), result.selected)
    )
    canvas.digitClicked.connect(state.select_digit)
