"""The one place a database engine is built: from `DATABASE_URL`, SQLite by default (with safe
settings, writers beginning IMMEDIATE), PostgreSQL through psycopg 3; statement parameters are
kept out of errors and logs, since they can be patient data."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, ExceptionContext, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from db import problems
from pipeline import settings

DEFAULT_DATABASE_URL: Final = settings.DEFAULT_DATABASE_URL
SQLITE_BUSY_TIMEOUT_MS: Final = 30_000
SQLITE_BEGIN_OPTION: Final = "sqlite_begin"
"""Execution option naming how SQLite transactions begin: DEFERRED (default) or IMMEDIATE."""
SQLITE_CACHE_KIB: Final = 256 * 1024
"""Page cache per connection (SQLite's default is 2 MiB). A day's load touches the cases'
indexes all over; with a small cache, pages modified inside the transaction are spilled to the
write-ahead log and written again and again. The cache grows only as far as it is used."""


def database_url(url: str | URL | None = None) -> URL:
    """The URL to use: the argument, else `DATABASE_URL`, else the SQLite file under `var/`.

    A plain `postgresql://` URL is taken to mean psycopg 3. Raises `DatabaseFaultError` for a URL
    that is not one, or names a database other than SQLite or PostgreSQL.
    """
    given = url or settings.current().database_url.get_secret_value()
    try:
        resolved = make_url(given)
    except ArgumentError as error:
        raise problems.unsupported(str(given)) from error
    problems.check_backend(resolved)
    if resolved.drivername in ("postgresql", "postgres"):
        resolved = resolved.set(drivername="postgresql+psycopg")
    return resolved


def make_engine(url: str | URL | None = None, **kwargs: Any) -> Engine:
    """Build an engine for `url` (see `database_url`), ready for the pipeline and dashboard."""
    resolved = database_url(url)
    kwargs.setdefault("hide_parameters", True)
    if resolved.get_backend_name() == "sqlite":
        engine = _sqlite_engine(resolved, **kwargs)
        event.listen(engine, "handle_error", _name_the_problem)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    engine = _create(resolved, **kwargs)
    event.listen(engine, "handle_error", _name_the_problem)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The pipeline's statements run per day, in well under a second to a few seconds:
        # compiling them with JIT costs more than it saves (measured by `intake bench`).
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET jit = off")
        dbapi_connection.commit()

    return engine


def _create(url: URL, **kwargs: Any) -> Engine:
    try:
        return create_engine(url, **kwargs)
    except (ImportError, NoSuchModuleError) as error:
        missing = getattr(error, "name", None) or url.drivername
        raise problems.unsupported(url, f"its driver {missing} is not installed") from error


def _name_the_problem(context: ExceptionContext) -> None:
    """Connecting failed (or the server went away): say why in words, on the error itself."""
    if context.is_pre_ping or context.engine is None:
        return  # a failed pre-ping is retried with a new connection: that one is explained
    if context.sqlalchemy_exception is None:
        return
    if context.connection is None or context.is_disconnect:
        problem = problems.connect_problem(context.engine.url, context.original_exception)
        problems.attach(context.sqlalchemy_exception, problem)


def _sqlite_engine(url: URL, **kwargs: Any) -> Engine:
    if url.database and url.database != ":memory:":
        try:
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise problems.sqlite_problem(url, error) from error
    engine = _create(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy issue BEGIN itself so that transactions are real (pysqlite's own
        # transaction handling would defer BEGIN and break SAVEPOINT and atomic loads).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # Sorting for window functions, GROUP BY and IN lists in memory, not in temp files.
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get(SQLITE_BEGIN_OPTION, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


def writer_engine(engine: Engine) -> Engine:
    """The same engine for a writer: on SQLite its transactions begin IMMEDIATE, taking the
    write lock up front, so two writers queue on the busy timeout instead of one failing when
    it upgrades a read to a write. Readers (the dashboard) keep deferred, lock-free reads."""
    if engine.dialect.name != "sqlite":
        return engine
    return engine.execution_options(**{SQLITE_BEGIN_OPTION: "IMMEDIATE"})
