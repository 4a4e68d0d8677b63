"""Red-flag worklist: the follow-up items to work (open first, urgent before evaluate, longest
waiting first), marked contacted or closed with an outcome. Administrators only; every opening,
lookup, case opened and change is audited."""

import datetime as dt
from typing import Any

import streamlit as st

from dashboards import audit_trail, components, follow_up_actions, follow_up_list, session, sidebar
from dashboards import follow_up_queries as queries
from dashboards.database import current_url
from dashboards.filters import label_of
from dashboards.red_flags import page_count
from dashboards.settings import WORKLIST_PAGE_SIZE
from db.models import FOLLOW_UP_NOTE_LENGTH
from db.states import FollowUpOutcome, FollowUpState

PAGE_KEY = "follow_up_page"
LISTED_KEY = "follow_up_listed"
SEARCHED_KEY = "follow_up_searched"
CASE_KEY = "case_intake_id"
SHOWN_KEY = "follow_up_shown"
MESSAGE_KEY = "follow_up_message"
DONE_KEY = "follow_up_changes_done"
OUTCOME_KEY = "follow_up_outcome"
NOTE_KEY = "follow_up_note"
"""The items (id, version, intake id) as the table last showed them."""

user = session.current()
session.refuse_unless_admin(user)
filters = sidebar.active_filters()
url = current_url()
now = dt.datetime.now(dt.UTC)

st.title("Red-flag worklist")
st.caption(
    "Follow-up items: open ones first, urgent before evaluate, then the longest waiting. "
    "The clinics filter applies; the period does not (an open item is open whenever it came)."
)

show_column, levels_column, find_column = st.columns([2, 2, 2], vertical_alignment="bottom")
with show_column:
    show = (
        st.segmented_control(
            "Show",
            tuple(queries.STATE_GROUPS),
            format_func=label_of,
            default="open",
            key="follow_up_show",
        )
        or "open"
    )
with levels_column:
    levels = st.pills(
        "Triage",
        ("urgent", "evaluate"),
        selection_mode="multi",
        format_func=label_of,
        key="follow_up_levels",
        help="None chosen: both.",
    )
with find_column:
    find = st.text_input("Find an intake id or patient ref", key="follow_up_find").strip()

if message := st.session_state.pop(MESSAGE_KEY, None):
    st.warning(message)

query = queries.ItemQuery(show, filters.clinics, tuple(levels), find)
audit_trail.record_worklist_view(url, user, query.as_record())
if find and st.session_state.get(SEARCHED_KEY) != find:
    follow_up_actions.record_search(url, user, find)
    st.session_state[SEARCHED_KEY] = find
if st.session_state.get(LISTED_KEY) != query:
    st.session_state[PAGE_KEY] = 1
    st.session_state[LISTED_KEY] = query

result = queries.item_page(url, query, st.session_state.get(PAGE_KEY, 1))
pages = page_count(result.total, WORKLIST_PAGE_SIZE)
if result.total == 0:
    st.info("Nothing to follow up here." if show == "open" else "No item matches.")
    st.stop()
st.number_input("Page", min_value=1, max_value=pages, key=PAGE_KEY)
first = (int(st.session_state[PAGE_KEY]) - 1) * WORKLIST_PAGE_SIZE + 1
overdue = follow_up_list.overdue_count(result.items, now)
st.caption(
    f"Items {first:,}-{first + result.items.height - 1:,} of {result.total:,}"
    + (f"; {overdue} on this page are overdue." if overdue else ".")
)
shown = follow_up_list.shown_items(result.items, now)
listed = result.items.select("item_id", "version", "intake_id").to_dicts()
seen_before = st.session_state.get(SHOWN_KEY, [])
picked = st.dataframe(
    shown,
    hide_index=True,
    height=components.table_height(shown.height),
    on_select="rerun",
    selection_mode="multi-row",
    # Keyed by the items listed and the changes made here: when the list changes (someone
    # closed an item) or a change is done, the selection starts again rather than pointing
    # at whichever item moved into its row, or at items already dealt with.
    key=f"follow_up_table:{follow_up_list.listing_key(listed)}:{st.session_state.get(DONE_KEY, 0)}",
    column_config={
        "Landed (UTC)": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
        "Due": st.column_config.TextColumn(help="Overdue items are marked ⚠."),
    },
    alt="Follow-up items, open and most urgent first",
)
# A selection was made on the table as the previous run showed it: act on those items, at
# the versions the user saw (a change made since is then refused, not overwritten).
rows = [seen_before[i] for i in picked.selection.rows if i < len(seen_before)]
st.session_state[SHOWN_KEY] = listed

if not rows:
    st.caption("Select rows to mark them contacted, close them, or open a case.")
    st.stop()


def _apply(chosen: list[dict[str, Any]], to: str) -> None:
    """A button's callback: runs before the next run draws the page, so the list it draws
    already holds the change, and what to tell the user is shown above it."""
    outcome = st.session_state.get(OUTCOME_KEY) if to == FollowUpState.CLOSED else None
    note = st.session_state.get(NOTE_KEY)
    told = [
        message
        for row in chosen
        if (
            message := follow_up_actions.change(
                url,
                user,
                int(row["item_id"]),
                int(row["version"]),
                to=to,
                outcome=outcome,
                note=note,
            )
        )
    ]
    st.session_state[MESSAGE_KEY] = " ".join(told) if told else None
    st.session_state[DONE_KEY] = st.session_state.get(DONE_KEY, 0) + 1


contact, outcome_column, close, open_case = st.columns([1, 2, 1, 1], vertical_alignment="bottom")
with contact:
    st.button(
        "Mark contacted",
        type="primary",
        use_container_width=True,
        on_click=_apply,
        args=(rows, FollowUpState.CONTACTED),
    )
with outcome_column:
    st.selectbox(
        "Outcome", tuple(o.value for o in FollowUpOutcome), format_func=label_of, key=OUTCOME_KEY
    )
with close:
    st.button("Close", use_container_width=True, on_click=_apply, args=(rows, FollowUpState.CLOSED))
with open_case:
    single = rows[0] if len(rows) == 1 and rows[0]["intake_id"] else None
    if st.button("Open case", disabled=single is None, use_container_width=True) and single:
        st.session_state[CASE_KEY] = single["intake_id"]
        st.switch_page("app_pages/case.py")
st.text_input("Note (optional)", max_chars=FOLLOW_UP_NOTE_LENGTH, key=NOTE_KEY)
