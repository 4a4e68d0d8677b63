"""Overview: how often hip pain after a knee injury is referred pain and how often it is
compensation, week by week; the five mechanisms; all and urgent cases against the previous
period."""

import datetime as dt

import polars as pl
import streamlit as st

from dashboards import charts, components, exports, follow_up_queries, queries, shaping
from dashboards.period_page import open_period_page

page = open_period_page("Overview")
user, filters, url, counts = page.user, page.filters, page.url, page.counts

by_mechanism = shaping.mechanism_counts(counts)
weekly = shaping.weekly_counts(counts)
components.render_headline(shaping.period_totals(counts), by_mechanism, exact=user.is_admin)
if user.is_admin:
    components.render_needing_correction(
        queries.needing_correction_per_clinic(url), filters.clinics
    )
    overdue = follow_up_queries.overdue_urgent_per_clinic(url, dt.datetime.now(dt.UTC))
    if filters.clinics:
        overdue = overdue.filter(pl.col("clinic_id").is_in(filters.clinics))
    components.render_overdue(overdue)

trend, mechanisms = st.columns([3, 1])
with trend:
    st.subheader("Referred versus compensatory, per week")
    shares = shaping.with_week_coverage(
        shaping.weekly_shares(weekly, exact=user.is_admin), filters.start, filters.end
    )
    components.render_share_chart(charts.weekly_share_chart(shares), shares)
with mechanisms:
    st.subheader("All five mechanisms")
    components.render_mechanism_table(shaping.mechanism_table(by_mechanism, exact=user.is_admin))

components.render_small_cell_note(exact=user.is_admin)
exports.aggregate_download(
    shaping.weekly_export(weekly),
    name="weekly_mechanisms",
    url=url,
    user=user,
    details=filters.as_record(),
)
