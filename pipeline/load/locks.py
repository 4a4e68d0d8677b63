"""Write transactions that cannot collide: runs of the same day started together, and a run
racing a re-classification, wait for each other instead of failing or writing twice.

Two kinds of lock, held until the transaction ends (commit, rollback, or the process dying):

- a **day** lock: the intake day's files move through the stages one transaction at a time
  (registering and loading the same files twice at once is what they would race on);
- the **shared** lock: what every day shares, the file register (a file's bytes are known
  once, whichever day sent them), case versions and cases, classifications and daily counts.
  Its transactions are short set-based SQL, so holding it costs little.

A transaction takes the day lock before the shared one, never the other way round, so no two
transactions can wait for each other in a circle.

PostgreSQL: transaction-scoped advisory locks (`pg_advisory_xact_lock`), taken as the
transaction's first statement; under READ COMMITTED every later statement then sees what the
previous holder committed. SQLite has a single writer anyway: the transaction begins with
`BEGIN IMMEDIATE`, so it waits for the write lock (the busy timeout) up front, instead of
failing when it first writes after reading something another writer has since changed.
"""

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
        connection.execution_options(**{SQLITE_BEGIN_OPTION: "IMMEDIATE"})
        with connection.begin():
            if connection.dialect.name == "postgresql":
                keys = ([day.toordinal()] if day else []) + ([SHARED_KEY] if shared else [])
                for key in keys:
                    connection.execute(select(func.pg_advisory_xact_lock(LOCK_NAMESPACE, key)))
            yield connection
