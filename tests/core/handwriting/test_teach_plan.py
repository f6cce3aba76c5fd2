"""The teach session's plan: balanced shuffled rounds, redo, resume from JSON."""

from __future__ import annotations

import pytest

from digitpad.core.handwriting.teach_plan import TeachPlan


def test_every_round_asks_each_digit_once_in_a_new_order():
    plan = TeachPlan.new(rounds=5, seed=3)
    assert plan.total == 50 and plan.rounds == 5
    rounds = [plan.order[i : i + 10] for i in range(0, 50, 10)]
    assert all(sorted(r) == list(range(10)) for r in rounds)
    assert len({tuple(r) for r in rounds}) == 5
    assert all(a != b for a, b in zip(plan.order, plan.order[1:], strict=False))


def test_steps_redo_and_finish():
    plan = TeachPlan.new(rounds=1, seed=0)
    first = plan.digit
    plan.record("aa")
    second = plan.digit
    plan.record(None)  # skipped
    assert (plan.position, plan.saved, plan.round) == (2, 1, 1)
    assert plan.back() == (second, None)
    assert plan.back() == (first, "aa")
    assert plan.digit == first and not plan.can_go_back
    for step in range(10):
        plan.record(f"{step:x}")
    assert plan.finished and plan.digit is None and plan.saved == 10
    with pytest.raises(ValueError):
        plan.record("b")


def test_a_plan_survives_json_and_bad_json_is_no_plan():
    plan = TeachPlan.new(rounds=2, seed=1)
    plan.record("ab")
    plan.record(None)
    again = TeachPlan.from_json(plan.to_json())
    assert again == plan and again.round == 1 and again.digit == plan.digit
    for bad in (
        None,
        "",
        "{",
        '{"order": [1, 2], "done": []}',
        '{"order": "x"}',
        '{"order": [0,1,2,3,4,5,6,7,8,12], "done": []}',
    ):
        assert TeachPlan.from_json(bad) is None
    with pytest.raises(ValueError):
        TeachPlan.new(rounds=0)


def test_digits_are_named_with_the_right_article():
    from digitpad.core.handwriting.teach_plan import a_digit

    assert [a_digit(d) for d in (7, 8, 1)] == ["a 7", "an 8", "a 1"]
