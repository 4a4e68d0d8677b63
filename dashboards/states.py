"""What the dashboard says when it cannot show data: each message says what to run. A database
that cannot be used gets the words `intake` prints for the same fault (`db.problems`)."""

from __future__ import annotations

from typing import Final

import streamlit as st

from dashboards.database import FAULT_OF_STATE, DatabaseState
from db.problems import ADVICE, WHAT

LOGGED: Final = " The reason is in the dashboard's server log."
DATABASE_MESSAGES: Final = {
    state: (
        f"The database {WHAT[fault]}",
        f"{ADVICE[fault][0].upper()}{ADVICE[fault][1:]}, then reload this page."
        + ("" if fault.in_the_schema else LOGGED),
    )
    for state, fault in FAULT_OF_STATE.items()
}
NO_CASES: Final = (
    "No cases yet",
    "Load some: `make demo` for synthetic data, or `intake run` for the intake files in the "
    "landing folder.",
)
NO_MATCHES: Final = "No cases match these filters. Widen the period or clear a filter."
NO_USERS: Final = (
    "No one can sign in yet",
    "Create an administrator: `intake users add NAME --role admin` (it asks for a password).",
)
READ_FAILED: Final = (
    "The database could not be read just now",
    "Reload the page in a moment. If it keeps happening, check the database; the reason is in "
    "the dashboard's server log.",
)


def render_database_problem(state: DatabaseState) -> None:
    """Explain why the database cannot be used and what to run."""
    title, body = DATABASE_MESSAGES[state]
    st.error(body, title=title, icon=":material/database:")


def render_no_cases() -> None:
    title, body = NO_CASES
    st.info(body, title=title, icon=":material/inbox:")


def render_no_matches() -> None:
    st.info(NO_MATCHES, icon=":material/filter_alt_off:")


def render_no_users() -> None:
    title, body = NO_USERS
    st.info(body, title=title, icon=":material/person_add:")


def render_read_failed() -> None:
    title, body = READ_FAILED
    st.error(body, title=title, icon=":material/error:")
