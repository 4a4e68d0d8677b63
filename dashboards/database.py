"""The dashboard's database: which one (DATABASE_URL), one engine per process, and whether it
can be used at all (reachable, migrated to the newest schema), in `db.problems`' terms."""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Final

import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from dashboards.settings import HEALTH_TTL, POSTGRES_CONNECT_TIMEOUT_S
from db import problems
from db.engine import database_url, make_engine
from db.problems import Fault
from pipeline import settings

LOG = logging.getLogger(__name__)


class DatabaseState(StrEnum):
    """Whether the dashboard can read the database, and if not, why."""

    READY = "ready"
    UNREACHABLE = "unreachable"
    CREDENTIALS_REFUSED = "credentials_refused"
    DATABASE_MISSING = "database_missing"
    NOT_MIGRATED = "not_migrated"
    OUTDATED = "outdated"
    NEWER = "newer"
    UNSUPPORTED_URL = "unsupported_url"
    NOT_WRITABLE = "not_writable"


STATE_OF_FAULT: Final = {
    Fault.UNREACHABLE: DatabaseState.UNREACHABLE,
    Fault.CREDENTIALS_REFUSED: DatabaseState.CREDENTIALS_REFUSED,
    Fault.DATABASE_MISSING: DatabaseState.DATABASE_MISSING,
    Fault.NOT_MIGRATED: DatabaseState.NOT_MIGRATED,
    Fault.SCHEMA_OLDER: DatabaseState.OUTDATED,
    Fault.SCHEMA_NEWER: DatabaseState.NEWER,
    Fault.UNSUPPORTED_URL: DatabaseState.UNSUPPORTED_URL,
    Fault.NOT_WRITABLE: DatabaseState.NOT_WRITABLE,
}
FAULT_OF_STATE: Final = {state: fault for fault, state in STATE_OF_FAULT.items()}


def current_url() -> str:
    """The database URL in force (DATABASE_URL, else the SQLite file under var/), as a string
    to key engines and caches by. Never shown: it may hold a password. A URL intake cannot use
    is returned as given, for `state_of` to explain."""
    try:
        return database_url().render_as_string(hide_password=False)
    except problems.DatabaseFaultError:
        return settings.current().database_url.get_secret_value()


@st.cache_resource(max_entries=4, show_spinner=False)
def engine_for(url: str) -> Engine:
    """One engine (and connection pool) per database, shared by every session."""
    if url.startswith("postgres"):
        return make_engine(url, connect_args={"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S})
    return make_engine(url)


@st.cache_data(ttl=HEALTH_TTL, show_spinner=False)
def state_of(url: str) -> DatabaseState:
    """Whether the database at `url` answers and has the newest schema. The reason it cannot
    be used goes to the server log (the same line `intake` prints), never to the page."""
    try:
        problem = problems.schema_of(engine_for(url))
    except (SQLAlchemyError, OSError) as error:
        problem = problems.explain(error)
        LOG.exception("the dashboard cannot use its database: %s", problem or "the reason is below")
        if problem is None:
            return DatabaseState.UNREACHABLE
    if problem is None:
        return DatabaseState.READY
    return STATE_OF_FAULT[problem.fault]
