"""Users, passwords and sign-in: hashes made by argon2, every attempt on record, repeated
failures slowed down; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from argon2 import Type, profiles
from sqlalchemy import Engine, select

from dashboards import access
from dashboards.settings import SignInThrottle
from db import audit, users
from db.models import AuditEvent, DashboardUser
from tests.dashboard import seed

THROTTLE = SignInThrottle(base_seconds=0.5, max_seconds=4.0, window=dt.timedelta(minutes=15))
T0 = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


class Clock:
    """A clock the test moves by hand, and a sleep that only notes what it was asked."""

    def __init__(self) -> None:
        self.now = T0
        self.slept: list[float] = []

    def __call__(self) -> dt.datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += dt.timedelta(seconds=1)


def _events(engine: Engine) -> list[tuple[str, str]]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(AuditEvent.username, AuditEvent.event).order_by(AuditEvent.id)
        )
        return [(r.username, r.event) for r in rows]


def _sign_in(engine: Engine, clock: Clock, username: str, password: str) -> users.User | None:
    return access.sign_in_with_password(
        engine, username, password, throttle=THROTTLE, sleep=clock.sleep, now=clock
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
    user = _sign_in(migrated_engine, Clock(), seed.ADMIN, seed.PASSWORD)
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
    assert _sign_in(migrated_engine, Clock(), username, password) is None
    assert _events(migrated_engine) == [(username, "sign_in_failed")]


def test_repeated_failures_for_a_name_wait_longer_each_time(migrated_engine: Engine) -> None:
    seed.seed_users(migrated_engine)
    clock = Clock()
    for _ in range(6):
        _sign_in(migrated_engine, clock, seed.VIEWER, "guess")
    assert clock.slept == [0.0, 0.5, 1.0, 2.0, 4.0, 4.0]
    other = Clock()
    _sign_in(migrated_engine, other, seed.ADMIN, "guess")
    assert other.slept == [0.0], "another name is not slowed down"


def test_a_successful_sign_in_or_a_quiet_window_resets_the_delay(migrated_engine: Engine) -> None:
    seed.seed_users(migrated_engine)
    clock = Clock()
    for _ in range(3):
        _sign_in(migrated_engine, clock, seed.VIEWER, "guess")
    assert _sign_in(migrated_engine, clock, seed.VIEWER, seed.PASSWORD) is not None
    assert clock.slept[-1] == 2.0, "the right password also waits"
    _sign_in(migrated_engine, clock, seed.VIEWER, "guess")
    assert clock.slept[-1] == 0.0
    _sign_in(migrated_engine, clock, seed.VIEWER, "guess")
    clock.now += THROTTLE.window
    _sign_in(migrated_engine, clock, seed.VIEWER, "guess")
    assert clock.slept[-1] == 0.0


def test_a_user_without_a_password_can_only_sign_in_through_oidc(migrated_engine: Engine) -> None:
    with migrated_engine.begin() as connection:
        users.add_user(connection, "ann@clinic.example", "viewer", None)
    assert _sign_in(migrated_engine, Clock(), "ann@clinic.example", "") is None
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
        pytest.param(seed.ADMIN, "viewer", seed.PASSWORD, "already exists", id="taken name"),
    ],
)
def test_a_user_is_refused_with_a_reason(
    migrated_engine: Engine, username: str, role: str, password: str, message: str
) -> None:
    seed.seed_users(migrated_engine)
    with pytest.raises(users.UserError, match=message), migrated_engine.begin() as connection:
        users.add_user(connection, username, role, password)


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
