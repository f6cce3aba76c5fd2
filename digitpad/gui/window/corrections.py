"""Corrections: "it is a 7" in one action, saved to *My handwriting*, with Undo.

The user clicks the right digit's row in the probability bars (or presses Ctrl+digit
with the canvas focused); the drawing on the canvas, as strokes, becomes a sample with
that label (over an opened image the strokes are not what was read: refused, saying
why). A correction never changes the canvas or the model. The sample is written
on the "corrections" runner (a file write and a count of the samples must not cost
the GUI thread a frame); the status bar says what happened and offers Undo.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QPushButton, QStatusBar, QWidget

from digitpad.core.handwriting.samples import HandwritingStore, Sample
from digitpad.core.handwriting.teach_plan import a_digit
from digitpad.gui.state import AppState
from digitpad.gui.threads import Runner

UNDO_VISIBLE_MS = 12_000
_DIGIT_KEYS = {getattr(Qt.Key, f"Key_{digit}"): digit for digit in range(10)}


def digits_phrase(count: int) -> str:
    return f"{count} of your digits"


class Corrections(QObject):
    """Saves the current drawing as a labelled sample; the last save can be undone."""

    def __init__(self, state: AppState, status_bar: QStatusBar) -> None:
        super().__init__(status_bar)
        self.state = state
        self._status_bar = status_bar
        self._runner = Runner(self, "corrections")
        self.last: tuple[HandwritingStore, Sample] | None = None
        self.undo_button = QPushButton("Undo")
        self.undo_button.setAccessibleName("Undo saving the sample")
        self.undo_button.setToolTip(
            "Remove the drawing you just saved from your digits"
        )
        self.undo_button.setFlat(True)
        self.undo_button.clicked.connect(self.undo)
        self.undo_button.hide()
        status_bar.addPermanentWidget(self.undo_button)
        self._hide_undo = QTimer(self)
        self._hide_undo.setSingleShot(True)
        self._hide_undo.setInterval(UNDO_VISIBLE_MS)
        self._hide_undo.timeout.connect(self.undo_button.hide)

    @property
    def busy(self) -> bool:
        return self._runner.busy

    def save(self, label: int) -> None:
        """Save the canvas's drawing as a ``label``; says why not when it cannot."""
        drawing = self.state.drawing
        result = self.state.result
        if self.state.drawing_over_image:
            # a sample is strokes: saving them alone would keep a digit the user
            # never saw (the image under them is what was read)
            self._say(
                "An opened image cannot be one of your digits (they are kept as "
                "strokes): clear the canvas, draw the digit, then save it."
            )
            return
        if drawing is None or drawing.is_empty:
            self._say("Draw a digit first, then click the right one to save it.")
            return
        if result is not None and result.is_number:
            self._say("Corrections are for one digit at a time: clear and draw one.")
            return
        store = self.state.handwriting

        def job(_task) -> tuple[Sample, int]:
            sample = store.add(drawing, label)
            return sample, len(store.load()[0])

        self._runner.start(
            job,
            lambda saved: self._saved(store, *saved),
            lambda message: self._say(f"Could not save the sample: {message}"),
        )

    def undo(self) -> None:
        """Remove the sample saved last (once)."""
        if self.last is None:
            return
        store, sample = self.last
        self.last = None
        self.undo_button.hide()

        def job(_task) -> int:
            store.delete(sample.id)
            return len(store.load()[0])

        self._runner.start(
            job,
            lambda count: self._changed(
                f"Removed that {sample.label}; {digits_phrase(count)}"
            ),
            lambda message: self._say(f"Could not undo: {message}"),
        )

    def _saved(self, store: HandwritingStore, sample: Sample, count: int) -> None:
        self.last = (store, sample)
        self.undo_button.show()
        self._hide_undo.start()
        self._changed(f"Saved as {a_digit(sample.label)}; {digits_phrase(count)}")

    def _changed(self, message: str) -> None:
        self._say(message)
        self.state.samplesChanged.emit()

    def _say(self, message: str) -> None:
        self._status_bar.showMessage(message, UNDO_VISIBLE_MS)

    def shutdown(self) -> None:
        self._runner.close()


class CorrectionKeys(QObject):
    """Ctrl+0..9 on the canvas: the same correction as clicking the digit's row.

    An event filter rather than ten window shortcuts: the keys mean "correct" only
    while the canvas has the focus, and they do not crowd the menus.
    """

    def __init__(self, canvas: QWidget, corrections: Corrections) -> None:
        super().__init__(canvas)
        self._corrections = corrections
        canvas.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            key_event: QKeyEvent = event  # type: ignore[assignment]
            modifiers = key_event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            digit = _DIGIT_KEYS.get(Qt.Key(key_event.key()))
            if digit is not None and modifiers == Qt.KeyboardModifier.ControlModifier:
                self._corrections.save(digit)
                return True
        return False
