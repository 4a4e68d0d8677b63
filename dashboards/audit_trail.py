"""Recording what dashboard users do: worklist openings and exports (sign-ins are recorded
by dashboards.access). Every event says who, when and with which filters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import streamlit as st

from dashboards.database import engine_for
from dashboards.session import SignedIn
from db import audit, transactions

WORKLIST_VIEW_KEY: Final = "worklist_recorded_view"
"""The worklist view (filters) last recorded in this session, while the worklist is open."""
RULES_CHANGE_VIEW_KEY: Final = "rules_change_recorded_view"
"""The impact report last recorded as seen in this session, while the Rules change page is
open."""


def record(url: str, user: SignedIn, event: str, details: Mapping[str, Any]) -> None:
    """Append an event of `user` to the audit log."""
    transactions.write(
        engine_for(url), lambda connection: audit.record(connection, user.username, event, details)
    )


def record_worklist_view(url: str, user: SignedIn, view: Mapping[str, Any]) -> None:
    """Record an opening of the worklist: on arriving at the page, and again whenever its
    filters change while it is open (each is a different list of patients). Paging through
    the same list is not a new opening."""
    if st.session_state.get(WORKLIST_VIEW_KEY) != view:
        record(url, user, "worklist_opened", view)
        st.session_state[WORKLIST_VIEW_KEY] = dict(view)


def forget_worklist_view() -> None:
    """Called on every other page: coming back to the worklist is a new opening."""
    st.session_state.pop(WORKLIST_VIEW_KEY, None)


def record_rules_change_view(url: str, user: SignedIn, view: Mapping[str, Any]) -> None:
    """Record an opening of the Rules change page (it names cases whose triage would go down
    and example cases): on arriving, and again when it shows another report."""
    if st.session_state.get(RULES_CHANGE_VIEW_KEY) != view:
        record(url, user, "rules_change_opened", view)
        st.session_state[RULES_CHANGE_VIEW_KEY] = dict(view)


def forget_rules_change_view() -> None:
    """Called on every other page: coming back to the Rules change page is a new opening."""
    st.session_state.pop(RULES_CHANGE_VIEW_KEY, None)
