"""Data quality: can the numbers be trusted? The last pipeline run and how it ended, how fresh
each clinic's data is, the files ingested, what was quarantined and why, the rules version in
force; for administrators, the audit log."""

import streamlit as st

from dashboards import quality, queries, session, sidebar
from dashboards.database import current_url

user = session.current()
filters = sidebar.active_filters()
url = current_url()

st.title("Data quality")
st.caption("The clinics filter applies to freshness; the other filters do not apply on this page.")

st.subheader("Last pipeline run")
quality.render_runs(queries.recent_runs(url))

st.subheader("Freshness per clinic")
quality.render_freshness(queries.clinic_freshness(url, filters.clinics))

st.subheader("Files ingested")
quality.render_files(queries.file_totals(url), queries.recent_files(url))

st.subheader("Urgent records that need correction")
quality.render_needing_correction(queries.needing_correction_per_clinic(url), exact=user.is_admin)

st.subheader("Urgent-case alerts")
quality.render_alerts(queries.alert_status(url))

st.subheader("Quarantined records, by reason")
quality.render_quarantine(queries.quarantine_reasons(url), show_values=user.is_admin)

st.subheader("Rules version in force")
quality.render_rules_versions(queries.rules_versions(url))

if user.is_admin:
    st.subheader("Audit log")
    quality.render_audit_log(url)
