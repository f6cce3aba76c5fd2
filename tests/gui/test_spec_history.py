"""Undo and redo as a stack of specs: steps, bursts merged, redo dropped by an edit."""

from __future__ import annotations

from digitpad.core.networks import editing
from digitpad.core.networks.presets import PRESETS
from digitpad.gui.designer.spec_history import SpecHistory

START = PRESETS["tutorial"].spec


def test_undo_and_redo_walk_the_specs():
    history = SpecHistory(START)
    wider = editing.set_argument(START, 0, "filters", 64)
    history.push(wider)
    assert history.current == wider and history.can_undo and not history.can_redo
    assert history.undo() == START and history.can_redo
    assert history.redo() == wider


def test_a_burst_on_one_control_is_one_step():
    history = SpecHistory(START)
    for filters in (3, 33, 333):  # typing 333
        history.push(editing.set_argument(START, 0, "filters", filters), ("f", 0))
    assert history.current.layers[0].args["filters"] == 333
    assert history.undo() == START and not history.can_undo


def test_an_edit_after_undo_drops_the_redo_and_no_change_is_no_step():
    history = SpecHistory(START)
    history.push(editing.remove_layer(START, 0))
    history.undo()
    assert not history.push(START)  # the same spec: nothing to undo later
    history.push(editing.duplicate_layer(START, 0))
    assert not history.can_redo
    assert history.undo() == START


def test_editing_back_to_the_start_leaves_no_step():
    history = SpecHistory(START)
    history.push(editing.set_argument(START, 0, "filters", 8), ("f", 0))
    history.push(editing.set_argument(START, 0, "filters", 32), ("f", 0))
    assert history.current == START and not history.can_undo
