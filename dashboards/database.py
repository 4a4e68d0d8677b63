"""The dashboard's database: which one (DATABASE_URL), one engine per process, and whether it
can be used at all (reachable, migrated to the newest schema)."""

from __future__ import annotations

import logging
from enum import StrEnum

import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from dashboards.settings import HEALTH_TTL, POSTGRES_CONNECT_TIMEOUT_S
from db import migrate
from db.engine import database_url, make_engine

LOG = logging.getLogger(__name__)


class DatabaseState(StrEnum):
    """Whether the dashboard can read the database, and if not, why."""

    READY = "ready"
    NOT_MIGRATED = "not_migrated"
    OUTDATED = "outdated"
    UNREACHABLE = "unreachable"


def current_url() -> str:
    """The database URL in force (DATABASE_URL, else the SQLite file under var/), as a string
    to key engines and caches by. Never shown: it may hold a password."""
    return database_url().render_as_string(hide_password=False)


@st.cache_resource(max_entries=4, show_spinner=False)
def engine_for(url: str) -> Engine:
    """One engine (and connection pool) per database, shared by every session."""
    if url.startswith("postgres"):
        return make_engine(url, connect_args={"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S})
    return make_engine(url)


@st.cache_data(ttl=HEALTH_TTL, show_spinner=False)
def state_of(url: str) -> DatabaseState:
    """Whether the database at `url` answers and has the newest schema. The reason it cannot
    be used goes to the server log, never to the page."""
    try:
        revision = migrate.current_revision(engine_for(url))
    except (SQLAlchemyError, OSError):
        LOG.exception("the dashboard cannot reach its database")
        return DatabaseState.UNREACHABLE
    if revision is None:
        return DatabaseState.NOT_MIGRATED
    if revision != migrate.head_revision():
        return DatabaseState.OUTDATED
    return DatabaseState.READY
