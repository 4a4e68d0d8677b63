"""Fresh, empty, migrated databases for the benchmark: SQLite files in the work directory, or
databases on a PostgreSQL server (a throwaway one the tests also use, unless a URL is given)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import make_url

from benchmarks.pg_server import drop_databases, recreate_databases, start_server
from db import migrate
from db.engine import make_engine
from pipeline.cli.bench_command import DatabaseKind


@dataclass
class Databases:
    """Makes new databases of one kind: `fresh(name)` gives the URL of a migrated, empty one."""

    kind: DatabaseKind
    work_dir: Path
    server_url: str | None = None
    created: list[str] = field(default_factory=list)

    def fresh(self, name: str) -> str:
        """A new database with the pipeline's schema."""
        url = self.fresh_empty(name)
        engine = make_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
        return url

    def fresh_empty(self, name: str) -> str:
        """A new database with no table at all."""
        if self.kind is DatabaseKind.SQLITE:
            path = self.work_dir / f"{name}.db"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            url = f"sqlite:///{path}"
        else:
            if self.server_url is None:
                raise RuntimeError("no PostgreSQL server")
            recreate_databases(self.server_url, name)
            self.created.append(name)
            url = make_url(self.server_url).set(database=name).render_as_string(hide_password=False)
        return url

    def discard(self, url: str) -> None:
        """Delete a database made by `fresh` (the benchmark's databases are large)."""
        parsed = make_url(url)
        if self.kind is DatabaseKind.SQLITE:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{parsed.database}{suffix}").unlink(missing_ok=True)
            return
        drop_databases(self.server_url or "", parsed.database or "")
        if parsed.database in self.created:
            self.created.remove(parsed.database)

    def drop_created(self) -> None:
        if self.server_url is None or not self.created:
            return
        drop_databases(self.server_url, *self.created)
        self.created.clear()


@contextmanager
def open_databases(
    kind: DatabaseKind, work_dir: Path, postgres_url: str | None = None
) -> Iterator[Databases]:
    """Databases of `kind`. For PostgreSQL without `postgres_url` (a server URL whose user may
    create databases), a throwaway server is started from the machine's PostgreSQL binaries
    (benchmarks/pg_server.py, as the `postgres` user when root) and stopped afterwards."""
    if kind is DatabaseKind.SQLITE:
        yield Databases(kind, work_dir)
        return
    if postgres_url is not None:
        databases = Databases(kind, work_dir, postgres_url)
        try:
            yield databases
        finally:
            databases.drop_created()
        return
    server = start_server()
    try:
        yield Databases(kind, work_dir, server.url())
    finally:
        server.stop()
