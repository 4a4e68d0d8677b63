"""Signing in: checking a password or an OpenID Connect identity against the registered
users, refusing attempts while a user name or a client address is locked out after repeated
failures, and recording every attempt. No Streamlit here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, Engine

from dashboards import cookies
from dashboards.settings import SignInLimits, sign_in_limits
from db import audit, sessions, transactions, users
from db.sign_in_limits import Counted, Limit, reserve, settle

LOCAL_ADDRESS = "local"
"""The address of a client Streamlit gives none for (one on the same machine)."""


@dataclass(frozen=True, slots=True)
class SignInResult:
    """The user signed in, or None; when refused without a check, until when."""

    user: users.User | None
    locked_until: dt.datetime | None = None


def counted_against(username: str, address: str, limits: SignInLimits) -> list[Counted]:
    """The user name and the client address an attempt counts against, with their limits."""
    return [
        Counted(Limit("username", limits.per_username, limits.window, limits.lockout), username),
        Counted(Limit("address", limits.per_address, limits.window, limits.lockout), address),
    ]


def sign_in_with_password(
    engine: Engine,
    username: str,
    password: str,
    *,
    address: str | None = None,
    limits: SignInLimits | None = None,
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
) -> SignInResult:
    """The user if the password is theirs. While the name or the address is locked out the
    password is not even checked. Every attempt is recorded in the audit log.

    Two short write transactions around the slow hash check, which holds no lock: the first
    counts the attempt (or refuses it), the second settles it and records it."""
    counted = counted_against(username, address or LOCAL_ADDRESS, limits or sign_in_limits())

    def begin(connection: Connection) -> tuple[dt.datetime | None, str | None]:
        locked_until = reserve(connection, counted, now())
        if locked_until is not None:
            details = {"refused": "locked out", "until": locked_until.isoformat()}
            audit.record(connection, username, "sign_in_failed", details, at=now())
            return locked_until, None
        return None, users.stored_hash(connection, username)

    locked_until, stored = transactions.write(engine, begin)
    if locked_until is not None:
        return SignInResult(None, locked_until)
    matches = users.verify(stored, password)

    def finish(connection: Connection) -> users.User | None:
        user = None
        if matches and stored is not None:
            users.rehash_if_outdated(connection, username, stored, password)
            user = users.get_user(connection, username)
        settle(connection, counted, succeeded=user is not None, now=now())
        audit.record(connection, username, "sign_in" if user else "sign_in_failed", at=now())
        return user

    return SignInResult(transactions.write(engine, finish))


def sign_in_with_identity(engine: Engine, identity: str) -> users.User | None:
    """The registered user for an identity the OpenID Connect provider vouched for (their
    e-mail address), else None; either way recorded in the audit log."""

    def record(connection: Connection) -> users.User | None:
        user = users.get_user(connection, identity)
        audit.record(connection, identity, "sign_in" if user else "sign_in_failed")
        return user

    return transactions.write(engine, record)


def open_browser_session(engine: Engine, user: users.User, method: str) -> str:
    """Open a session for `user` who just signed in; the signed ticket that lets their
    browser collect the session's cookie (once, within a minute)."""
    token = transactions.write(
        engine,
        lambda connection: sessions.open_session(
            connection, user.username, method, cookies.session_lifetime(), _now()
        ),
    )
    return cookies.sign_ticket(token)


def collect_cookie(engine: Engine, ticket: str | None) -> str | None:
    """The signed cookie value for a valid ticket not used before, else None."""
    token = cookies.token_of_ticket(ticket)
    if token is None:
        return None
    collected = transactions.write(
        engine, lambda connection: sessions.collect(connection, token, _now())
    )
    return cookies.sign_cookie(token) if collected else None


def session_user(engine: Engine, cookie: str | None) -> tuple[users.User, str] | None:
    """The registered user a browser's cookie signs in, and how they signed in; None for a
    missing, forged, expired or signed-out cookie, or a user no longer registered."""
    token = cookies.token_of_cookie(cookie, cookies.session_lifetime())
    if token is None:
        return None
    with engine.connect() as connection:
        found = sessions.find(connection, token, _now())
        user = None if found is None else users.get_user(connection, found[0])
    return None if user is None or found is None else (user, found[1])


def end_session(engine: Engine, cookie: str | None) -> None:
    """Sign the browser holding `cookie` out: its session opens nothing any more."""
    token = cookies.token_of_cookie(cookie, cookies.session_lifetime())
    if token is not None:
        transactions.write(engine, lambda connection: sessions.revoke(connection, token, _now()))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
