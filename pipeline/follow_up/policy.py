"""The follow-up rules, pure: when an item falls due, and which state changes a person may make
(open -> contacted -> closed, closing with an outcome; a closed item is reopened only by the
pipeline, when a correction raises the case's triage)."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Final

from pipeline.contract.outputs import Triage

URGENT_HOURS_ENV: Final = "INTAKE_FOLLOW_UP_URGENT_HOURS"
EVALUATE_DAYS_ENV: Final = "INTAKE_FOLLOW_UP_EVALUATE_DAYS"
DEFAULT_URGENT_HOURS: Final = 24
DEFAULT_EVALUATE_DAYS: Final = 7
TRIAGE_RANK: Final = {Triage.ROUTINE.value: 0, Triage.EVALUATE.value: 1, Triage.URGENT.value: 2}
"""How urgent each triage level is: a correction that raises the rank reopens an item."""

NEXT_STATES: Final = {"open": ("contacted", "closed"), "contacted": ("closed",), "closed": ()}
"""The changes a person may make from each state."""


class FollowUpError(ValueError):
    """A change a person asked for that the rules do not allow; the message says why."""


@dataclass(frozen=True, slots=True)
class DuePolicy:
    """How long after a record lands its follow-up falls due, per triage level."""

    urgent: dt.timedelta = dt.timedelta(hours=DEFAULT_URGENT_HOURS)
    evaluate: dt.timedelta = dt.timedelta(days=DEFAULT_EVALUATE_DAYS)

    @classmethod
    def from_environment(cls) -> DuePolicy:
        """`INTAKE_FOLLOW_UP_URGENT_HOURS` and `INTAKE_FOLLOW_UP_EVALUATE_DAYS`, else 24 h, 7 d."""
        try:
            hours = float(os.environ.get(URGENT_HOURS_ENV, DEFAULT_URGENT_HOURS))
            days = float(os.environ.get(EVALUATE_DAYS_ENV, DEFAULT_EVALUATE_DAYS))
        except ValueError as error:
            msg = f"{URGENT_HOURS_ENV} and {EVALUATE_DAYS_ENV} must be numbers: {error}"
            raise FollowUpError(msg) from error
        if hours <= 0 or days <= 0:
            msg = f"{URGENT_HOURS_ENV} and {EVALUATE_DAYS_ENV} must be more than 0"
            raise FollowUpError(msg)
        return cls(dt.timedelta(hours=hours), dt.timedelta(days=days))

    def allowed(self, level: str) -> dt.timedelta:
        return self.urgent if level == Triage.URGENT.value else self.evaluate


def check_change(state: str, to: str, outcome: str | None) -> None:
    """Raise `FollowUpError` unless a person may move an item from `state` to `to` (closing
    needs an outcome; only closing takes one)."""
    if to not in NEXT_STATES.get(state, ()):
        msg = f"an item that is {state} cannot become {to}"
        raise FollowUpError(msg)
    if to == "closed" and outcome is None:
        raise FollowUpError("closing an item needs an outcome")
    if to != "closed" and outcome is not None:
        raise FollowUpError("only closing an item takes an outcome")
