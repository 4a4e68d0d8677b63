"""Dashboard users: who may sign in and with which role. Passwords are stored only as argon2id
hashes, and checking one takes the same work whether or not the user exists."""

from __future__ import annotations

import datetime as dt
import functools
import re
import secrets
from dataclasses import dataclass
from typing import Final

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, delete, insert, select, update
from zxcvbn import zxcvbn

from db.models import USERNAME_LENGTH, DashboardUser, table_of
from db.states import Role

USERS = table_of(DashboardUser)

USERNAME_PATTERN: Final = re.compile(rf"[A-Za-z0-9_.@+-]{{1,{USERNAME_LENGTH}}}")
"""A username: 1-128 letters, digits and `_ . @ + -` (an e-mail address fits, for OIDC)."""
MIN_PASSWORD_LENGTH: Final = 10
MIN_PASSWORD_SCORE: Final = 3
"""zxcvbn's score: 3 is "safely unguessable" (about 10^8 guesses and more)."""
ZXCVBN_MAX_LENGTH: Final = 100
"""zxcvbn's time grows quickly with length; the first 100 characters are judged."""
GENERATED_PASSWORD_BYTES: Final = 18

HASH_PARAMETERS: Final = profiles.RFC_9106_LOW_MEMORY  # 64 MiB, 3 passes
_HASHER = PasswordHasher.from_parameters(HASH_PARAMETERS)


class UserError(ValueError):
    """A user cannot be added or changed as asked; the message says why."""


@dataclass(frozen=True, slots=True)
class User:
    """A dashboard user as the application sees it (never with the hash)."""

    username: str
    role: str
    signs_in_with_password: bool
    created_at: dt.datetime

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


def hash_password(password: str) -> str:
    """An argon2id hash of `password`, refusing one shorter than MIN_PASSWORD_LENGTH."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    return _HASHER.hash(password)


def check_new_password(password: str, username: str) -> None:
    """Refuse a new password that is short, common, found in breaches, repetitive, a sequence
    or made of the user name (NIST SP 800-63B 3.1.1.2), as zxcvbn judges it: its guess-count
    score must be at least MIN_PASSWORD_SCORE of 4. The error says why, never the password."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    verdict = zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=[username])
    if int(verdict["score"]) < MIN_PASSWORD_SCORE:
        feedback = verdict["feedback"]
        reason = feedback["warning"] or "It is too easy to guess."
        advice = " ".join(feedback["suggestions"])
        raise UserError(f"that password is too easy to guess: {reason} {advice}".strip())


def generate_password() -> str:
    """A random password for a user made by a script (24 URL-safe characters, 144 bits)."""
    return secrets.token_urlsafe(GENERATED_PASSWORD_BYTES)


def add_user(
    connection: Connection,
    username: str,
    role: str,
    password: str | None,
    *,
    now: dt.datetime | None = None,
) -> User:
    """Register `username` with `role`. Without a password the user can sign in only through
    the deployment's OpenID Connect provider."""
    if not USERNAME_PATTERN.fullmatch(username):
        raise UserError(f"invalid username {username!r}: use 1-128 letters, digits and _ . @ + -")
    if role not in tuple(Role):
        raise UserError(f"invalid role {role!r}: one of {', '.join(Role)}")
    if get_user(connection, username) is not None:
        raise UserError(f"user {username!r} already exists")
    if password is not None:
        check_new_password(password, username)
    created_at = now or dt.datetime.now(dt.UTC)
    connection.execute(
        insert(USERS).values(
            username=username,
            role=role,
            password_hash=None if password is None else hash_password(password),
            created_at=created_at,
        )
    )
    return User(username, role, password is not None, created_at)


def remove_user(connection: Connection, username: str) -> bool:
    """Take `username` off the list of users; True if there was such a user."""
    return bool(connection.execute(delete(USERS).where(USERS.c.username == username)).rowcount)


def get_user(connection: Connection, username: str) -> User | None:
    """The user called `username`, if registered."""
    row = connection.execute(
        select(USERS.c.username, USERS.c.role, USERS.c.password_hash, USERS.c.created_at).where(
            USERS.c.username == username
        )
    ).one_or_none()
    if row is None:
        return None
    return User(row.username, row.role, row.password_hash is not None, row.created_at)


def list_users(connection: Connection) -> list[User]:
    """Every registered user, by name."""
    rows = connection.execute(
        select(USERS.c.username, USERS.c.role, USERS.c.password_hash, USERS.c.created_at).order_by(
            USERS.c.username
        )
    )
    return [User(r.username, r.role, r.password_hash is not None, r.created_at) for r in rows]


def check_password(connection: Connection, username: str, password: str) -> User | None:
    """The user if `password` is theirs, else None (unknown user, no password, wrong one).

    A hash made with older parameters is replaced by a current one on success."""
    stored = stored_hash(connection, username)
    if not verify(stored, password) or stored is None:
        return None
    rehash_if_outdated(connection, username, stored, password)
    return get_user(connection, username)


def stored_hash(connection: Connection, username: str) -> str | None:
    """The password hash of `username`; None for an unknown user or one without a password."""
    stored: str | None = connection.execute(
        select(USERS.c.password_hash).where(USERS.c.username == username)
    ).scalar_one_or_none()
    return stored


def verify(stored: str | None, password: str) -> bool:
    """True if `password` matches the hash `stored`. Without a hash, a dummy one is verified
    instead, so an unknown name costs the same time as a known one."""
    if stored is None:
        _verify(_dummy_hash(), password)
        return False
    return _verify(stored, password)


def rehash_if_outdated(connection: Connection, username: str, stored: str, password: str) -> None:
    """Replace a hash made with older parameters by a current one (after a successful check)."""
    if _HASHER.check_needs_rehash(stored):
        connection.execute(
            update(USERS)
            .where(USERS.c.username == username, USERS.c.password_hash == stored)
            .values(password_hash=_HASHER.hash(password))
        )


def _verify(stored: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


@functools.cache
def _dummy_hash() -> str:
    """A hash to verify against when the user is unknown, so both cases cost the same."""
    return _HASHER.hash("no user has this password")


def any_users(connection: Connection) -> bool:
    """True once at least one user is registered."""
    return connection.execute(select(USERS.c.id).limit(1)).first() is not None
