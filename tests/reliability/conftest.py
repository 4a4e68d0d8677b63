"""The landing directory the reliability tests ingest, and the state an uninterrupted run of
it leaves."""

from __future__ import annotations

from pathlib import Path

import pytest

from db import migrate
from db.engine import make_engine
from tests.reliability.state import Snapshot, run_in_process, seed, snapshot


@pytest.fixture(scope="session")
def landing_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generated intake files (not to be changed by tests: copy them first)."""
    return seed(tmp_path_factory.mktemp("landing"))


@pytest.fixture(scope="session")
def uninterrupted(landing_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    """The state one uninterrupted run of `landing_dir` leaves. Made on SQLite: the snapshot
    holds no database-specific values, so runs on PostgreSQL must end in the same state."""
    url = f"sqlite:///{tmp_path_factory.mktemp('uninterrupted') / 'intake.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    run_in_process(landing_dir, url)
    state = snapshot(engine)
    engine.dispose()
    return state
