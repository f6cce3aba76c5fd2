"""Wiring for *My handwriting* outside its panel: corrections and the teach session.

Corrections join the probability rows (and Ctrl+digit on the canvas) to the sample
store; the teach session opens when any panel or the Edit menu asks for it
(``AppState.teachRequested``), one dialog at a time, resumed where it was left.
"""

from __future__ import annotations

from PySide6.QtWidgets import QStatusBar, QWidget

from digitpad.gui.canvas.drawing_canvas import DrawingCanvas
from digitpad.gui.prediction.probability_rows import ProbabilityRows
from digitpad.gui.state import AppState
from digitpad.gui.window.corrections import CorrectionKeys, Corrections
from digitpad.gui.window.teach_dialog import TeachDialog


class HandwritingWiring:
    def __init__(
        self,
        window: QWidget,
        state: AppState,
        canvas: DrawingCanvas,
        bars: ProbabilityRows,
        status_bar: QStatusBar,
    ) -> None:
        self._window = window
        self._state = state
        self.corrections = Corrections(state, status_bar)
        CorrectionKeys(canvas, self.corrections)
        bars.rowClicked.connect(self.corrections.save)
        state.teachRequested.connect(self.show_teach)
        self.teach: TeachDialog | None = None

    def show_teach(self) -> TeachDialog:
        """The teach session, resumed where the user left it (one at a time)."""
        dialog = self.teach
        if dialog is not None and dialog.isVisible():
            dialog.raise_()  # already open: bring it to the front
            dialog.activateWindow()
            return dialog
        if dialog is None or dialog.plan.finished:
            if dialog is not None:
                dialog.deleteLater()
            dialog = self.teach = TeachDialog(self._state, self._window)
        dialog.show()
        return dialog

    def shutdown(self) -> None:
        self.corrections.shutdown()
        if self.teach is not None:
            self.teach.close()
