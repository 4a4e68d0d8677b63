"""Back up and restore a SQLite database with SQLite's online backup API (PostgreSQL is backed
up with its own `pg_dump -Fc` and `pg_restore`: docs/operations.md)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import URL

from db.engine import SQLITE_BUSY_TIMEOUT_MS


def sqlite_path(url: URL) -> Path:
    """The file of a SQLite URL; ValueError for any other database."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        msg = f"{url.get_backend_name()}: not a SQLite database file (PostgreSQL: use pg_dump)"
        raise ValueError(msg)
    return Path(url.database)


def _copy(source: Path, target: Path) -> None:
    timeout = SQLITE_BUSY_TIMEOUT_MS / 1000
    with (
        closing(sqlite3.connect(source, timeout=timeout)) as reading,
        closing(sqlite3.connect(target, timeout=timeout)) as writing,
    ):
        # All pages in one step: one committed state, taken while the pipeline may write (in
        # WAL mode the copy reads a snapshot and writers carry on). Restoring goes through the
        # same API, so SQLite itself replaces the pages and its write-ahead log stays consistent
        # (copying a file over a database with a `-wal` file beside it would replay that old
        # log onto the restored pages).
        reading.backup(writing)


def backup(database: Path, target: Path) -> None:
    """Copy the SQLite database `database` into the new file `target`."""
    if not database.is_file():
        raise FileNotFoundError(database)
    if target.exists():
        raise FileExistsError(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    _copy(database, target)


def restore(backup_file: Path, database: Path) -> None:
    """Replace the contents of the SQLite database `database` with the backup's. Stop the
    pipeline and the dashboard first: they would go on from what they had read before."""
    if not backup_file.is_file():
        raise FileNotFoundError(backup_file)
    database.parent.mkdir(parents=True, exist_ok=True)
    _copy(backup_file, database)
