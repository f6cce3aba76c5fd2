"""The teach session, driven by hand: draw, Enter/Next, redo, skip, close, resume."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest

from digitpad.core.handwriting.teach_plan import a_digit
from digitpad.gui.window.teach_dialog import PLAN_KEY, TeachDialog
from tests.support.gui_gaps import GapMeter

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints"
)


def open_session(window, qtbot) -> TeachDialog:
    window.actions_by_name["teach"].trigger()
    dialog = window.handwriting.teach
    qtbot.waitExposed(dialog)
    return dialog


def draw_something(pen, dialog, step: int) -> None:
    w, h = dialog.canvas.width(), dialog.canvas.height()
    x = w * (0.3 + 0.04 * (step % 5))
    pen.draw(dialog.canvas, pen.line(x, h * 0.2, x + 0.1 * w, h * 0.8))


def labels(window_store) -> list[int]:
    return [s.label for s in window_store.load()[0]]


def settled(dialog, qtbot) -> None:
    qtbot.waitUntil(lambda: not dialog.saving)


def test_a_session_asks_saves_redoes_skips_and_resumes(
    window, pen, window_store, qtbot
):
    meter = GapMeter(lambda: "teach").start()
    dialog = open_session(window, qtbot)
    plan = dialog.plan
    assert plan.total == 50 and dialog.rounds.value() == 5  # the default
    assert dialog.where.text() == "Round 1 of 5 · 1 of 50"
    first = plan.digit
    assert dialog.prompt.text() == f"Draw {a_digit(first)}"

    # Next with nothing drawn: asks for a drawing, saves nothing
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == f"Draw {a_digit(first)} first, or Skip it."
    assert plan.position == 0

    # draw, Enter: saved with the asked digit, the canvas is fresh, the next is asked
    draw_something(pen, dialog, 0)
    QTest.keyClick(dialog.canvas, Qt.Key.Key_Return)
    settled(dialog, qtbot)
    assert labels(window_store) == [first]
    assert dialog.canvas.drawing().is_empty
    second = plan.digit
    assert dialog.prompt.text() == f"Draw {a_digit(second)}"
    assert dialog.where.text() == "Round 1 of 5 · 2 of 50"
    assert not dialog.rounds.isEnabled()  # rounds are chosen before the first

    # redo the last one: its sample goes, its digit is asked again
    qtbot.mouseClick(dialog.back_button, Qt.MouseButton.LeftButton)
    settled(dialog, qtbot)
    assert labels(window_store) == []
    assert dialog.prompt.text() == f"Draw {a_digit(first)}"
    draw_something(pen, dialog, 1)
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    settled(dialog, qtbot)

    # skip the second; draw the third
    qtbot.mouseClick(dialog.skip_button, Qt.MouseButton.LeftButton)
    third = plan.digit
    draw_something(pen, dialog, 2)
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    settled(dialog, qtbot)
    assert sorted(labels(window_store)) == sorted([first, third])
    assert dialog.where.text() == "Round 1 of 5 · 4 of 50"
    fourth = plan.digit

    # close; a new session (the app restarted) resumes at the same step
    dialog.close()
    assert not dialog.isVisible()
    resumed = TeachDialog(window.state, window)
    qtbot.addWidget(resumed)
    resumed.show()
    assert resumed.plan.order == plan.order
    assert resumed.prompt.text() == f"Draw {a_digit(fourth)}"
    assert resumed.where.text() == "Round 1 of 5 · 4 of 50"
    # and redo still knows what the step before saved
    qtbot.mouseClick(resumed.back_button, Qt.MouseButton.LeftButton)
    settled(resumed, qtbot)
    assert labels(window_store) == [first]
    assert resumed.prompt.text() == f"Draw {a_digit(third)}"
    meter.stop()
    print(
        f"\nteach session: worst GUI gap {meter.worst} ms over {len(meter.gaps)} ticks"
    )
    assert meter.worst < 100, meter.slow


def test_fewer_rounds_and_the_end_of_a_session(window, pen, window_store, qtbot):
    dialog = open_session(window, qtbot)
    dialog.rounds.setValue(1)
    assert dialog.plan.total == 10
    assert dialog.where.text() == "Round 1 of 1 · 1 of 10"
    asked = []
    for step in range(10):
        asked.append(dialog.plan.digit)
        draw_something(pen, dialog, step)
        qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    settled(dialog, qtbot)
    assert sorted(asked) == list(range(10))
    assert sorted(labels(window_store)) == list(range(10))
    assert dialog.prompt.text() == "Thank you!"
    assert "10 drawings saved" in dialog.where.text()
    assert QSettings().value(PLAN_KEY) is None  # the next session starts afresh
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)  # "Done"
    assert not dialog.isVisible()
    again = open_session(window, qtbot)
    assert again is not dialog and again.plan.position == 0
    assert again.rounds.value() == 1  # the chosen number of rounds is remembered


def test_a_drawing_saved_as_the_app_quits_stays_in_the_session(
    window, pen, window_store, qtbot, monkeypatch
):
    """Next, then quit at once: the write's answer never reached the session, so
    the saved plan kept the step as pending: a sample it no longer knew."""
    import threading

    from digitpad.core.handwriting.teach_plan import TeachPlan
    from digitpad.gui import threads

    dialog = open_session(window, qtbot)
    real_add = window_store.add
    writing = threading.Event()

    def slow_add(drawing, label):  # a slow disk: the write outlives the click
        writing.set()
        timer = threading.Event()
        timer.wait(0.3)
        return real_add(drawing, label)

    monkeypatch.setattr(window_store, "add", slow_add)
    draw_something(pen, dialog, 0)
    dialog.next_button.click()
    qtbot.waitUntil(writing.is_set)
    window.close()  # closes the session too
    threads.shutdown_all()  # the application quits: no more answers delivered
    samples = window_store.load()[0]
    plan = TeachPlan.from_json(QSettings().value(PLAN_KEY))
    assert plan is not None
    assert [s.id for s in samples] == [plan.done[0]]
