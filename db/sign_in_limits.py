"""Failed sign-ins counted per user name and per client address, in the database so that every
session and server process shares them, and the temporary lockout that follows a burst
(NIST SP 800-63B 5.2.2). Call `reserve` and `settle` inside one write transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects import postgresql, sqlite

from db.models import USERNAME_LENGTH, SignInLimit, table_of

LIMITS = table_of(SignInLimit)


@dataclass(frozen=True, slots=True)
class Limit:
    """For one scope: `threshold` failures within `window` lock it for `lockout`."""

    scope: str
    threshold: int
    window: dt.timedelta
    lockout: dt.timedelta


@dataclass(frozen=True, slots=True)
class Counted:
    """One scope and key an attempt is counted against."""

    limit: Limit
    key: str


def reserve(
    connection: Connection, counted: Sequence[Counted], now: dt.datetime
) -> dt.datetime | None:
    """Until when the attempt is refused if any of its keys is locked (nothing is counted);
    else None, with the attempt counted as a failure against every key."""
    rows = {item: _row(connection, item, now) for item in counted}
    locked = [
        until for until in (_lock_after(connection, i, r, now) for i, r in rows.items()) if until
    ]
    if locked:
        return max(locked)
    # Counted as a failure *before* the password is checked, so a burst of parallel attempts
    # cannot slip past the threshold between reading and writing the count; `settle` takes a
    # success's reservation back.
    for item, (failures, started) in rows.items():
        connection.execute(
            _where(update(LIMITS), item).values(failures=failures + 1, window_started_at=started)
        )
    return None


def settle(
    connection: Connection, counted: Sequence[Counted], *, succeeded: bool, now: dt.datetime
) -> None:
    """After the check: a success clears the user name's count and takes back its reservation
    against the address; a failure that reaches a threshold starts that key's lockout."""
    for item in counted:
        if succeeded and item.limit.scope == "username":
            # Rows are reset, never deleted: a parallel attempt may be about to lock this one.
            connection.execute(
                _where(update(LIMITS), item).values(failures=0, window_started_at=now)
            )
        elif succeeded:
            connection.execute(
                _where(update(LIMITS), item)
                .where(LIMITS.c.failures > 0)
                .values(failures=LIMITS.c.failures - 1)
            )
        else:
            connection.execute(
                _where(update(LIMITS), item)
                .where(LIMITS.c.failures >= item.limit.threshold)
                .values(failures=0, window_started_at=now, locked_until=now + item.limit.lockout)
            )


def _row(connection: Connection, item: Counted, now: dt.datetime) -> tuple[int, dt.datetime]:
    """The key's failures within its window and when the window started, the row locked for
    this transaction (made if missing)."""
    dialect = connection.dialect.name
    make = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(LIMITS)
    connection.execute(
        make.values(
            scope=item.limit.scope, key=_key(item), failures=0, window_started_at=now
        ).on_conflict_do_nothing()
    )
    row = connection.execute(
        _where(select(LIMITS.c.failures, LIMITS.c.window_started_at), item).with_for_update()
    ).one()
    started = _utc(row.window_started_at)
    if now - started >= item.limit.window:
        return 0, now
    return int(row.failures), started


def _lock_after(
    connection: Connection, item: Counted, row: tuple[int, dt.datetime], now: dt.datetime
) -> dt.datetime | None:
    """When the key's lockout ends, if it is locked now; a key whose count reached the
    threshold by attempts still in flight is locked from now."""
    until = connection.execute(_where(select(LIMITS.c.locked_until), item)).scalar_one()
    if until is not None and _utc(until) > now:
        return _utc(until)
    if row[0] >= item.limit.threshold:
        start = now + item.limit.lockout
        connection.execute(
            _where(update(LIMITS), item).values(
                failures=0, window_started_at=now, locked_until=start
            )
        )
        return start
    return None


def _where(statement: Any, item: Counted) -> Any:
    return statement.where(LIMITS.c.scope == item.limit.scope, LIMITS.c.key == _key(item))


def _key(item: Counted) -> str:
    return item.key[:USERNAME_LENGTH]


def _utc(value: dt.datetime) -> dt.datetime:
    """SQLite gives times back without their zone; they were written in UTC."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value
