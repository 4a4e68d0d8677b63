"""What an administrator does to follow-up items and cases, each written with its audit event
in one short transaction that takes its lock up front (`db.transactions.write`)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection

from dashboards.database import engine_for
from dashboards.session import SignedIn
from db import audit, transactions
from pipeline.follow_up.items import ChangedMeanwhile, change_state
from pipeline.follow_up.policy import FollowUpError


def change(
    url: str,
    user: SignedIn,
    item_id: int,
    version: int,
    *,
    to: str,
    outcome: str | None = None,
    note: str | None = None,
) -> str | None:
    """Move an item to `to`, recording who and when, and audit it. Returns None when done, or
    what to tell the user: someone changed the item first (who, and its state now), or the
    change is not allowed."""
    note = (note or "").strip() or None

    def work(connection: Connection) -> None:
        change_state(
            connection,
            item_id,
            version,
            to=to,
            by=user.username,
            now=dt.datetime.now(dt.UTC),
            outcome=outcome,
            note=note,
        )
        audit.record(
            connection,
            user.username,
            "follow_up_changed",
            {"item": item_id, "to": to, "outcome": outcome},
        )

    try:
        transactions.write(engine_for(url), work)
    except ChangedMeanwhile as told:
        return (
            f"{told.changed_by} changed this item at {told.changed_at:%H:%M} UTC: it is "
            f"{told.state} now. Nothing was changed; look again and decide."
        )
    except FollowUpError as refused:
        return str(refused).capitalize() + "."
    return None


def record_case_opened(url: str, user: SignedIn, intake_id: str) -> None:
    """Opening a case is written to the audit log with its intake id."""
    transactions.write(
        engine_for(url),
        lambda connection: audit.record(
            connection, user.username, "case_opened", {"intake_id": intake_id}
        ),
    )


def record_search(url: str, user: SignedIn, find: str) -> None:
    """Looking a case up by intake id or patient ref is audited with what was looked for."""
    transactions.write(
        engine_for(url),
        lambda connection: audit.record(connection, user.username, "case_searched", {"find": find}),
    )
