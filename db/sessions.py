"""Signed-in browsers: a session opened with a random token at sign-in, its cookie collected once,
found again on every page load, ended when it expires or its user signs out."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Final

from sqlalchemy import ColumnElement, Connection, and_, insert, select, update

from db.models import DashboardSession, table_of

SESSIONS = table_of(DashboardSession)
TOKEN_BYTES: Final = 32


def open_session(
    connection: Connection, username: str, method: str, lifetime: dt.timedelta, now: dt.datetime
) -> str:
    """A new session of `username`, valid for `lifetime`; its token (never stored)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    connection.execute(
        insert(SESSIONS).values(
            token_hash=_hash(token),
            username=username,
            method=method,
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    return token


def collect(connection: Connection, token: str, now: dt.datetime) -> bool:
    """Mark the session's cookie as handed to a browser; False if it was already, or the
    session has ended: a sign-in's cookie is handed out once."""
    result = connection.execute(
        update(SESSIONS)
        .where(_live(token, now), SESSIONS.c.collected_at.is_(None))
        .values(collected_at=now)
    )
    return bool(result.rowcount)


def find(connection: Connection, token: str, now: dt.datetime) -> tuple[str, str] | None:
    """(user name, sign-in method) of the live, collected session with `token`, else None."""
    row = connection.execute(
        select(SESSIONS.c.username, SESSIONS.c.method).where(
            _live(token, now), SESSIONS.c.collected_at.is_not(None)
        )
    ).one_or_none()
    return None if row is None else (row.username, row.method)


def revoke(connection: Connection, token: str, now: dt.datetime) -> None:
    """End the session with `token` (signing out): its cookie opens nothing any more."""
    connection.execute(
        update(SESSIONS)
        .where(SESSIONS.c.token_hash == _hash(token), SESSIONS.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def _live(token: str, now: dt.datetime) -> ColumnElement[bool]:
    return and_(
        SESSIONS.c.token_hash == _hash(token),
        SESSIONS.c.revoked_at.is_(None),
        SESSIONS.c.expires_at > now,
    )


def _hash(token: str) -> str:
    # Only the token's SHA-256 is stored, so a copy of the database signs no one in.
    return hashlib.sha256(token.encode()).hexdigest()
