"""Empty and broken states (AppTest): an unreachable database, one not migrated or migrated to
an older schema, one without cases, filters that match nothing, a table that cannot be read.
Each gives a clear message that says what to run, never a stack trace. And the configuration
keeps error details out of the browser."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from streamlit.config import ShowErrorDetailsConfigOptions
from streamlit.testing.v1 import AppTest

from dashboards.session import SignedIn
from db import migrate
from tests.dashboard import seed
from tests.dashboard.conftest import APP, APP_TIMEOUT_S, OpenApp, metrics

CONFIG = Path(APP).parent / ".streamlit" / "config.toml"


def _shown_text(at: AppTest) -> str:
    return " ".join(str(e.value) for e in (*at.error, *at.warning, *at.info))


def _run(url: str, monkeypatch: pytest.MonkeyPatch, *, signed_in: bool = False) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT_S)
    if signed_in:
        at.session_state["signed_in"] = SignedIn(seed.ADMIN, "admin", "password")
    return at.run()


@pytest.mark.parametrize(
    ("url", "title"),
    [
        pytest.param(
            "postgresql+psycopg://intake:secret@127.0.0.1:9/intake",
            "The database cannot be reached",
            id="postgres down",
        ),
        pytest.param(
            "sqlite:///{tmp}",
            "The database is a SQLite file that cannot be created or written",
            id="sqlite path is a folder",
        ),
    ],
)
def test_an_unreachable_database_says_what_to_check_and_shows_nothing_else(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, url: str, title: str
) -> None:
    at = _run(url.format(tmp=tmp_path), monkeypatch, signed_in=True)
    assert not at.exception
    assert [e.title for e in at.error] == [title]
    assert "DATABASE_URL" in at.error[0].value
    assert "secret" not in _shown_text(at)
    assert not at.title
    assert not at.text_input
    assert not at.metric


def test_a_database_not_migrated_says_to_run_intake_db_upgrade(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _run(database_url, monkeypatch)
    assert [e.title for e in at.error] == ["The database has no tables yet"]
    assert "`intake db upgrade`" in at.error[0].value
    assert not at.text_input, "no sign-in without a users table"


def test_a_database_on_an_older_schema_says_to_run_intake_db_upgrade(
    engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    migrate.upgrade(engine, "0001")
    at = _run(database_url, monkeypatch)
    assert [e.title for e in at.error] == [
        "The database has an older schema than this version of intake needs"
    ]
    assert "`intake db upgrade`" in at.error[0].value


def test_a_database_without_cases_says_how_to_load_some_on_every_page(
    migrated_engine: Engine, open_app: OpenApp
) -> None:
    seed.seed_users(migrated_engine)
    at = open_app(seed.ADMIN)
    for page in ("app_pages/overview.py", "app_pages/clinics.py", "app_pages/worklist.py"):
        at.switch_page(page).run()
        assert not at.exception
        assert [i.title for i in at.info] == ["No cases yet"], page
        assert "`make demo`" in at.info[0].value
        assert "`intake run`" in at.info[0].value
        assert not at.metric
    at.switch_page("app_pages/data_quality.py").run()
    assert not at.exception
    assert "`intake run`" in _shown_text(at)
    assert "No intake file has been received yet." in _shown_text(at)


def test_filters_that_match_nothing_say_so(open_standard_app: OpenApp) -> None:
    busy = {c.day for c in seed.standard_cases()}
    quiet = next(
        seed.CURRENT_START + dt.timedelta(days=n)
        for n in range(84)
        if not {seed.CURRENT_START + dt.timedelta(days=n - k) for k in (0, 1)} & busy
    )
    at = open_standard_app(seed.ADMIN)
    at.date_input(key="filter_period").set_value((quiet, quiet)).run()
    assert not at.exception
    assert "No cases match these filters" in at.info[0].value
    at.switch_page("app_pages/worklist.py").run()
    assert "No cases match these filters" in at.info[0].value


def test_a_table_that_cannot_be_read_gives_a_message_not_a_stack_trace(
    seeded_engine: Engine, open_app: OpenApp
) -> None:
    at = open_app(seed.ADMIN)
    assert metrics(at)["Cases"][0] == "46"
    with seeded_engine.begin() as connection:
        connection.execute(text("DROP TABLE pipeline_runs"))
    at.switch_page("app_pages/data_quality.py").run()
    assert not at.exception
    assert [e.title for e in at.error] == ["The database could not be read just now"]
    assert "pipeline_runs" not in _shown_text(at)


def test_the_configuration_hides_error_details_stops_usage_statistics_and_runs_headless() -> None:
    config = tomllib.loads(CONFIG.read_text())
    assert config["client"]["showErrorDetails"] == ShowErrorDetailsConfigOptions.NONE
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["headless"] is True
