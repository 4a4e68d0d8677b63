"""Rules change: what a new version of the classification rules would change before it is
approved, or what the last approved one changed. Administrators only; every opening is audited."""

import streamlit as st

from dashboards import audit_trail, rules_change, rules_queries, session
from dashboards.database import current_url

user = session.current()
session.refuse_unless_admin(user)
url = current_url()

st.title("Rules change")
seen = rules_queries.rules_change(url)
status = seen.status
if status.in_force is None:
    st.info("Nothing is classified yet: the first run takes up the rules in the code.")
    st.stop()
if status.waiting:
    st.warning(
        f"Rules version **{status.candidate}** waits for approval. Until it is approved, new "
        f"cases are classified by **{status.in_force}**, the version in force, and every count "
        "stays by it. Approve with `intake rules approve "
        f"{status.candidate} --by NAME --reason TEXT`.",
        icon=":material/pending:",
    )
else:
    st.caption(f"Rules version {status.in_force} is in force; no candidate waits.")
if seen.approval is not None:
    approval = seen.approval
    st.caption(
        f"Approved by {approval.approved_by} on {approval.approved_at:%Y-%m-%d %H:%M} UTC: "
        f"{approval.reason}"
        + (" (triage downgrades accepted)" if approval.accepted_downgrades else "")
    )
report = seen.report
if report is None:
    if status.waiting:
        st.info("No impact report yet: `intake rules impact` (or its Dagster asset) makes one.")
    else:
        st.info("The version in force was taken up without a report (nothing to compare then).")
    st.stop()

audit_trail.record_rules_change_view(
    url, user, {"report_id": report.id, "candidate": report.candidate_version}
)
document = report.report
st.subheader(f"{report.in_force_version} → {report.candidate_version}")
st.caption(f"Impact report {report.id}, made {report.made_at:%Y-%m-%d %H:%M} UTC.")
cases, mechanism, triage, down = st.columns(4)
cases.metric("Cases compared", f"{report.cases:,}", border=True)
mechanism.metric("Mechanism would change", f"{report.mechanism_changes:,}", border=True)
triage.metric("Triage would change", f"{report.triage_changes:,}", border=True)
down.metric("Triage would go down", f"{report.triage_downgrades:,}", border=True)

st.subheader("Referred versus compensatory, per week")
rules_change.render_charts(document)

st.subheader("Transitions")
st.caption("Rows: the classification in force; columns: the candidate's.")
clinic = st.selectbox(
    "Clinic",
    (None, *rules_change.clinics(document)),
    format_func=lambda c: "Every clinic" if c is None else c,
    key="rules_change_clinic",
)
by_mechanism, by_triage = st.columns([3, 2])
with by_mechanism:
    st.markdown("**Mechanism**")
    rules_change.render_matrix(rules_change.matrix(document, "mechanism", clinic), "Mechanism")
with by_triage:
    st.markdown("**Triage**")
    rules_change.render_matrix(rules_change.matrix(document, "triage", clinic), "Triage")

st.subheader("Cases whose triage would go down")
downgraded = rules_change.downgrades(document)
if downgraded.is_empty():
    st.caption("None.")
else:
    st.dataframe(downgraded, hide_index=True, alt="Cases whose triage would go down")

st.subheader("Examples of each mechanism change")
shown = rules_change.examples(document)
if shown.is_empty():
    st.caption("No case would change mechanism.")
else:
    st.dataframe(shown, hide_index=True, alt="Example cases of each mechanism change")
