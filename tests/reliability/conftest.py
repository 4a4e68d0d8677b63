"""The landing directory the reliability tests ingest, the state an uninterrupted run of it
leaves, and the count of malformed inputs the fuzz tests tried (in the run's summary)."""

from __future__ import annotations

from collections import Counter
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


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Add up what the fuzz tests recorded (`malformed_*` properties, at their teardown)."""
    tried: Counter[str] = Counter()
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) != "teardown":
                continue
            for key, value in report.user_properties:
                if key.startswith("malformed_"):
                    tried[key.removeprefix("malformed_")] += int(value)
    if tried:
        terminalreporter.write_line(
            f"malformed inputs tried: {tried['files']:,} files, {tried['lines']:,} hostile lines"
            f" among good records; {tried['pipeline_runs']} full pipeline runs of fuzzed files"
        )
