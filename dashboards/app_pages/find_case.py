"""Find a case: an administrator looks a case up by its intake id or a patient's cases by
their patient ref, whatever the filters and triage. Every lookup is recorded in the audit log
with what was searched for and how many cases were found."""

import datetime as dt

import streamlit as st

from dashboards import audit_trail, queries, red_flags, session
from dashboards.database import current_url

user = session.current()
session.refuse_unless_admin(user)
url = current_url()

st.title("Find a case")
st.caption("By intake id or patient ref, exactly as written. Every lookup is recorded.")

with st.form("find_case", enter_to_submit=True):
    text = st.text_input("Intake id or patient ref", key="find_text", max_chars=64)
    submitted = st.form_submit_button("Find", type="primary", key="find")

if submitted and text.strip():
    wanted = text.strip()
    found = queries.find_cases(url, wanted)
    audit_trail.record(url, user, "case_lookup", {"search": wanted, "found": found.height})
    if found.is_empty():
        st.info("No case has this intake id or patient ref.", icon=":material/search_off:")
    else:
        st.dataframe(
            red_flags.shown_cases(found, dt.datetime.now(dt.UTC)),
            hide_index=True,
            column_config={
                "Intake (UTC)": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")
            },
            alt="Cases found",
        )
