"""Red-flag cases: every urgent and evaluate case in the period, newest first, with their
reasons, clinic, intake time and days since intake; paged, filterable and exportable.
Administrators only: every opening and every export is recorded in the audit log."""

import datetime as dt

import streamlit as st

from dashboards import (
    audit_trail,
    components,
    exports,
    queries,
    red_flags,
    session,
    sidebar,
    states,
)
from dashboards.database import current_url
from dashboards.filters import label_of
from dashboards.settings import EXPORT_ROW_LIMIT, WORKLIST_PAGE_SIZE
from pipeline.contract.outputs import TRIAGE_REASONS

PAGE_KEY = "worklist_page"
LISTED_KEY = "worklist_listed"
"""The query whose cases the page shows: when the filters change, paging starts again."""

user = session.current()
session.refuse_unless_admin(user)
filters = sidebar.active_filters()
url = current_url()
now = dt.datetime.now(dt.UTC)

st.title("Red-flag cases")
st.caption(f"{filters.describe()}. Newest first.")

if queries.data_bounds(url) is None:
    states.render_no_cases()
    st.stop()

corrections = queries.records_needing_correction(url, filters.clinics)
if not corrections.is_empty():
    st.subheader(f"Urgent: {corrections.height:,} records need correction")
    st.caption(
        "Quarantined records whose text still shows a red flag: the patient may need care "
        "today. Each stays here until a valid record with the same intake id arrives."
    )
    st.dataframe(
        red_flags.shown_corrections(corrections),
        hide_index=True,
        column_config={
            "Quarantined (UTC)": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")
        },
        alt="Quarantined records with a red flag, newest first",
    )
    st.subheader("Cases")

levels_column, reason_column, page_column = st.columns([2, 2, 1], vertical_alignment="bottom")
with levels_column:
    levels = st.pills(
        "Triage",
        red_flags.LEVELS,
        selection_mode="multi",
        format_func=label_of,
        key="worklist_levels",
        help="None chosen: both.",
        persist_state="session",
    )
with reason_column:
    reason = st.selectbox(
        "Reason",
        (None, *TRIAGE_REASONS),
        format_func=lambda r: "Any" if r is None else label_of(r),
        key="worklist_reason",
        persist_state="session",
    )
query = red_flags.WorklistQuery(filters, tuple(levels), reason)
audit_trail.record_worklist_view(url, user, query.as_record())
if st.session_state.get(LISTED_KEY) != query:
    st.session_state[PAGE_KEY] = 1  # another list of cases starts at its newest
    st.session_state[LISTED_KEY] = query

result = queries.worklist_page(url, query, st.session_state.get(PAGE_KEY, 1))
pages = red_flags.page_count(result.total, WORKLIST_PAGE_SIZE)
if st.session_state.get(PAGE_KEY, 1) > pages:
    st.session_state[PAGE_KEY] = pages
    result = queries.worklist_page(url, query, pages)
if result.total == 0:
    states.render_no_matches()
    st.stop()

with page_column:
    page = st.number_input(
        "Page", min_value=1, max_value=pages, key=PAGE_KEY, persist_state="session"
    )
first = (int(page) - 1) * WORKLIST_PAGE_SIZE + 1
st.caption(f"Cases {first:,}-{first + result.cases.height - 1:,} of {result.total:,}.")
shown = red_flags.shown_cases(result.cases, now)
st.dataframe(
    shown,
    hide_index=True,
    height=components.table_height(shown.height),  # every row of the page, no inner scrolling
    column_config={
        "Intake (UTC)": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
        "Intake id": st.column_config.TextColumn(width=components.text_width(shown["Intake id"])),
        "Patient ref": st.column_config.TextColumn(
            width=components.text_width(shown["Patient ref"])
        ),
    },
    alt="Urgent and evaluate cases, newest first",
)

exports.case_download(
    lambda: red_flags.export_csv(queries.worklist_export(url, query), dt.datetime.now(dt.UTC)),
    name="red_flag_worklist",
    url=url,
    user=user,
    details=query.as_record(),
)
if result.total > EXPORT_ROW_LIMIT:
    st.caption(f"The export holds the newest {EXPORT_ROW_LIMIT:,} of these cases.")
