"""The start the Overview and Clinics pages share: who is signed in, the sidebar's filters, the
title, and the period's counts; the page stops with the right message when there is nothing."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
import streamlit as st

from dashboards import queries, session, sidebar, states
from dashboards.database import current_url
from dashboards.filters import Filters


@dataclass(frozen=True, slots=True)
class PeriodPage:
    user: session.SignedIn
    filters: Filters
    url: str
    bounds: queries.DataBounds
    counts: pl.DataFrame
    """The period's counts (per clinic when the page asked for them so)."""


def open_period_page(title: str, *, by_clinic: bool = False) -> PeriodPage:
    """Write the title and the filters' caption and read the period's counts; stop the page
    with a message when the database has no cases or none match the filters."""
    user = session.current()
    filters = sidebar.active_filters()
    url = current_url()
    st.title(title)
    st.caption(f"{filters.describe()}. Changes are against the previous {filters.days} days.")
    bounds = queries.data_bounds(url)
    if bounds is None:
        states.render_no_cases()
        st.stop()
    counts = queries.period_counts(url, filters, by_clinic=by_clinic)
    if counts.is_empty():
        states.render_no_matches()
        st.stop()
    return PeriodPage(user, filters, url, bounds, counts)
