"""Signing in: checking a password or an OpenID Connect identity against the registered
users, slowing repeated failures down, and recording every attempt. No Streamlit here."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Final

from sqlalchemy import Connection, Engine

from dashboards.settings import SignInThrottle
from db import audit, transactions, users

MAX_DOUBLINGS: Final = 32
"""Beyond this many doublings the delay is at its cap anyway (and 2**n stays a small number)."""


def failure_delay(failures: int, throttle: SignInThrottle) -> float:
    """Seconds to wait before checking a password after `failures` recent failed sign-ins
    for that name: none at first, then base, 2 x base, 4 x base, ... up to the cap."""
    if failures <= 0 or throttle.base_seconds <= 0:
        return 0.0
    doublings = min(failures - 1, MAX_DOUBLINGS)
    return float(min(throttle.max_seconds, throttle.base_seconds * 2**doublings))


def sign_in_with_password(
    engine: Engine,
    username: str,
    password: str,
    *,
    throttle: SignInThrottle,
    sleep: Callable[[float], None] = time.sleep,
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
) -> users.User | None:
    """The user if the password is theirs, else None. Waits first according to the recent
    failures for that name, then records the attempt (success or failure) in the audit log."""
    with engine.connect() as connection:
        failures = audit.recent_failed_sign_ins(
            connection, username, window=throttle.window, now=now()
        )
        stored = users.stored_hash(connection, username)
    sleep(failure_delay(failures, throttle))
    # The slow hash check holds no lock; the writes after it are one short transaction that
    # takes the write lock up front, so concurrent sign-ins queue instead of failing.
    matches = users.verify(stored, password)

    def record(connection: Connection) -> users.User | None:
        user = None
        if matches and stored is not None:
            users.rehash_if_outdated(connection, username, stored, password)
            user = users.get_user(connection, username)
        audit.record(connection, username, "sign_in" if user else "sign_in_failed", at=now())
        return user

    return transactions.write(engine, record)


def sign_in_with_identity(engine: Engine, identity: str) -> users.User | None:
    """The registered user for an identity the OpenID Connect provider vouched for (their
    e-mail address), else None; either way recorded in the audit log."""

    def record(connection: Connection) -> users.User | None:
        user = users.get_user(connection, identity)
        audit.record(connection, identity, "sign_in" if user else "sign_in_failed")
        return user

    return transactions.write(engine, record)
