"""A throwaway PostgreSQL server from the machine's own binaries (for the tests, the benchmarks and
`make prod-up`), and the databases made on it."""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from sqlalchemy import create_engine, text

from deploy.topology import free_port

SUPERUSER = "intake"
_DATABASE_NAME: Final = re.compile(r"[a-z_][a-z0-9_]{0,62}")
"""The names these helpers make: quoted in SQL, so only a name that needs no escaping."""


class PostgresUnavailableError(RuntimeError):
    """No PostgreSQL server can be started on this machine; the message says why."""


def find_bindir() -> Path:
    """Where `initdb`, `pg_ctl` and `postgres` are: `pg_config --bindir`, else Debian's path."""
    candidates: list[Path] = []
    if pg_config := shutil.which("pg_config"):
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        if out.returncode == 0:
            candidates.append(Path(out.stdout.strip()))
    candidates.extend(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True))
    for bindir in candidates:
        if (bindir / "initdb").exists() and (bindir / "pg_ctl").exists():
            return bindir
    raise PostgresUnavailableError(
        "PostgreSQL server binaries not found (no initdb/pg_ctl from `pg_config --bindir` or "
        "/usr/lib/postgresql/*/bin); install them with `apt-get install postgresql-15`"
    )


@dataclass
class PostgresServer:
    """A running throwaway server; `url(db)` gives a SQLAlchemy URL for one of its databases."""

    bindir: Path
    root: Path
    port: int
    run_as: str | None

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    @contextmanager
    def new_database(self, prefix: str = "t") -> Iterator[str]:
        """A new, empty database on this server, dropped afterwards (its connections too)."""
        name = f"{prefix}_{uuid.uuid4().hex[:16]}"
        create_databases(self.url(), name)
        try:
            yield self.url(name)
        finally:
            drop_databases(self.url(), name)

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise PostgresUnavailableError(
                f"`{' '.join(args[:2])}` failed ({result.returncode}): "
                f"{result.stderr.strip() or result.stdout.strip()}\n{tail}"
            )
        return result

    def start(self) -> None:
        self._run(
            "initdb",
            "-D",
            str(self.data_dir),
            "-U",
            SUPERUSER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        # Loopback only, trusted local connections, no fsync: its data is thrown away.
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
            " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data_dir),
            "-o",
            options,
            "-l",
            str(self.root / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def start_server(root: Path | None = None, port: int | None = None) -> PostgresServer:
    """Start a throwaway server, as the `postgres` user when running as root; its files go in
    `root` (a new, empty directory; default: a temporary one)."""
    bindir = find_bindir()
    run_as: str | None = None
    if root is None:
        root = Path(tempfile.mkdtemp(prefix="intake-pg-"))
    else:
        root.mkdir(parents=True)
    if os.geteuid() == 0:  # initdb refuses root: the files and programs belong to `postgres`
        try:
            user = pwd.getpwnam("postgres")
        except KeyError as exc:
            raise PostgresUnavailableError(
                "running as root and there is no `postgres` user to run the server as"
            ) from exc
        os.chown(root, user.pw_uid, user.pw_gid)
        root.chmod(0o700)
        run_as = "postgres"
    server = PostgresServer(bindir=bindir, root=root, port=port or free_port(), run_as=run_as)
    try:
        server.start()
    except PostgresUnavailableError:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return server


def create_databases(server_url: str, *names: str, owner: str | None = None) -> None:
    """Create each named, empty database on the server at `server_url` (its user may create
    databases), owned by `owner` when given."""
    suffix = f" OWNER {_quoted(owner)}" if owner else ""
    _on_server(server_url, *(f"CREATE DATABASE {_quoted(name)}{suffix}" for name in names))


def drop_databases(server_url: str, *names: str) -> None:
    """Drop each named database if it exists, closing its connections first."""
    _on_server(
        server_url, *(f"DROP DATABASE IF EXISTS {_quoted(name)} WITH (FORCE)" for name in names)
    )


def recreate_databases(server_url: str, *names: str) -> None:
    """Each named database new and empty, whether or not it existed."""
    drop_databases(server_url, *names)
    create_databases(server_url, *names)


def _quoted(name: str) -> str:
    if not _DATABASE_NAME.fullmatch(name):
        msg = f"{name!r} is not a database name these helpers make (lower case, digits, _)"
        raise ValueError(msg)
    return f'"{name}"'


def _on_server(server_url: str, *statements: str) -> None:
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")  # CREATE DATABASE needs it
    try:
        with admin.connect() as connection:
            for statement in statements:
                connection.execute(text(statement))
    finally:
        admin.dispose()
