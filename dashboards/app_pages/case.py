"""One case, as a clinician reads it: findings, mechanism and triage with their reasons, every
version and correction, quarantined records and the follow-up. Administrators only; every
opening is audited with the intake id."""

import streamlit as st

from dashboards import case_view, follow_up_actions, session
from dashboards import follow_up_queries as queries
from dashboards.database import current_url
from dashboards.filters import label_of

CASE_KEY = "case_intake_id"

user = session.current()
session.refuse_unless_admin(user)
url = current_url()

intake_id = st.session_state.get(CASE_KEY) or st.query_params.get("intake_id")
if not intake_id:
    st.title("Case")
    st.info("Open a case from the red-flag worklist.")
    st.stop()
st.query_params["intake_id"] = intake_id  # a reload keeps the case (the page still checks)
record = queries.case_record(url, intake_id)
if st.session_state.get("case_recorded") != intake_id:
    follow_up_actions.record_case_opened(url, user, intake_id)
    st.session_state["case_recorded"] = intake_id

st.title(f"Case {intake_id}")
if record.current is None and not record.quarantined:
    st.warning("No case or quarantined record has this intake id.")
    st.stop()

if record.classification:
    c = record.classification
    triage = label_of(c["triage"])
    reasons = ", ".join(label_of(r) for r in c["triage_reasons"]) or "no red flag"
    triage_column, mechanism_column = st.columns(2)
    with triage_column:
        st.metric("Triage", triage, help=f"Reasons: {reasons}", border=True)
        st.caption(f"Reasons: {reasons}. Rules version {c['rules_version']}.")
    with mechanism_column:
        st.metric("Mechanism", label_of(c["mechanism"]), border=True)
        for evidence in c["mechanism_evidence"]:
            st.markdown(f"- {case_view.evidence_sentence(evidence)}")
elif record.current is None:
    st.error("Only quarantined records have this intake id: the record needs correction.")

if record.current:
    for group, fields in case_view.grouped_fields(record.current).items():
        st.subheader(group)
        st.table({"Finding": [f for f, _ in fields], "": [v for _, v in fields]})

st.subheader("Versions")
for version in case_view.version_changes(record.versions):
    title = (
        f"Version {version['version']}: {version['file']}, "
        f"received {version['received_at']:%Y-%m-%d %H:%M} UTC"
    )
    with st.expander(title, expanded=bool(version["changes"])):
        if not version["changes"]:
            st.caption("The first version received.")
        for field, old, new in version["changes"]:
            st.markdown(f"**{field}**: {old} → {new}")

if record.quarantined:
    st.subheader("Quarantined records with this intake id")
    for q in record.quarantined:
        reasons = "; ".join(f"{r['field']}: {r['rule']}" for r in q["reasons"])
        flags = ", ".join(label_of(f) for f in q["red_flags"]) or "none"
        file = str(q["source_path"]).rsplit("/", 1)[-1]
        st.markdown(f"- {file}, line {q['line_number']}: {reasons} (red flags: {flags})")

st.subheader("Follow-up")
if record.item is None:
    st.caption("No follow-up: the case is routine.")
else:
    item = record.item
    st.markdown(
        f"**{label_of(item['state'])}**"
        + (f", {label_of(item['outcome'])}" if item["outcome"] else "")
        + f"; {label_of(item['level'])}, due {item['due_at']:%Y-%m-%d %H:%M} UTC; "
        f"last changed by {item['changed_by']} at {item['changed_at']:%Y-%m-%d %H:%M} UTC."
    )
    for event in record.history:
        note = f": {event['note']}" if event["note"] else ""
        outcome = f" ({label_of(event['outcome'])})" if event["outcome"] else ""
        st.markdown(
            f"- {event['at']:%Y-%m-%d %H:%M} UTC, {event['by']}: "
            f"{event['state_from'] or 'new'} → {event['state_to']}{outcome}{note}"
        )
