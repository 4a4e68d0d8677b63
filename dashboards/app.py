"""The clinic dashboard's entrypoint (`streamlit run dashboards/app.py`). It only routes: a database
that cannot be used gets a message saying what to run, nobody sees more than the sign-in page
before signing in, a signed-in user gets the shared sidebar and the pages of their role."""

import logging
from pathlib import Path

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from dashboards import (
    audit_trail,
    freshness,
    queries,
    rules_change,
    rules_queries,
    session,
    sidebar,
    states,
)
from dashboards.database import DatabaseState, current_url, state_of

PAGES = Path(__file__).parent / "app_pages"
LOG = logging.getLogger("dashboards.app")


def pages_for(user: session.SignedIn) -> dict[str, list[st.Page]]:
    """The navigation of a signed-in user: what their role may open."""
    overview = st.Page(
        PAGES / "overview.py",
        title="Overview",
        icon=":material/monitoring:",
        default=True,
        help="Referred versus compensatory hip pain per week, the five mechanisms, all and "
        "urgent cases against the previous period.",
    )
    clinics = st.Page(
        PAGES / "clinics.py",
        title="Clinics",
        icon=":material/local_hospital:",
        help="The overview's numbers for each clinic side by side.",
    )
    follow_up = st.Page(
        PAGES / "follow_up.py",
        title="Red-flag worklist",
        icon=":material/flag:",
        help="Follow-up items to work to closure: open first, urgent first, the longest "
        "waiting first. Administrators only.",
    )
    case = st.Page(
        PAGES / "case.py",
        title="Case",
        icon=":material/person:",
        help="One case in full: findings, classification, versions, follow-up.",
    )
    worklist = st.Page(
        PAGES / "worklist.py",
        title="Red-flag cases",
        icon=":material/list:",
        help="Every urgent and evaluate case in the period, newest first, and its export. "
        "Administrators only.",
    )
    quality = st.Page(
        PAGES / "data_quality.py",
        title="Data quality",
        icon=":material/fact_check:",
        help="Last pipeline run, freshness per clinic, files, quarantine, rules version.",
    )
    rules = st.Page(
        PAGES / "rules_change.py",
        title="Rules change",
        icon=":material/rule:",
        help="What a new version of the classification rules would change, before it is "
        "approved: transitions, the Overview's chart before and after. Administrators only.",
    )
    admin_only = [follow_up, case, worklist] if user.is_admin else []
    trust = [quality, rules] if user.is_admin else [quality]
    return {"Counts": [overview, clinics], "Follow-up": admin_only, "Trust": trust}


st.set_page_config(
    page_title="Knee-to-hip clinic dashboard", page_icon=":material/monitoring:", layout="wide"
)
url = current_url()
state = state_of(url)
if state is not DatabaseState.READY:
    states.render_database_problem(state)
    st.stop()

try:
    user = session.signed_in(url)
    if user is None:
        sign_in = st.Page(PAGES / "sign_in.py", title="Sign in", icon=":material/login:")
        st.navigation([sign_in], position="hidden").run()
        st.stop()
    version = freshness.current(url)
    sidebar.render_account(user)
    freshness.render(version)
    rules_change.render_status(rules_queries.rules_status(url))
    sidebar.render_filters(queries.data_bounds(url))
    page = st.navigation({k: v for k, v in pages_for(user).items() if v})
    if page.url_path not in ("worklist", "follow_up"):
        audit_trail.forget_worklist_view()
    if page.url_path != "rules_change":
        audit_trail.forget_rules_change_view()
    page.run()
except SQLAlchemyError:
    LOG.exception("the dashboard could not read its database")
    states.render_read_failed()
