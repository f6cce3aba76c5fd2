"""The teach session's plan: which digit to ask for next, in shuffled rounds.

Each round asks for every digit once, in a fresh random order, so the user's samples
stay balanced however early they stop, and no two rounds ask in the same order (a
fixed order would teach the writer a rhythm, not their usual hand). The plan records
what each step saved, so "redo the last one" can take the sample back, and it is
plain JSON so the GUI can keep it in QSettings and resume after a restart.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from typing import Any

DEFAULT_ROUNDS = 5
MAX_ROUNDS = 20


def a_digit(digit: int) -> str:
    """ "a 7", "an 8": how the app names one digit in a sentence."""
    return f"{'an' if digit == 8 else 'a'} {digit}"


@dataclass
class TeachPlan:
    """Rounds of shuffled digits and how far the user got."""

    order: list[int]  # every digit asked for, round after round
    done: list[str | None] = field(default_factory=list)  # per step: sample id or None

    @classmethod
    def new(cls, rounds: int = DEFAULT_ROUNDS, seed: int | None = None) -> TeachPlan:
        if not 1 <= rounds <= MAX_ROUNDS:
            raise ValueError(f"rounds must be 1-{MAX_ROUNDS}")
        rng = random.Random(seed)
        order: list[int] = []
        for _ in range(rounds):
            digits = list(range(10))
            rng.shuffle(digits)
            if order and digits[0] == order[-1]:  # never the same digit twice running
                digits[0], digits[-1] = digits[-1], digits[0]
            order.extend(digits)
        return cls(order)

    @property
    def rounds(self) -> int:
        return len(self.order) // 10

    @property
    def total(self) -> int:
        return len(self.order)

    @property
    def position(self) -> int:
        """Steps taken (saved or skipped); the next step is ``order[position]``."""
        return len(self.done)

    @property
    def finished(self) -> bool:
        return self.position >= self.total

    @property
    def digit(self) -> int | None:
        """The digit to draw now, None once finished."""
        return None if self.finished else self.order[self.position]

    @property
    def round(self) -> int:
        """1-based round of the current step (the last round once finished)."""
        return min(self.position // 10 + 1, self.rounds)

    @property
    def saved(self) -> int:
        return sum(1 for sample_id in self.done if sample_id is not None)

    @property
    def can_go_back(self) -> bool:
        return bool(self.done)

    def record(self, sample_id: str | None) -> None:
        """The current step is over: saved as ``sample_id``, or skipped (None)."""
        if self.finished:
            raise ValueError("the session is finished")
        self.done.append(sample_id)

    def back(self) -> tuple[int, str | None]:
        """Undo the last step: its digit (asked again) and the sample to delete."""
        if not self.done:
            raise ValueError("nothing to redo")
        sample_id = self.done.pop()
        return self.order[self.position], sample_id

    def to_json(self) -> str:
        return json.dumps({"order": self.order, "done": self.done})

    @classmethod
    def from_json(cls, text: Any) -> TeachPlan | None:
        """A saved plan, or None when there is none or it is not a valid one."""
        try:
            data = json.loads(text)
            order, done = data["order"], data["done"]
        except (TypeError, ValueError, KeyError):
            return None
        valid = (
            isinstance(order, list)
            and isinstance(done, list)
            and order
            and len(order) % 10 == 0
            and len(order) <= 10 * MAX_ROUNDS
            and all(type(d) is int and 0 <= d <= 9 for d in order)
            and len(done) <= len(order)
            and all(d is None or isinstance(d, str) for d in done)
        )
        # "" is a step whose write was still pending when the plan was saved: the
        # session cannot know what became of it, so it counts as skipped
        return cls(list(order), [d or None for d in done]) if valid else None
