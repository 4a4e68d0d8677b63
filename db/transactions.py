"""Short write transactions that wait their turn: on SQLite they take the write lock when they
begin (IMMEDIATE), and any transaction that still loses a race for a lock (SQLite busy past
its timeout, a PostgreSQL serialization failure or deadlock) is run again from the start."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import Final, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from db.engine import writer_engine

LOG = logging.getLogger(__name__)
T = TypeVar("T")

ATTEMPTS: Final = 6
FIRST_BACKOFF_S: Final = 0.05
RETRYABLE_SQLSTATES: Final = frozenset({"40001", "40P01", "55P03"})
"""PostgreSQL: serialization failure, deadlock detected, lock not available."""


def write(engine: Engine, work: Callable[[Connection], T], *, attempts: int = ATTEMPTS) -> T:
    """Run `work` in one write transaction and commit it; a transaction that lost a lock race
    is rolled back and run again (at most `attempts` times, with a growing random pause).
    `work` must be short and must not have effects outside the database: it may run twice."""
    writer = writer_engine(engine)
    for attempt in range(1, attempts + 1):
        try:
            with writer.begin() as connection:
                return work(connection)
        except DBAPIError as exc:
            if attempt == attempts or not _lost_a_lock_race(exc):
                raise
            pause = FIRST_BACKOFF_S * 2 ** (attempt - 1) * (1 + random.random())
            LOG.warning("a write lost a lock race (attempt %d); retrying", attempt)
            time.sleep(pause)
    raise AssertionError("unreachable")  # pragma: no cover


def _lost_a_lock_race(exc: DBAPIError) -> bool:
    if isinstance(exc, OperationalError) and "database is locked" in str(exc.orig):
        return True
    return getattr(exc.orig, "sqlstate", None) in RETRYABLE_SQLSTATES
