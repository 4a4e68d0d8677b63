"""What is wrong with the database, in words an operator can act on: the one translation of
connection, configuration and schema faults into a `DatabaseFaultError` (database named with its
password masked, what went wrong, what to check or run), used by the CLI and the dashboard."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Final

from sqlalchemy import Engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

SUPPORTED_BACKENDS: Final = ("sqlite", "postgresql")
_ATTACHED: Final = "database_problem"
"""The attribute `attach` sets on an exception (a SQLAlchemy error raised while connecting)."""


class Fault(StrEnum):
    """The kinds of database fault an operator can fix; each has its words and its advice."""

    @property
    def in_the_schema(self) -> bool:
        """A fault of the schema (the database answers), not of reaching the database."""
        return self in (Fault.NOT_MIGRATED, Fault.SCHEMA_OLDER, Fault.SCHEMA_NEWER)

    UNREACHABLE = "unreachable"
    CREDENTIALS_REFUSED = "credentials_refused"
    DATABASE_MISSING = "database_missing"
    NOT_MIGRATED = "not_migrated"
    SCHEMA_OLDER = "schema_older"
    SCHEMA_NEWER = "schema_newer"
    UNSUPPORTED_URL = "unsupported_url"
    NOT_WRITABLE = "not_writable"


WHAT: Final = {
    Fault.UNREACHABLE: "cannot be reached",
    Fault.CREDENTIALS_REFUSED: "refused the user name or password",
    Fault.DATABASE_MISSING: "does not exist on its server",
    Fault.NOT_MIGRATED: "has no tables yet",
    Fault.SCHEMA_OLDER: "has an older schema than this version of intake needs",
    Fault.SCHEMA_NEWER: "has a newer schema than this version of intake knows",
    Fault.UNSUPPORTED_URL: "is of a kind intake cannot use "
    f"(supported: {', '.join(SUPPORTED_BACKENDS)})",
    Fault.NOT_WRITABLE: "is a SQLite file that cannot be created or written",
}
"""What went wrong, after "database <url>" (the dashboard: after "The database")."""

ADVICE: Final = {
    Fault.UNREACHABLE: "check that the database server is running and that `DATABASE_URL` "
    "names its host and port",
    Fault.CREDENTIALS_REFUSED: "check the user name and password in `DATABASE_URL`",
    Fault.DATABASE_MISSING: "create it (`createdb NAME`) or correct the database name in "
    "`DATABASE_URL`",
    Fault.NOT_MIGRATED: "create them with `intake db upgrade` (or `make migrate`)",
    Fault.SCHEMA_OLDER: "bring it up to date with `intake db upgrade` (or `make migrate`)",
    Fault.SCHEMA_NEWER: "use the newer version of intake that migrated it, or point "
    "`DATABASE_URL` at another database",
    Fault.UNSUPPORTED_URL: "set `DATABASE_URL` to sqlite:///PATH or "
    "postgresql://USER:PASSWORD@HOST:PORT/NAME",
    Fault.NOT_WRITABLE: "make its folder writable for this user, or point `DATABASE_URL` at a "
    "file in another folder",
}
"""What to check or run (the same words in the terminal and on the dashboard)."""

_CREDENTIALS: Final = (
    "password authentication failed",
    "no password supplied",
    "authentication failed",
    "role ",  # role "x" does not exist
    "pg_hba.conf",
)


class DatabaseFaultError(SQLAlchemyError):
    """A database fault the operator can fix: `str()` is the one line to show them."""

    def __init__(self, fault: Fault, database: str, reason: str = "") -> None:
        self.fault = fault
        self.database = database
        self.reason = reason
        super().__init__(self.line)

    @property
    def what(self) -> str:
        """What went wrong, with the driver's own reason when it adds something."""
        return f"{WHAT[self.fault]} ({self.reason})" if self.reason else WHAT[self.fault]

    @property
    def advice(self) -> str:
        return ADVICE[self.fault]

    @property
    def line(self) -> str:
        return f"database {self.database} {self.what}: {self.advice}."

    def __str__(self) -> str:
        return self.line

    def __reduce__(self) -> tuple[type[DatabaseFaultError], tuple[Fault, str, str]]:
        return (DatabaseFaultError, (self.fault, self.database, self.reason))


def masked(url: str | URL) -> str:
    """The URL as an operator typed it (driver left out), with any password as ***."""
    if isinstance(url, str):
        try:
            url = make_url(url)
        except ArgumentError:
            return "(not a URL)"
    backend = url.get_backend_name()
    return url.set(drivername=backend).render_as_string(hide_password=True)


def unsupported(url: str | URL, reason: str = "") -> DatabaseFaultError:
    """The problem of a URL intake cannot use (unknown scheme, missing driver, not a URL)."""
    return DatabaseFaultError(Fault.UNSUPPORTED_URL, masked(url), reason)


