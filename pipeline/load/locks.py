"""Write transactions that cannot collide: runs of the same day started together, and a run
racing a re-classification, wait for each other instead of failing or writing twice (the locks
are described in docs/operations.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

from sqlalchemy import Connection, Engine, func, select

from db.engine import SQLITE_BEGIN_OPTION
from pipeline.load.errors import without_patient_data

LOCK_NAMESPACE: Final = 0x4B48
"""The first key of every advisory lock the pipeline takes ("KH": knee-hip)."""
SHARED_KEY: Final = 0
"""The second key of the shared lock; a day's is its ordinal (1 or more)."""


@contextmanager
def write_transaction(
    engine: Engine, day: dt.date | None = None, *, shared: bool = False
) -> Iterator[Connection]:
    """A transaction holding `day`'s lock (if given) and the shared lock (if `shared`). A
    database error inside it comes out without patient data (`errors.without_patient_data`)."""
    with without_patient_data(), engine.connect() as connection:
        # SQLite has a single writer: BEGIN IMMEDIATE waits for the write lock (the busy
        # timeout) up front, instead of failing at the first write after reading something
        # another writer has since changed.
        connection.execution_options(**{SQLITE_BEGIN_OPTION: "IMMEDIATE"})
        with connection.begin():
            if connection.dialect.name == "postgresql":
                # Advisory locks held until the transaction ends (commit, rollback or the process
                # dying), taken as its first statements: under READ COMMITTED every later
                # statement sees what the previous holder committed. The day's lock (its files
                # move through the stages one transaction at a time) before the shared one (file
                # register, versions, cases, classifications, counts), never the other way
                # round, so no two transactions wait for each other in a circle.
                keys = ([day.toordinal()] if day else []) + ([SHARED_KEY] if shared else [])
                for key in keys:
                    connection.execute(select(func.pg_advisory_xact_lock(LOCK_NAMESPACE, key)))
            yield connection
