"""Users, passwords and sign-in: hashes made by argon2, every attempt on record, a user name
or a client address locked out for a while after repeated failures, across all sessions; on
SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from argon2 import Type, profiles
from sqlalchemy import Engine, select

from dashboards import access
from dashboards.settings import SignInLimits
from db import audit, users
from db.engine import make_engine
from db.models import AuditEvent, DashboardUser
from tests.dashboard import seed

LIMITS = SignInLimits(
    per_username=5,
    per_address=8,
    window=dt.timedelta(minutes=15),
    lockout=dt.timedelta(minutes=15),
)
T0 = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now


def _events(engine: Engine) -> list[tuple[str, str]]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(AuditEvent.username, AuditEvent.event).order_by(AuditEvent.id)
        )
        return [(r.username, r.event) for r in rows]


def _sign_in(
    engine: Engine, clock: Clock, username: str, password: str, address: str = "198.51.100.1"
) -> access.SignInResult:
    return access.sign_in_with_password(
        engine, username, password, address=address, limits=LIMITS, now=clock
    )


def test_passwords_are_hashed_with_rfc_9106_parameters_in_production() -> None:
    assert users.HASH_PARAMETERS == profiles.RFC_9106_LOW_MEMORY
    assert users.HASH_PARAMETERS.type == Type.ID
    assert users.HASH_PARAMETERS.memory_cost >= 64 * 1024


def test_a_password_is_stored_only_as_an_argon2id_hash(migrated_engine: Engine) -> None:
    seed.seed_users(migrated_engine)
    with migrated_engine.connect() as connection:
        stored = connection.execute(
            select(DashboardUser.password_hash).where(DashboardUser.username == seed.ADMIN)
        ).scalar_one()
    assert stored is not None
    assert stored.startswith("$argon2id$")
    assert seed.PASSWORD not in stored


def test_the_right_password_signs_in_and_is_recorded(migrated_engine: Engine) -> None:
    seed.seed_users(migrated_engine)
    user = _sign_in(migrated_engine, Clock(), seed.ADMIN, seed.PASSWORD).user
    assert user is not None
    assert (user.username, user.role, user.is_admin) == (seed.ADMIN, "admin", True)
    assert _events(migrated_engine) == [(seed.ADMIN, "sign_in")]


@pytest.mark.parametrize(
    ("username", "password"),
    [
        pytest.param(seed.ADMIN, "wrong password", id="wrong password"),
        pytest.param("mallory", seed.PASSWORD, id="unknown user"),
        pytest.param(seed.ADMIN.upper(), seed.PASSWORD, id="name in other case"),
    ],
)
def test_a_wrong_password_or_unknown_user_is_refused_and_recorded(
    migrated_engine: Engine, username: str, password: str
) -> None:
    seed.seed_users(migrated_engine)
    assert _sign_in(migrated_engine, Clock(), username, password).user is None
    assert _events(migrated_engine) == [(username, "sign_in_failed")]


def test_failures_from_many_addresses_lock_the_name_then_the_right_password_gets_through(
    migrated_engine: Engine,
) -> None:
    seed.seed_users(migrated_engine)
    clock = Clock()
    for i in range(LIMITS.per_username):
        result = _sign_in(migrated_engine, clock, seed.ADMIN, "guess", f"203.0.113.{i}")
        assert result == access.SignInResult(None)
        clock.now += dt.timedelta(seconds=10)
    refused = _sign_in(migrated_engine, clock, seed.ADMIN, seed.PASSWORD, "192.0.2.7")
    assert refused.user is None
    assert refused.locked_until is not None
    assert refused.locked_until > clock.now
    assert _sign_in(migrated_engine, clock, seed.VIEWER, seed.PASSWORD).user is not None, (
        "another name is not locked"
    )
    clock.now = refused.locked_until + dt.timedelta(seconds=1)
    assert _sign_in(migrated_engine, clock, seed.ADMIN, seed.PASSWORD, "192.0.2.7").user
    assert _events(migrated_engine)[-3:] == [
        (seed.ADMIN, "sign_in_failed"),
        (seed.VIEWER, "sign_in"),
        (seed.ADMIN, "sign_in"),
    ]


def test_failures_for_many_names_lock_their_address_and_no_other(migrated_engine: Engine) -> None:
    seed.seed_users(migrated_engine)
    clock = Clock()
    for i in range(LIMITS.per_address):
        _sign_in(migrated_engine, clock, f"name{i}", "guess", "203.0.113.9")
    locked = _sign_in(migrated_engine, clock, seed.ADMIN, seed.PASSWORD, "203.0.113.9")
    assert locked.locked_until is not None
    assert _sign_in(migrated_engine, clock, seed.ADMIN, seed.PASSWORD, "203.0.113.10").user


def test_a_success_or_a_quiet_window_clears_a_names_count(migrated_engine: Engine) -> None:
    seed.seed_users(migrated_engine)
    clock = Clock()
    for _ in range(LIMITS.per_username - 1):
        _sign_in(migrated_engine, clock, seed.VIEWER, "guess")
    assert _sign_in(migrated_engine, clock, seed.VIEWER, seed.PASSWORD).user is not None
    for _ in range(LIMITS.per_username - 1):
        _sign_in(migrated_engine, clock, seed.VIEWER, "guess")
    clock.now += LIMITS.window
    for _ in range(LIMITS.per_username - 1):
        _sign_in(migrated_engine, clock, seed.VIEWER, "guess")
    assert _sign_in(migrated_engine, clock, seed.VIEWER, seed.PASSWORD, "192.0.2.1").user


def test_a_parallel_burst_of_guesses_gets_exactly_the_threshold_of_checks(
    migrated_engine: Engine, database_url: str
) -> None:
    seed.seed_users(migrated_engine)
    burst = 3 * LIMITS.per_username
    shared = make_engine(database_url)
    start = threading.Barrier(burst)

    def guess(i: int) -> access.SignInResult:
        start.wait()
        return access.sign_in_with_password(
            shared, seed.ADMIN, f"guess {i}", address=f"203.0.113.{i}", limits=LIMITS
        )

    try:
        with ThreadPoolExecutor(max_workers=burst) as pool:
            results = list(pool.map(guess, range(burst)))
    finally:
        shared.dispose()
    assert all(r.user is None for r in results)
    assert sum(r.locked_until is None for r in results) == LIMITS.per_username
    assert len(_events(migrated_engine)) == burst


def test_a_user_without_a_password_can_only_sign_in_through_oidc(migrated_engine: Engine) -> None:
    with migrated_engine.begin() as connection:
        users.add_user(connection, "ann@clinic.example", "viewer", None)
    assert _sign_in(migrated_engine, Clock(), "ann@clinic.example", "").user is None
    assert access.sign_in_with_identity(migrated_engine, "ann@clinic.example") is not None
    assert access.sign_in_with_identity(migrated_engine, "eve@elsewhere.example") is None
    assert _events(migrated_engine) == [
        ("ann@clinic.example", "sign_in_failed"),
        ("ann@clinic.example", "sign_in"),
        ("eve@elsewhere.example", "sign_in_failed"),
    ]


@pytest.mark.parametrize(
    ("username", "role", "password", "message"),
    [
        pytest.param("has space", "viewer", seed.PASSWORD, "invalid username", id="bad name"),
        pytest.param("x" * 129, "viewer", seed.PASSWORD, "invalid username", id="long name"),
        pytest.param("bob", "owner", seed.PASSWORD, "invalid role", id="bad role"),
        pytest.param("bob", "viewer", "short", "at least 10", id="short password"),
        pytest.param("bob", "viewer", "aaaaaaaaaa", "too easy to guess", id="repetition"),
        pytest.param("bob", "viewer", "1234567890", "too easy to guess", id="sequence"),
        pytest.param("bob", "viewer", "password12", "too easy to guess", id="common"),
        pytest.param("bob", "viewer", "iloveyou2024", "too easy to guess", id="breached"),
        pytest.param("robert99", "viewer", "robert99robert99", "too easy", id="user name"),
        pytest.param(seed.ADMIN, "viewer", seed.PASSWORD, "already exists", id="taken name"),
    ],
)
def test_a_user_is_refused_with_a_reason(
    migrated_engine: Engine, username: str, role: str, password: str, message: str
) -> None:
    seed.seed_users(migrated_engine)
    with pytest.raises(users.UserError, match=message), migrated_engine.begin() as connection:
        users.add_user(connection, username, role, password)


def test_a_generated_password_is_random_long_and_accepted(migrated_engine: Engine) -> None:
    made = {users.generate_password() for _ in range(20)}
    assert len(made) == 20
    assert all(len(p) >= 24 for p in made)
    with migrated_engine.begin() as connection:
        users.add_user(connection, "demo-admin", "admin", made.pop())


def test_users_are_listed_by_name_and_can_be_removed(migrated_engine: Engine) -> None:
    seed.seed_users(migrated_engine)
    with migrated_engine.begin() as connection:
        assert [u.username for u in users.list_users(connection)] == [seed.ADMIN, seed.VIEWER]
        assert users.remove_user(connection, seed.VIEWER)
        assert not users.remove_user(connection, seed.VIEWER)
        assert [u.username for u in users.list_users(connection)] == [seed.ADMIN]


def test_an_overlong_name_typed_at_sign_in_is_recorded_cut(migrated_engine: Engine) -> None:
    with migrated_engine.begin() as connection:
        audit.record(connection, "n" * 500, "sign_in_failed")
    assert _events(migrated_engine) == [("n" * 128, "sign_in_failed")]
