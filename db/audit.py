"""The audit record: who signed in (or failed to), who opened the red-flag worklist, who
exported what, when and with which filters. Only ever appended to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, insert

from db.models import AUDIT_EVENTS, USERNAME_LENGTH, AuditEvent, table_of

EVENTS = table_of(AuditEvent)


def record(
    connection: Connection,
    username: str,
    event: str,
    filters: Mapping[str, Any] | None = None,
    *,
    at: dt.datetime | None = None,
) -> None:
    """Append one event. A name longer than the column (typed into a sign-in form) is cut."""
    if event not in AUDIT_EVENTS:
        raise ValueError(f"unknown audit event {event!r}")
    connection.execute(
        insert(EVENTS).values(
            username=username[:USERNAME_LENGTH],
            event=event,
            filters=None if filters is None else dict(filters),
            at=at or dt.datetime.now(dt.UTC),
        )
    )
