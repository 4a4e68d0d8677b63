"""The dashboard against hostile visitors and hostile data (AppTest, on both databases; issue 8):
every page by every path refuses the signed-out, viewers never reach the worklist, passwords are
only hashes, hostile text is shown verbatim, logs hold no patient data."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import pytest
from sqlalchemy import Engine, MetaData, select
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from dashboards.session import SignedIn
from db.models import CaseVersion, DashboardUser
from pipeline.cli import app as intake_cli
from tests.dashboard import seed
from tests.dashboard.conftest import APP, APP_TIMEOUT_S, audit_events
from tests.files import csv, line
from tests.reliability.hostile import SCRIPT_INJECTION, SQL_INJECTION
from tests.reliability.state import run_in_process

PAGES: Final = sorted(p.stem for p in (APP.parent / "app_pages").glob("*.py"))  # new ones too
PROTECTED_PAGES: Final = [page for page in PAGES if page != "sign_in"]
SIGN_IN_TITLE: Final = "Knee-to-hip clinic dashboard"
WORKLIST_TITLE: Final = "Red-flag worklist"
EXPORT_LABEL: Final = "Export the worklist (CSV)"
WORKLIST_WAYS: Final = (
    {"page": "worklist"},
    {"page": "/worklist"},
    {"page": "WORKLIST"},
    {"page": "app_pages/worklist.py"},
    {"page": "Red-flag worklist"},
    {"url_path": "worklist"},
    {"export": "red_flag_worklist"},
    {"export_red_flag_worklist": "true", "page": "worklist"},
    {"embed": "true", "page": "worklist"},
    {"page": "follow_up"},
    {"page": "app_pages/follow_up.py"},
    {"page": "case", "intake_id": "north-current-000"},
    {"url_path": "case", "intake_id": "north-current-000"},
)
"""Ways a viewer might try to open the worklist or its export from the address bar."""


def _app(query: dict[str, str] | None = None, user: SignedIn | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT_S)
    if user is not None:
        at.session_state["signed_in"] = user
    at.query_params.update(query or {})
    return at.run()


def _assert_only_the_sign_in_form(at: AppTest) -> None:
    assert not at.exception
    assert [t.value for t in at.title] == [SIGN_IN_TITLE]
    assert not at.metric
    assert not at.dataframe
    assert not at.get("download_button")
    assert not at.sidebar.multiselect


def _assert_no_worklist(at: AppTest) -> None:
    assert not at.exception
    assert WORKLIST_TITLE not in [t.value for t in at.title]
    assert "Red-flag cases" not in [t.value for t in at.title]
    assert not [d for d in at.dataframe if "Patient ref" in d.value.columns]
    assert all(b.proto.label != EXPORT_LABEL for b in at.get("download_button"))
    assert not [s for s in at.subheader if s.value in ("History", "Follow-up")]
    for page in ("worklist", "follow_up", "case"):
        with pytest.raises(ValueError, match="navigation page"):
            at.switch_page(f"app_pages/{page}.py")


def test_every_page_by_any_path_refuses_a_visitor_who_has_not_signed_in(standard_env: str) -> None:
    assert {"overview", "clinics", "worklist", "data_quality"} <= set(PROTECTED_PAGES)
    for page in PROTECTED_PAGES:
        for query in ({"page": page}, {"url_path": page}, {"page": f"app_pages/{page}.py"}):
            at = _app(query)
            _assert_only_the_sign_in_form(at)
            with pytest.raises(ValueError, match="navigation page"):
                at.switch_page(f"app_pages/{page}.py")
        direct = AppTest.from_file(str(APP.parent / "app_pages" / f"{page}.py")).run()
        assert [e.value for e in direct.error] == ["Sign in to see this page."], page
        assert not direct.metric
        assert not direct.dataframe
        assert not direct.get("download_button")
    assert audit_events(standard_env) == []


def test_a_viewer_reaches_neither_the_worklist_nor_its_export_by_any_path(
    standard_env: str,
) -> None:
    viewer = SignedIn(seed.VIEWER, "viewer", "password")
    for query in WORKLIST_WAYS:
        _assert_no_worklist(_app(query, viewer))
    claiming_admin = _app({"page": "worklist"}, SignedIn(seed.VIEWER, "admin", "password"))
    _assert_no_worklist(claiming_admin)  # the registry's role counts, not the session's
    assert claiming_admin.session_state["signed_in"].role == "viewer"
    assert audit_events(standard_env, seed.VIEWER) == []


def test_a_session_of_someone_not_registered_sees_only_the_sign_in_form(standard_env: str) -> None:
    at = _app({"page": "worklist"}, SignedIn("mallory", "admin", "password"))
    _assert_only_the_sign_in_form(at)


def _sign_in(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="username").set_value(username)
    at.text_input(key="password").set_value(password)
    return at.button(key="sign_in").click().run()


def test_after_repeated_failures_a_name_is_locked_out_then_the_right_password_gets_through(
    seeded_engine: Engine, dashboard_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    lockout_s = 1.5
    monkeypatch.setenv("DASHBOARD_LOCKOUT_USERNAME_FAILURES", "3")
    monkeypatch.setenv("DASHBOARD_LOCKOUT_SECONDS", str(lockout_s))
    at = _app()
    for _ in range(3):
        _sign_in(at, seed.ADMIN, "not the password")
        assert [e.value for e in at.error] == ["Unknown username or wrong password."]
        _assert_only_the_sign_in_form(at)
    locked_at = time.monotonic()
    _sign_in(at, seed.ADMIN, seed.PASSWORD)
    assert "Too many failed sign-ins" in at.error[0].value
    _assert_only_the_sign_in_form(at)
    time.sleep(max(0.0, lockout_s - (time.monotonic() - locked_at)) + 0.2)
    _sign_in(at, seed.ADMIN, seed.PASSWORD)
    assert [t.value for t in at.title] == ["Overview"]
    events = audit_events(seeded_engine)
    assert [e for _, e, _ in events] == [
        "sign_in_failed",
        "sign_in_failed",
        "sign_in_failed",
        "sign_in_failed",
        "sign_in",
    ]
    assert events[3][2] is not None
    assert events[3][2]["refused"] == "locked out"


@pytest.fixture
def logged() -> Iterator[list[str]]:
    """Every log record (any logger, Streamlit's own included) while the test runs."""
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record))

    handler = Keep(logging.DEBUG)
    loggers = [logging.getLogger(), logging.getLogger("streamlit")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    yield records
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


def _every_stored_text(engine: Engine) -> str:
    metadata = MetaData()
    metadata.reflect(bind=engine)
    with engine.connect() as connection:
        return "\n".join(
            repr(row)
            for table in metadata.tables.values()
            for row in connection.execute(select(table))
        )


def test_a_password_is_stored_and_logged_only_as_its_hash(
    migrated_engine: Engine, dashboard_env: str, logged: list[str]
) -> None:
    password, typo = "Tr0ub4dor&3 horse staple", "Tr0ub4dor&3 horse stapel"
    added = CliRunner().invoke(
        intake_cli, ["users", "add", "nora", "--role", "admin", "--password", password]
    )
    assert added.exit_code == 0, added.output
    at = _sign_in(_app(), "nora", typo)
    at = _sign_in(at, "nora", password)
    assert [t.value for t in at.title] == ["Overview"]
    with migrated_engine.connect() as connection:
        stored = connection.execute(select(DashboardUser.password_hash)).scalar_one()
    assert stored is not None
    assert stored.startswith("$argon2id$")
    everything = _every_stored_text(migrated_engine) + "\n".join(logged) + added.output
    assert password not in everything
    assert typo not in everything


def _hostile_landing(directory: Path) -> Path:
    """A day of intake where text fields carry SQL, HTML and script: valid records (urgent, so
    the worklist lists them) with it in their notes, invalid ones with it in their ids."""
    directory.mkdir()
    at = f"{seed.LATEST_DAY}T09:00:00Z"
    urgent = {"intake_at": at, "pain_trend": "rapidly_worsening"}
    (directory / f"intake_hostile_{seed.LATEST_DAY}.csv").write_bytes(
        csv(
            line(intake_id="H-1", notes=SCRIPT_INJECTION, **urgent),
            line(intake_id="H-2", notes=SQL_INJECTION, **urgent),
            line(intake_id="H-3", clinic_id=SCRIPT_INJECTION, **urgent),
            line(intake_id="H-4", patient_ref=SQL_INJECTION, **urgent),
        )
    )
    return directory


def _texts(at: AppTest) -> list[tuple[str, str]]:
    """Every element's kind and text outside tables: where text could be read as markup."""
    found: list[tuple[str, str]] = []
    for kind in (
        "markdown",
        "caption",
        "error",
        "warning",
        "info",
        "success",
        "title",
        "subheader",
    ):
        found.extend((kind, str(getattr(element, "value", ""))) for element in at.get(kind))
    return found


def _cells(at: AppTest) -> str:
    return "\n".join(d.value.to_csv() for d in at.dataframe)


def test_sql_html_and_script_are_shown_verbatim_in_cells_and_never_as_markup(
    migrated_engine: Engine,
    database_url: str,
    dashboard_env: str,
    tmp_path: Path,
    logged: list[str],
) -> None:
    run_in_process(
        _hostile_landing(tmp_path / "landing"), database_url, seed.LATEST_DAY, seed.LATEST_DAY
    )
    seed.seed_users(migrated_engine)
    _sign_in(_app(), SCRIPT_INJECTION, "x")  # typed at sign-in, recorded in the audit log
    _sign_in(_app(), SQL_INJECTION, "x")

    admin = SignedIn(seed.ADMIN, "admin", "password")
    worklist = _app(user=admin).switch_page("app_pages/worklist.py").run()
    quality = _app(user=admin).switch_page("app_pages/data_quality.py").run()
    for at in (worklist, quality):
        assert not at.exception
        assert not [m for m in at.get("markdown") if m.proto.allow_html], "HTML allowed"
        for kind, text in _texts(at):
            assert "<script" not in text, (kind, text)
            assert "DROP TABLE" not in text, (kind, text)
    (cases,) = [d.value for d in worklist.dataframe if "Patient ref" in d.value.columns]
    assert {"H-1", "H-2"} <= set(cases["Intake id"])
    cells = _cells(quality)
    assert repr(SCRIPT_INJECTION) in cells  # an offending clinic_id, as an example
    assert SQL_INJECTION in cells  # a name typed at sign-in, in the audit log
    assert SCRIPT_INJECTION in cells

    with migrated_engine.connect() as connection:
        secrets = {
            text
            for row in connection.execute(select(CaseVersion.patient_ref, CaseVersion.notes))
            for text in row
            if text
        }
    assert secrets
    assert not [s for s in secrets if any(s in record for record in logged)]
