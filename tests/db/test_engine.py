"""One place builds the engine: SQLite by default with safe settings, PostgreSQL via psycopg."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from benchmarks.pg_server import PostgresServer
from db.engine import (
    DEFAULT_DATABASE_URL,
    SQLITE_CACHE_KIB,
    database_url,
    make_engine,
    writer_engine,
)


def test_without_database_url_the_default_is_a_sqlite_file_under_var(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert database_url().render_as_string() == DEFAULT_DATABASE_URL


def test_database_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite:////srv/intake/elsewhere.db")
    assert database_url().database == "/srv/intake/elsewhere.db"


def test_a_plain_postgresql_url_uses_psycopg_3() -> None:
    assert database_url("postgresql://u@h/db").drivername == "postgresql+psycopg"


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'sub' / 'x.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30_000
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL: durable commits
        assert conn.execute(text("PRAGMA temp_store")).scalar() == 2  # memory
        assert conn.execute(text("PRAGMA cache_size")).scalar() == -SQLITE_CACHE_KIB
    engine.dispose()


def test_a_sqlite_transaction_that_fails_leaves_nothing_behind(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))

    def insert_then_crash() -> None:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (1)"))
            raise RuntimeError("crash in the middle")

    with pytest.raises(RuntimeError):
        insert_then_crash()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t")).scalar() == 0
    engine.dispose()


def test_the_engine_connects_to_each_database(engine: Engine) -> None:
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar() == 1


def test_a_writer_engine_takes_the_sqlite_write_lock_when_it_begins(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    writer, other = writer_engine(make_engine(url)), make_engine(url)
    with other.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    with writer.begin() as conn:
        conn.execute(text("SELECT count(*) FROM t"))  # only a read so far, yet the lock is held
        with other.connect() as blocked:
            blocked.execute(text("PRAGMA busy_timeout = 0"))
            with pytest.raises(OperationalError, match="locked"):
                blocked.execute(text("INSERT INTO t VALUES (1)"))
    writer.dispose()
    other.dispose()


@pytest.mark.postgres
def test_postgresql_connections_compile_no_jit(postgres_server: PostgresServer) -> None:
    engine = make_engine(postgres_server.url())
    with engine.connect() as conn:
        assert conn.execute(text("SHOW jit")).scalar() == "off"
    engine.dispose()
