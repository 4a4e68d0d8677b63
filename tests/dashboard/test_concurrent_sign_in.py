"""Many people signing in at the same moment, on SQLite and PostgreSQL: every attempt is
answered (no "database is locked" error page) and every one is in the audit log.

The clients are real threads calling the sign-in code path the sign-in page calls, on one
shared engine, as the Streamlit server's sessions do; they start together at a barrier.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Final

from sqlalchemy import Engine

from dashboards import access
from db import users
from db.engine import make_engine
from tests.dashboard import seed
from tests.dashboard.conftest import audit_events

CLIENTS: Final = 20


def _attempts() -> list[tuple[str, str, str]]:
    """(name, password, address) for each client: good and bad sign-ins mixed, each from its
    own address, none of them enough to trigger a lockout."""
    good = [(seed.ADMIN, seed.PASSWORD), (seed.VIEWER, seed.PASSWORD)] * 5
    bad = [(seed.ADMIN, "wrong guess 1"), ("mallory", seed.PASSWORD)] * 5
    return [(n, p, f"203.0.113.{i}") for i, (n, p) in enumerate(good + bad)]


def test_twenty_concurrent_sign_ins_are_all_answered_and_all_audited(
    seeded_engine: Engine, database_url: str
) -> None:
    shared = make_engine(database_url)
    attempts = _attempts()
    start = threading.Barrier(CLIENTS)

    def client(attempt: tuple[str, str, str]) -> users.User | None:
        name, password, address = attempt
        start.wait()
        return access.sign_in_with_password(shared, name, password, address=address).user

    try:
        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            answers = list(pool.map(client, attempts))
    finally:
        shared.dispose()

    signed_in = [a.username if a else None for a in answers]
    assert signed_in == [
        n if p == seed.PASSWORD and n != "mallory" else None for n, p, _ in attempts
    ]
    events = audit_events(seeded_engine)
    assert len(events) == CLIENTS
    expected = sorted(
        (n, "sign_in" if p == seed.PASSWORD and n != "mallory" else "sign_in_failed")
        for n, p, _ in attempts
    )
    assert sorted((name, event) for name, event, _ in events) == expected
