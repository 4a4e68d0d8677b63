"""The dashboard (Streamlit AppTest) and `make demo` say what `intake` says for the same
database fault: the dashboard the same words (what went wrong, what to check or run) without
the URL or the driver's reason, which an anonymous visitor has no business seeing; `make demo`
the very line `intake` prints."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Final

import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from db.problems import ADVICE, WHAT, Fault
from pipeline.cli import app
from tests.cli.faults import PASSWORD, WRONG_PASSWORD, PasswordServer, free_port
from tests.dashboard.conftest import APP, APP_TIMEOUT_S

PROJECT: Final = Path(__file__).resolve().parents[2]
FAULTS: Final = {
    "stopped": Fault.UNREACHABLE,
    "wrong password": Fault.CREDENTIALS_REFUSED,
    "database missing": Fault.DATABASE_MISSING,
}


def _url(case: str, server: PasswordServer) -> str:
    if case == "stopped":
        return f"postgresql://operator:{PASSWORD}@127.0.0.1:{free_port()}/operator_db"
    if case == "wrong password":
        return server.url(password=WRONG_PASSWORD)
    return server.url(database="no_such_db")


def _cli_line(url: str) -> str:
    result = CliRunner().invoke(app, ["users", "list"], env={"DATABASE_URL": url})
    return result.stderr.strip()


@pytest.mark.postgres
@pytest.mark.parametrize("case", FAULTS)
def test_the_dashboard_says_what_intake_says_for_a_postgresql_server_that_cannot_be_used(
    case: str, password_server: PasswordServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, fault = _url(case, password_server), FAULTS[case]
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT_S).run()
    assert not at.exception
    assert [e.title for e in at.error] == [f"The database {WHAT[fault]}"]
    body = at.error[0].value
    assert body.startswith(ADVICE[fault][0].upper() + ADVICE[fault][1:])
    assert "server log" in body
    shown = " ".join(str(e.value) for e in (*at.error, *at.warning, *at.info, *at.markdown))
    for secret in (PASSWORD, WRONG_PASSWORD, "127.0.0.1", "operator"):
        assert secret not in shown
    assert not at.text_input, "no sign-in form on a database that cannot be used"
    line = _cli_line(url)
    assert WHAT[fault] in line
    assert ADVICE[fault] in line


def test_the_dashboard_explains_an_unsupported_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"mysql://ops:{PASSWORD}@db/x")
    at = AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT_S).run()
    assert not at.exception
    assert [e.title for e in at.error] == [f"The database {WHAT[Fault.UNSUPPORTED_URL]}"]
    assert "supported: sqlite, postgresql" in at.error[0].title


@pytest.mark.postgres
def test_make_demo_stops_with_the_line_intake_prints(password_server: PasswordServer) -> None:
    url = password_server.url(password=WRONG_PASSWORD)
    # -o: take the virtualenv as installed, whatever the time stamps say.
    demo = subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.installed", "demo", f"DATABASE_URL={url}"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert demo.returncode != 0
    assert _cli_line(url) in demo.stderr.splitlines()
    assert "Traceback" not in demo.stdout + demo.stderr
    assert WRONG_PASSWORD not in demo.stdout + demo.stderr