def check_backend(url: URL) -> None:
    """Raise the problem of a URL whose database is not one intake supports."""
    if url.get_backend_name() not in SUPPORTED_BACKENDS:
        raise unsupported(url)


def sqlite_problem(url: URL, error: BaseException) -> DatabaseFaultError:
    """Why SQLite cannot open or write the file at `url`, found by looking at the path."""
    path = Path(url.database or "")
    if path.is_dir():
        return DatabaseFaultError(Fault.NOT_WRITABLE, masked(url), f"{path} is a folder")
    folder = path.parent
    if not folder.is_dir():
        reason = getattr(error, "strerror", None) or str(error)
        return DatabaseFaultError(Fault.NOT_WRITABLE, masked(url), f"{folder}: {reason}")
    unwritable = _unwritable(folder)
    if unwritable:
        return DatabaseFaultError(Fault.NOT_WRITABLE, masked(url), f"{folder}: {unwritable}")
    if path.exists() and not os.access(path, os.W_OK):
        return DatabaseFaultError(Fault.NOT_WRITABLE, masked(url), f"{path} is read-only")
    return DatabaseFaultError(Fault.NOT_WRITABLE, masked(url), _first_line(str(error)))


def _unwritable(folder: Path) -> str | None:
    """Why no file can be created in `folder` (tried for real: root passes every access test)."""
    try:
        with tempfile.TemporaryFile(dir=folder):
            return None
    except OSError as error:
        return error.strerror or str(error)


def connect_problem(url: URL, error: BaseException) -> DatabaseFaultError:
    """The problem behind an error raised while connecting to the database at `url`."""
    if url.get_backend_name() == "sqlite":
        return sqlite_problem(url, error)
    reason = _driver_reason(error)
    lowered = reason.lower()
    if "database" in lowered and "does not exist" in lowered:
        return DatabaseFaultError(Fault.DATABASE_MISSING, masked(url), reason)
    if any(marker in lowered for marker in _CREDENTIALS):
        return DatabaseFaultError(Fault.CREDENTIALS_REFUSED, masked(url), reason)
    return DatabaseFaultError(Fault.UNREACHABLE, masked(url), reason)


def _driver_reason(error: BaseException) -> str:
    """libpq's reason, without its preamble: 'Connection refused', 'password authentication
    failed for user "x"', 'database "x" does not exist'."""
    text = str(getattr(error, "orig", None) or error)
    reason = _first_line(text.rsplit(" failed: ", 1)[-1])
    return reason.removeprefix("FATAL:").strip()


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0].strip() if text.strip() else ""


def schema_problem(
    url: URL, current: str | None, head: str | None, known: bool
) -> DatabaseFaultError | None:
    """The problem of a schema at `current` when the code's newest is `head` (`known`: the code
    has a migration named `current`), or None when it is the newest."""
    if current == head:
        return None
    if current is None:
        return DatabaseFaultError(Fault.NOT_MIGRATED, masked(url))
    if known:
        return DatabaseFaultError(Fault.SCHEMA_OLDER, masked(url), f"at {current}, needs {head}")
    return DatabaseFaultError(
        Fault.SCHEMA_NEWER, masked(url), f"at {current}, the newest this code knows is {head}"
    )


def schema_of(engine: Engine) -> DatabaseFaultError | None:
    """The problem of the database's schema (never migrated, older or newer than the code's
    newest revision), or None when it is the newest."""
    from db import migrate  # Alembic loads only when a schema is looked at

    current = migrate.current_revision(engine)
    head = migrate.head_revision()
    known = current is not None and _known_revision(current)
    return schema_problem(engine.url, current, head, known)


def require_newest_schema(engine: Engine) -> None:
    """Raise the problem of a database whose schema is not the newest."""
    problem = schema_of(engine)
    if problem is not None:
        raise problem


def engine_at_newest_schema(url: str | None) -> Engine:
    """An engine on the database at `url` (default DATABASE_URL) if its schema is the newest;
    else the problem, saying what to run (the engine is disposed of)."""
    from db.engine import make_engine

    engine = make_engine(url)
    try:
        require_newest_schema(engine)
    except Exception:
        engine.dispose()
        raise
    return engine


def _known_revision(revision: str) -> bool:
    """Whether the code has a migration named `revision`."""
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    from db import migrate

    try:
        script = ScriptDirectory.from_config(migrate.alembic_config())
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def attach(error: BaseException, problem: DatabaseFaultError) -> None:
    """Remember on `error` the problem it means (the engine does this when connecting fails)."""
    setattr(error, _ATTACHED, problem)


def explain(error: BaseException) -> DatabaseFaultError | None:
    """The database problem `error` (or an error it was raised from) means, if any."""
    for link in _chain(error):
        if isinstance(link, DatabaseFaultError):
            return link
        attached = getattr(link, _ATTACHED, None)
        if isinstance(attached, DatabaseFaultError):
            return attached
    return None


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__
