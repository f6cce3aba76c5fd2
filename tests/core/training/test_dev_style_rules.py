"""The rules that count the development drawings' styles for the README (in
``tests/benchmarks/bench_dev_styles.py``) tell the styles apart on digits written in
those styles and in the plain ones, so a count they give means what it says."""

from __future__ import annotations

import numpy as np
import pytest

from digitpad.core.training.stroke_digits import draw_digit
from tests.benchmarks.bench_dev_styles import (
    is_crossed_seven,
    is_flagged_one,
    is_hooked_nine,
)

CASES = [
    (is_flagged_one, ["flagged 1", "flagged 1 with a foot"], "plain 1"),
    (is_crossed_seven, ["crossed 7", "crossed 7, curved top"], "plain 7"),
    (is_hooked_nine, ["hooked 9"], "plain 9"),
]


def share(rule, style: str, rng: np.random.Generator, count: int = 120) -> float:
    return float(np.mean([rule(draw_digit(style, rng)) for _ in range(count)]))


@pytest.mark.parametrize(("rule", "styled", "plain"), CASES, ids=[c[2] for c in CASES])
def test_a_style_rule_finds_the_style_and_not_the_plain_digit(rule, styled, plain):
    rng = np.random.default_rng(3)
    for style in styled:
        # short, steep flags reach less than the rule's 18 % to the left: not flags
        assert share(rule, style, rng) >= 0.85, style
    # a plain 9's tail may curl left in a slanted hand: a few are hooks by any rule
    assert share(rule, plain, rng) <= 0.2, plain
