"""*Teach it my handwriting*: a guided session that asks for digits in shuffled rounds.

"Draw a 4 · round 2 of 5 · 17 of 50". Next (or Enter) saves the drawing to *My
handwriting* and asks for the next digit; Skip moves on without saving; Redo last
takes the previous step back (deleting what it saved) and asks for it again. The plan
(``handwriting.teach_plan``) is kept in QSettings after every step, so closing it,
or the app, and coming back resumes where the user left off.

It lives in the window package, not in a feature, because it has a drawing canvas of
its own: the window may compose features (the canvas widget here, the sample store
from the shared state), features may not import each other. Samples are written on a
runner; the canvas is cleared at once, so the user never waits for the disk.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.handwriting.teach_plan import (
    DEFAULT_ROUNDS,
    MAX_ROUNDS,
    TeachPlan,
    a_digit,
)
from digitpad.gui.canvas.drawing_canvas import DrawingCanvas
from digitpad.gui.state import AppState
from digitpad.gui.threads import Runner, Task

PLAN_KEY = "teach/plan"
PENDING = ""  # a step whose sample is still being written (never a sample id)
ROUNDS_KEY = "teach/rounds"
CLOSE_WAIT_S = 2.0  # closing waits at most this long for a drawing being written


def saved_plan() -> TeachPlan | None:
    """The unfinished session to resume, if any."""
    plan = TeachPlan.from_json(QSettings().value(PLAN_KEY))
    return plan if plan is not None and not plan.finished else None


class TeachDialog(QDialog):
    """Asks for one digit at a time; every step is saved and can be resumed."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Teach it my handwriting")
        self.setObjectName("TeachDialog")
        self.state = state
        self._runner = Runner(self, "teach-samples")
        self._writes: list[Task] = []  # sample writes, until closing has seen them end
        self._written: dict[int, str] = {}  # step -> sample id, set by the writes
        self.plan = saved_plan() or self._new_plan(self._rounds_setting())

        self.prompt = QLabel()
        self.prompt.setAccessibleName("Digit to draw")
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        self.prompt.setFont(font)
        self.where = QLabel()
        self.where.setAccessibleName("Session progress")
        self.where.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Teach session progress")
        self.bar.setTextVisible(False)
        self.canvas = DrawingCanvas()
        self.canvas.setMinimumSize(300, 300)
        self.canvas.setToolTip("Draw the digit as you usually write it")
        self.message = QLabel()
        self.message.setAccessibleName("Teach session message")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.rounds = QSpinBox()
        self.rounds.setRange(1, MAX_ROUNDS)
        self.rounds.setValue(self.plan.rounds)
        self.rounds.setAccessibleName("Rounds")
        self.rounds.setToolTip("Each round asks for every digit once, shuffled")
        self.rounds.valueChanged.connect(self._rounds_changed)
        self.back_button = self._button("Redo last", self.redo_last)
        self.back_button.setToolTip("Draw the previous digit again (its drawing goes)")
        self.skip_button = self._button("Skip", self.skip)
        self.clear_button = self._button("Clear", self.canvas.clear)
        self.next_button = self._button("Next", self.next)
        self.next_button.setDefault(True)
        self.next_button.setToolTip("Save this drawing and go on (Enter)")
        self.close_button = self._button("Close", self.close)

        rounds_row = QHBoxLayout()
        rounds_row.addWidget(QLabel("Rounds:"))
        rounds_row.addWidget(self.rounds)
        rounds_row.addStretch(1)
        rounds_row.addWidget(self.close_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addLayout(rounds_row)
        layout.addWidget(self.prompt)
        layout.addWidget(self.where)
        layout.addWidget(self.bar)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self._show_step()
        self.canvas.setFocus()

    def _button(self, text: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    # ------------------------------------------------------------------ steps

    @property
    def saving(self) -> bool:
        return self._runner.busy

    def next(self) -> None:
        """Save the drawing as the asked digit and ask for the next one."""
        digit = self.plan.digit
        if digit is None:
            self.close()
            return
        drawing = self.canvas.drawing()
        if drawing.is_empty:
            self.message.setText(f"Draw {a_digit(digit)} first, or Skip it.")
            return
        store = self.state.handwriting
        step = self.plan.position
        self.plan.record(PENDING)  # the sample id replaces it once it is written
        self.canvas.clear()
        self._show_step()
        self._writes.append(
            self._runner.start(
                lambda _task: self._write(store, drawing, digit, step),
                lambda sample_id: self._saved(step, sample_id),
                lambda error: self._save_failed(step, error),
            )
        )

    def _write(self, store, drawing, digit: int, step: int) -> str:
        """On the runner: the sample's file, and its id where closing can find it
        (the answer on the GUI thread never comes once the app is quitting)."""
        sample_id = store.add(drawing, digit).id
        self._written[step] = sample_id
        return sample_id

    def _settle_writes(self, wait: float) -> None:
        """Closing: let writes in flight end (bounded), and record what they wrote.

        Without this a drawing saved as the window closed stayed "pending" in the
        saved plan: written, but no longer known to the session (Redo last could
        not take it back), or not written at all if the app quit first.
        """
        deadline = time.monotonic() + wait
        for task in self._writes:
            task.join(max(0.0, deadline - time.monotonic()))
        self._writes = [task for task in self._writes if task.running]
        done = self.plan.done
        for step, sample_id in list(self._written.items()):
            if step < len(done) and done[step] == PENDING:
                done[step] = sample_id
        for step, sample_id in enumerate(done):
            if sample_id == PENDING:  # still not written: as if skipped
                done[step] = None

    def skip(self) -> None:
        if self.plan.finished:
            return
        self.plan.record(None)
        self.canvas.clear()
        self._show_step()

    def redo_last(self) -> None:
        """Take the last step back: ask for its digit again, delete what it saved."""
        if self.saving or not self.plan.can_go_back:
            return
        digit, sample_id = self.plan.back()
        self.canvas.clear()
        self._show_step(f"Draw the {digit} again.")
        if sample_id:
            store = self.state.handwriting
            self._runner.start(
                lambda _task: store.delete(sample_id),
                lambda _none: self.state.samplesChanged.emit(),
                lambda error: self.message.setText(f"Could not remove it: {error}"),
            )

    def _saved(self, step: int, sample_id: str) -> None:
        if step < len(self.plan.done):
            self.plan.done[step] = sample_id
        self._persist()
        self._update_buttons()
        self.state.samplesChanged.emit()

    def _save_failed(self, step: int, error: str) -> None:
        if step < len(self.plan.done):
            self.plan.done[step] = None  # as if skipped: nothing to take back
        self._show_step(f"Could not save that drawing: {error}")

    # ------------------------------------------------------------------ display

    def _show_step(self, message: str = "") -> None:
        plan = self.plan
        self.bar.setRange(0, plan.total)
        self.bar.setValue(plan.position)
        if plan.finished:
            self.prompt.setText("Thank you!")
            rounds = "the round" if plan.rounds == 1 else f"all {plan.rounds} rounds"
            self.where.setText(
                f"You did {rounds}: {plan.saved} drawings saved to My handwriting. "
                "Fine-tune in the Training panel to use them."
            )
        else:
            self.prompt.setText(f"Draw {a_digit(plan.digit)}")
            self.where.setText(
                f"Round {plan.round} of {plan.rounds} · "
                f"{plan.position + 1} of {plan.total}"
            )
        self.message.setText(message)
        self._persist()
        self._update_buttons()

    def _update_buttons(self) -> None:
        plan = self.plan
        self.back_button.setEnabled(plan.can_go_back and not self.saving)
        self.skip_button.setEnabled(not plan.finished)
        self.clear_button.setEnabled(not plan.finished)
        self.canvas.setEnabled(not plan.finished)
        self.next_button.setText("Done" if plan.finished else "Next")
        self.rounds.setEnabled(plan.position == 0)

    # ------------------------------------------------------------------ rounds

    def _rounds_changed(self, rounds: int) -> None:
        if self.plan.position == 0 and rounds != self.plan.rounds:
            QSettings().setValue(ROUNDS_KEY, rounds)
            self.plan = self._new_plan(rounds)
            self._show_step()

    @staticmethod
    def _rounds_setting() -> int:
        value = QSettings().value(ROUNDS_KEY, DEFAULT_ROUNDS, type=int)
        return value if 1 <= value <= MAX_ROUNDS else DEFAULT_ROUNDS

    @staticmethod
    def _new_plan(rounds: int) -> TeachPlan:
        return TeachPlan.new(rounds)

    def _persist(self) -> None:
        settings = QSettings()
        if self.plan.finished:
            settings.remove(PLAN_KEY)  # the next session starts afresh
        else:
            settings.setValue(PLAN_KEY, self.plan.to_json())

    def closeEvent(self, event: QCloseEvent) -> None:
        self._settle_writes(CLOSE_WAIT_S)
        self._persist()
        super().closeEvent(event)
