"""Fixtures of the command-line tests: a real PostgreSQL server where a role must give its
password (so a wrong one is refused), and a small landing directory to run."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from benchmarks.pg_server import PostgresServer, create_databases
from tests.cli.faults import DATABASE, PASSWORD, ROLE, PasswordServer
from tests.reliability.state import seed


@pytest.fixture(scope="session")
def password_server(postgres_server: PostgresServer) -> PasswordServer:
    """The tests' PostgreSQL server, where `operator` signs in with a password: its line in
    pg_hba.conf comes before the server's `trust` lines, then the server reloads them."""
    admin = create_engine(postgres_server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE ROLE {ROLE} LOGIN PASSWORD '{PASSWORD}'"))
        hba = postgres_server.data_dir / "pg_hba.conf"
        hba.write_text(f"host all {ROLE} 127.0.0.1/32 scram-sha-256\n{hba.read_text()}")
        assert connection.execute(text("SELECT pg_reload_conf()")).scalar_one()
    admin.dispose()
    create_databases(postgres_server.url(), DATABASE, owner=ROLE)
    return PasswordServer(postgres_server.port)


@pytest.fixture(scope="session")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A few days of intake files (with invalid records, re-sends and corrections)."""
    return seed(tmp_path_factory.mktemp("landing"), records=300)
