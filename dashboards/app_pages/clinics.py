"""Clinics: the overview's numbers for each clinic side by side, so a site that differs
stands out."""

import streamlit as st

from dashboards import charts, components, exports, queries, shaping
from dashboards.period_page import open_period_page
from dashboards.small_cells import NOT_SHOWN

page = open_period_page("Clinics", by_clinic=True)
user, filters, url, counts, bounds = page.user, page.filters, page.url, page.counts, page.bounds

table = shaping.clinic_table(counts, exact=user.is_admin)
st.subheader("Cases, urgency and mechanisms per clinic")
st.dataframe(
    table,
    hide_index=True,
    column_config={name: components.SHARE_COLUMN for name in table.columns if "(%)" in name},
    placeholder=NOT_SHOWN,
    alt="Cases, urgent cases and mechanisms per clinic",
)

this_month, last_month = shaping.month_bounds(bounds.latest)
st.subheader("This month against last month")
st.caption(
    f"{this_month:%d} to {bounds.latest:%d %b %Y} (the data so far) against all of "
    f"{last_month:%B %Y}, per clinic. The period filter does not apply here; the others do."
)
monthly = queries.month_counts(url, filters, last_month, bounds.latest)
months_table = shaping.month_comparison(monthly, this_month, exact=user.is_admin)
st.dataframe(
    months_table,
    hide_index=True,
    column_config={n: components.SHARE_COLUMN for n in months_table.columns if "(%)" in n},
    placeholder=NOT_SHOWN,
    alt="Cases and shares per clinic, this month against last month",
)

st.subheader("Referred versus compensatory, per week and clinic")
weekly = shaping.weekly_counts(counts, by=["clinic_id"])
shares = shaping.with_week_coverage(
    shaping.weekly_shares(weekly, exact=user.is_admin, by=["clinic_id"]), filters.start, filters.end
)
components.render_share_chart(charts.clinic_share_chart(shares), shares)

components.render_small_cell_note(exact=user.is_admin)
exports.aggregate_download(
    shaping.clinic_export(counts),
    name="clinics",
    url=url,
    user=user,
    details=filters.as_record(),
)
