"""Fixtures for the dashboard tests: a database holding the standard data set and its users
(on SQLite and on PostgreSQL, through the root fixtures), and the app under AppTest pointed
at it through DATABASE_URL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

import pytest
from sqlalchemy import Engine, select
from streamlit.testing.v1 import AppTest

from dashboards.session import SignedIn
from db.models import AuditEvent
from tests.dashboard import seed

APP: Final = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
APP_TIMEOUT_S: Final = 60.0
"""Generous: the first run of a test process imports polars, SQLAlchemy and Streamlit."""

OpenApp = Callable[..., AppTest]


@pytest.fixture
def seeded_engine(migrated_engine: Engine) -> Engine:
    """A migrated database holding the standard cases, an admin and a viewer."""
    seed.seed_cases(migrated_engine, seed.standard_cases())
    seed.seed_users(migrated_engine)
    return migrated_engine


@pytest.fixture
def dashboard_env(monkeypatch: pytest.MonkeyPatch, database_url: str) -> str:
    """Point the dashboard at the test database, without sign-in delays."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("DASHBOARD_SIGN_IN_DELAY_BASE", "0")
    return database_url


@pytest.fixture
def open_app(dashboard_env: str) -> OpenApp:
    """Run the dashboard entrypoint, signed in as `username` (a seeded user) if given."""

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


def audit_events(engine: Engine) -> list[tuple[str, str, dict[str, Any] | None]]:
    """The audit log, oldest first: (username, event, filters)."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(AuditEvent.username, AuditEvent.event, AuditEvent.filters).order_by(
                AuditEvent.id
            )
        )
        return [(r.username, r.event, r.filters) for r in rows]
