"""The sidebar every signed-in page shares: who is signed in, and the filters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Final

import streamlit as st

from dashboards import session
from dashboards.filters import (
    Filters,
    default_period,
    label_of,
    period_from_widget,
    period_to_hold,
)
from dashboards.queries import DataBounds
from pipeline.aggregate.daily_counts import AGE_BAND_LABELS
from pipeline.contract.fields import KNEE_INJURIES, SEXES

FILTERS_KEY: Final = "filters"
PERIOD_KEY: Final = "filter_period"
CLINICS_KEY: Final = "filter_clinics"
KNEE_INJURIES_KEY: Final = "filter_knee_injuries"
AGE_BANDS_KEY: Final = "filter_age_bands"
SEXES_KEY: Final = "filter_sexes"


def render_account(user: session.SignedIn) -> None:
    """Who is signed in, in which role, and a way to sign out."""
    with st.sidebar:
        st.caption(f"Signed in as **{user.username}** ({user.role_name})")
        st.button("Sign out", icon=":material/logout:", on_click=session.sign_out, key="sign_out")


def render_filters(bounds: DataBounds | None) -> Filters:
    """Draw the filters for the data there is, remember them for the pages, return them."""
    latest = bounds.latest if bounds else dt.datetime.now(dt.UTC).date()
    earliest = bounds.earliest if bounds else latest
    fallback = default_period(latest)
    first_day = min(earliest, fallback[0])
    held = period_to_hold(st.session_state.get(PERIOD_KEY), fallback, first_day, latest)
    if held is not None:
        st.session_state[PERIOD_KEY] = held
    with st.sidebar:
        st.header("Filters")
        period = st.date_input(
            "Intake period",
            min_value=first_day,
            max_value=latest,
            key=PERIOD_KEY,
            help="Intake days to count. Changes are compared with the period as long before.",
            # Drawn by the entrypoint on every page, kept for the whole session: moving
            # between pages keeps the filters.
            persist_state="session",
        )
        start, end = period_from_widget(period, fallback)
        filters = Filters(
            start,
            end,
            clinics=_choose("Clinics", bounds.clinics if bounds else (), CLINICS_KEY, str),
            knee_injuries=_choose("Knee injury", KNEE_INJURIES, KNEE_INJURIES_KEY),
            age_bands=_choose("Age band", AGE_BAND_LABELS, AGE_BANDS_KEY),
            sexes=_choose("Sex", SEXES, SEXES_KEY),
        )
    st.session_state[FILTERS_KEY] = filters
    return filters


def active_filters() -> Filters:
    """The filters the sidebar holds in this run."""
    filters = st.session_state.get(FILTERS_KEY)
    if not isinstance(filters, Filters):
        st.error("The filters are not set up: open the dashboard from its start page.")
        st.stop()
    return filters


def _choose(
    label: str, options: Sequence[str], key: str, shown: Callable[[str], str] = label_of
) -> tuple[str, ...]:
    """A multiselect of `options` (none chosen: all), dropping remembered choices that are no
    longer options."""
    if key in st.session_state:
        st.session_state[key] = [v for v in st.session_state[key] if v in options]
    chosen = st.multiselect(
        label,
        options,
        format_func=shown,
        key=key,
        placeholder="All",
        persist_state="session",
    )
    return tuple(chosen)
