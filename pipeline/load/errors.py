"""Database errors without patient data: what a failed write may say in logs, in Dagster's event
log and in its UI (docs/operations.md)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from sqlalchemy.exc import DBAPIError


class DatabaseWriteError(RuntimeError):
    """A write failed in the database; the message names what failed, without values."""


def describe(error: BaseException) -> str:
    """The error class, and for PostgreSQL its SQLSTATE and the names it concerns. SQLite's
    messages name constraints and columns only, so they are kept."""
    diagnosis = getattr(error, "diag", None)
    if diagnosis is None:
        return f"{type(error).__name__}: {error}"
    names = [
        f"{label} {name}"
        for label, name in (
            ("table", diagnosis.table_name),
            ("column", diagnosis.column_name),
            ("constraint", diagnosis.constraint_name),
        )
        if name
    ]
    return f"{type(error).__name__} (SQLSTATE {diagnosis.sqlstate})" + (
        f": {', '.join(names)}" if names else ""
    )


@contextmanager
def without_patient_data() -> Iterator[None]:
    """Re-raise any database error in the block as a `DatabaseWriteError` (see the module)."""
    # A database error's text can quote the row it refused (PostgreSQL's DETAIL "Failing row
    # contains (...)", a COPY's CONTEXT, `invalid input syntax`), and SQLAlchemy adds the
    # statement's parameters: only names and the SQLSTATE go on, and the original is not
    # chained (`from None`). The data is still in the landing file and the database.
    try:
        yield
    except DBAPIError as error:  # through SQLAlchemy
        raise DatabaseWriteError(describe(error.orig or error)) from None
    except (sqlite3.Error, psycopg.Error) as error:  # from the driver itself (bulk transfer)
        raise DatabaseWriteError(describe(error)) from None
