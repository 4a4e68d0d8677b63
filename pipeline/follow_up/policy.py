"""The follow-up rules, pure: when an item falls due, and which state changes a person may make
(open -> contacted -> closed, closing with an outcome; a closed item is reopened only by the
pipeline, when a correction raises the case's triage)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from db.states import FollowUpState
from pipeline import settings
from pipeline.contract.outputs import Triage

TRIAGE_RANK: Final = {Triage.ROUTINE.value: 0, Triage.EVALUATE.value: 1, Triage.URGENT.value: 2}
"""How urgent each triage level is: a correction that raises the rank reopens an item."""

NEXT_STATES: Final[dict[str, tuple[FollowUpState, ...]]] = {
    FollowUpState.OPEN: (FollowUpState.CONTACTED, FollowUpState.CLOSED),
    FollowUpState.CONTACTED: (FollowUpState.CLOSED,),
    FollowUpState.CLOSED: (),
}
"""The changes a person may make from each state."""


class FollowUpError(ValueError):
    """A change a person asked for that the rules do not allow; the message says why."""


@dataclass(frozen=True, slots=True)
class DuePolicy:
    """How long after a record lands its follow-up falls due, per triage level."""

    urgent: dt.timedelta = dt.timedelta(hours=24)
    evaluate: dt.timedelta = dt.timedelta(days=7)

    @classmethod
    def from_environment(cls) -> DuePolicy:
        """`INTAKE_FOLLOW_UP_URGENT_HOURS` and `INTAKE_FOLLOW_UP_EVALUATE_DAYS` (24 h, 7 d)."""
        configured = settings.current()
        return cls(
            dt.timedelta(hours=configured.follow_up_urgent_hours),
            dt.timedelta(days=configured.follow_up_evaluate_days),
        )

    def allowed(self, level: str) -> dt.timedelta:
        return self.urgent if level == Triage.URGENT.value else self.evaluate


def check_change(state: str, to: str, outcome: str | None) -> None:
    """Raise `FollowUpError` unless a person may move an item from `state` to `to` (closing
    needs an outcome; only closing takes one)."""
    if to not in NEXT_STATES.get(state, ()):
        msg = f"an item that is {state} cannot become {to}"
        raise FollowUpError(msg)
    if to == FollowUpState.CLOSED and outcome is None:
        raise FollowUpError("closing an item needs an outcome")
    if to != FollowUpState.CLOSED and outcome is not None:
        raise FollowUpError("only closing an item takes an outcome")
