"""Fixtures for the dashboard tests: databases holding the standard data set and its users,
on SQLite and on PostgreSQL, and the app under AppTest pointed at one through DATABASE_URL.

`seeded_engine` is a fresh database per test (for tests that change data or count audit
events); `standard_url` is one database per test module and backend, for tests that only
read the standard data (it saves a migration and a seeding per test).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final

import pytest
from argon2 import PasswordHasher, profiles
from sqlalchemy import Engine, select
from streamlit.testing.v1 import AppTest

from benchmarks.pg_server import PostgresServer
from dashboards.session import SignedIn
from db import migrate, users
from db.engine import make_engine
from db.models import AuditEvent
from tests.dashboard import seed

APP: Final = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
APP_TIMEOUT_S: Final = 60.0
"""Generous: the first run of a test process imports polars, SQLAlchemy and Streamlit."""

OpenApp = Callable[..., AppTest]
BACKEND_PARAMS: Final = (
    pytest.param("sqlite"),
    pytest.param("postgresql", marks=pytest.mark.postgres),
)


@pytest.fixture(autouse=True, scope="session")
def quick_password_hashes() -> Iterator[None]:
    """argon2 with its cheapest parameters (still argon2id): the real ones are slow on purpose,
    which a test suite that signs in hundreds of times cannot afford. The parameters in force
    in production are checked by test_access."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(users, "_HASHER", PasswordHasher.from_parameters(profiles.CHEAPEST))
        yield


@pytest.fixture
def seeded_engine(migrated_engine: Engine) -> Engine:
    """A migrated database holding the standard cases, an admin and a viewer."""
    seed.seed_cases(migrated_engine, seed.standard_cases())
    seed.seed_users(migrated_engine)
    return migrated_engine


@pytest.fixture(scope="module", params=BACKEND_PARAMS)
def standard_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The URL of a database with the standard data and users, shared by a module's tests
    that only read it."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('standard') / 'intake.db'}"
        yield from _seeded(url)
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    with server.new_database("s") as url:
        yield from _seeded(url)


def _seeded(url: str) -> Iterator[str]:
    engine = make_engine(url)
    migrate.upgrade(engine)
    seed.seed_cases(engine, seed.standard_cases())
    seed.seed_users(engine)
    engine.dispose()
    yield url


@pytest.fixture
def dashboard_env(monkeypatch: pytest.MonkeyPatch, database_url: str) -> str:
    """Point the dashboard at the test's own database."""
    return _point_at(monkeypatch, database_url)


@pytest.fixture
def open_app(dashboard_env: str) -> OpenApp:
    """Run the dashboard on the test's own database, signed in as `username` if given."""
    return _opener()


@pytest.fixture
def standard_env(monkeypatch: pytest.MonkeyPatch, standard_url: str) -> str:
    """Point the dashboard at the module's shared standard database."""
    return _point_at(monkeypatch, standard_url)


@pytest.fixture
def open_standard_app(standard_env: str) -> OpenApp:
    """Run the dashboard on the module's shared standard database."""
    return _opener()


def _point_at(monkeypatch: pytest.MonkeyPatch, url: str) -> str:
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def _opener() -> OpenApp:
    def run(username: str | None = None) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT_S)
        if username is not None:
            role = "admin" if username == seed.ADMIN else "viewer"
            at.session_state["signed_in"] = SignedIn(username, role, "password")
        return at.run()

    return run


def metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    """Every metric on the page: label -> (value, change)."""
    return {m.label: (m.value, m.delta) for m in at.metric}


def table(at: AppTest, column: str) -> Any:
    """The table on the page that has `column` (a pandas DataFrame, as AppTest gives it)."""
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert len(found) == 1, f"expected one table with {column!r}, found {len(found)}"
    return found[0]


def audit_events(
    engine: Engine | str, username: str | None = None
) -> list[tuple[str, str, dict[str, Any] | None]]:
    """The audit log (of `username`, if given), oldest first: (username, event, filters)."""
    query = select(AuditEvent.username, AuditEvent.event, AuditEvent.filters).order_by(
        AuditEvent.id
    )
    if username is not None:
        query = query.where(AuditEvent.username == username)
    built = make_engine(engine) if isinstance(engine, str) else engine
    with built.connect() as connection:
        rows = [(r.username, r.event, r.filters) for r in connection.execute(query)]
    if isinstance(engine, str):
        built.dispose()
    return rows
