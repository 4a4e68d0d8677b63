"""Streamlit's own doors, tried like curl against the real server (`dashboards/server.py`):
download files and metrics do not answer anonymous visitors; a sign-in's cookie is signed,
HttpOnly, expires, is handed out once and stops working at sign-out; the shipped
configuration listens on 127.0.0.1 only; session ids stay out of the logs.

The sessions behind the cookie are checked on SQLite and PostgreSQL; the server runs on
SQLite."""

from __future__ import annotations

import datetime as dt
import http.client
import logging
import re
import socket
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from dashboards import access, cookies
from dashboards.server import WithoutSessionIds
from db import migrate, sessions, users
from db.engine import make_engine
from db.models import DashboardSession
from tests.dashboard import seed, served

SECRET = "a test secret for signing cookies"
CONFIG = Path(__file__).resolve().parents[2] / "dashboards" / ".streamlit" / "config.toml"
NOW = dt.datetime(2026, 11, 26, 9, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def cookie_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_COOKIE_SECRET", SECRET)


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('doors') / 'intake.db'}")
    migrate.upgrade(engine)
    seed.seed_cases(engine, seed.standard_cases())
    seed.seed_users(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def server(database: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = database.url.render_as_string(hide_password=False)
    workdir = tmp_path_factory.mktemp("doors-server")
    with served.dashboard(url, workdir, env={"DASHBOARD_COOKIE_SECRET": SECRET}) as running:
        yield running.base


def _user(engine: Engine, name: str) -> users.User:
    with engine.connect() as connection:
        user = users.get_user(connection, name)
    assert user is not None
    return user


def _cookie_for(server: str, engine: Engine, name: str) -> tuple[str, str]:
    """Sign `name` in as the sign-in page does; the cookie their browser collects and the
    Set-Cookie header it came with."""
    ticket = access.open_browser_session(engine, _user(engine, name), "password")
    host, port = server.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", f"{cookies.TICKET_ROUTE}?ticket={ticket}&next=/worklist")
    response = connection.getresponse()
    response.read()
    connection.close()
    assert response.status == 303
    assert response.getheader("Location") == "/worklist"
    header = response.getheader("Set-Cookie") or ""
    value = re.match(rf"{cookies.COOKIE_NAME}=([^;]+);", header)
    assert value is not None, header
    status, _ = served.get(server, f"{cookies.TICKET_ROUTE}?ticket={ticket}")
    assert status == 403, "a ticket is used once"
    return value.group(1).strip('"'), header


def test_anonymous_visitors_get_no_metrics_no_download_files_and_no_cookie(server: str) -> None:
    assert served.get(server, "/_stcore/health") == (200, b"ok")
    assert served.get(server, "/_stcore/metrics")[0] == 404
    assert served.get(server, "/media/0123456789abcdef0123456789abcdef.csv")[0] == 404
    assert served.get(server, f"{cookies.TICKET_ROUTE}?ticket=forged")[0] == 403
    assert served.get(server, "/_stcore/metrics", cookie="forged.cookie.value")[0] == 404


def test_the_sign_in_cookie_is_signed_httponly_expires_and_ends_at_sign_out(
    server: str, database: Engine
) -> None:
    cookie, header = _cookie_for(server, database, seed.ADMIN)
    attributes = {part.strip().split("=")[0].lower() for part in header.split(";")}
    assert {"httponly", "max-age", "path", "samesite"} <= attributes
    max_age = int(re.search(r"Max-Age=(\d+)", header, re.IGNORECASE).group(1))  # type: ignore[union-attr]
    assert max_age == int(cookies.SESSION_LIFETIME.total_seconds())
    assert served.get(server, "/_stcore/metrics", cookie=cookie)[0] == 200
    assert served.get(server, "/_stcore/metrics", cookie=cookie[:-2] + "xx")[0] == 404
    viewer, _ = _cookie_for(server, database, seed.VIEWER)
    assert served.get(server, "/_stcore/metrics", cookie=viewer)[0] == 404, "administrators only"
    access.end_session(database, cookie)
    assert served.get(server, "/_stcore/metrics", cookie=cookie)[0] == 404


def test_the_shipped_configuration_listens_on_loopback_only(
    database: Engine, tmp_path: Path
) -> None:
    assert tomllib.loads(CONFIG.read_text())["server"]["address"] == "127.0.0.1"
    url = database.url.render_as_string(hide_password=False)
    with served.dashboard(url, tmp_path, address=None) as running:
        assert served.get(running.base, "/_stcore/health")[0] == 200
        with pytest.raises(ConnectionRefusedError):
            # Another address of this machine: a server on 127.0.0.1 alone does not answer.
            socket.create_connection(("127.0.0.2", running.port), timeout=2).close()


def test_a_sessions_cookie_opens_it_until_it_expires_or_is_revoked(
    migrated_engine: Engine,
) -> None:
    seed.seed_users(migrated_engine)
    with migrated_engine.begin() as connection:
        token = sessions.open_session(
            connection, seed.ADMIN, "password", dt.timedelta(hours=1), NOW
        )
        assert sessions.find(connection, token, NOW) is None, "not before its cookie is collected"
        assert sessions.collect(connection, token, NOW)
        assert not sessions.collect(connection, token, NOW), "collected once"
        assert sessions.find(connection, token, NOW) == (seed.ADMIN, "password")
        assert sessions.find(connection, token, NOW + dt.timedelta(hours=1)) is None
        assert sessions.find(connection, token + "x", NOW) is None
        stored = connection.execute(select(DashboardSession.token_hash)).scalars().all()
        assert token not in stored, "only the token's hash is stored"
        sessions.revoke(connection, token, NOW)
        assert sessions.find(connection, token, NOW) is None


def test_a_forged_or_altered_cookie_signs_no_one_in(migrated_engine: Engine) -> None:
    seed.seed_users(migrated_engine)
    ticket = access.open_browser_session(
        migrated_engine, _user(migrated_engine, seed.ADMIN), "password"
    )
    cookie = access.collect_cookie(migrated_engine, ticket)
    assert cookie is not None
    found = access.session_user(migrated_engine, cookie)
    assert found is not None
    assert found[0].username == seed.ADMIN
    assert access.session_user(migrated_engine, cookies.token_of_ticket(ticket)) is None
    assert access.session_user(migrated_engine, ticket) is None, "a ticket is no cookie"
    altered = cookie[:-5] + ("A" if cookie[-5] != "A" else "B") + cookie[-4:]
    assert access.session_user(migrated_engine, altered) is None


def test_session_ids_are_cut_out_of_log_lines() -> None:
    record = logging.LogRecord(
        "streamlit",
        logging.INFO,
        __file__,
        1,
        "Session with id %s already connected",
        ("6f1c2e0a-9b3d-4c5e-8f7a-1b2c3d4e5f60",),
        None,
    )
    assert WithoutSessionIds().filter(record)
    assert record.getMessage() == "Session with id <session> already connected"
