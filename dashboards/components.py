"""Small render helpers the count pages share: the headline metrics, the share chart, the
mechanism table and the note on small cells."""

from __future__ import annotations

from typing import Final

import altair as alt
import polars as pl
import streamlit as st

from dashboards.shaping import PeriodTotals
from dashboards.small_cells import (
    NO_EARLIER_DATA,
    NOT_SHOWN,
    SMALL_CELL_MAX,
    SUPPRESSED,
    change_text,
    count_text,
    share_text,
)
from pipeline.contract.outputs import Mechanism

ROW_HEIGHT_PX: Final = 35
"""Streamlit's default table row height (the header row is as tall)."""
CHARACTER_PX: Final = 8
"""About the width of one character of table text, with room for the cell's padding below."""
CELL_PADDING_PX: Final = 24
HIDDEN_CHANGE: Final = f"Change not shown: it rests on {SMALL_CELL_MAX} cases or fewer."
SHARE_COLUMN: Final = st.column_config.NumberColumn(format="%.1f%%")


def table_height(rows: int) -> int:
    """Pixels for a table to show its header and `rows` rows without scrolling."""
    return (max(rows, 1) + 1) * ROW_HEIGHT_PX + 3


def text_width(values: pl.Series) -> int:
    """Pixels for a text column to show its longest value (or its name) whole."""
    longest = max([len(str(values.name)), *(len(v) for v in values.drop_nulls())])
    return longest * CHARACTER_PX + CELL_PADDING_PX


def render_headline(totals: PeriodTotals, by_mechanism: dict[str, int], *, exact: bool) -> None:
    """Cases and urgent cases with their change against the previous period, and the
    referred and compensatory shares of the period's cases."""
    cases, urgent, referred, compensatory = st.columns(4)
    with cases:
        _metric("Cases", totals.cases, totals.previous_cases, exact=exact, rising_is_bad=False)
    with urgent:
        _metric(
            "Urgent cases", totals.urgent, totals.previous_urgent, exact=exact, rising_is_bad=True
        )
    for column, mechanism in (
        (referred, Mechanism.REFERRED.value),
        (compensatory, Mechanism.COMPENSATORY.value),
    ):
        with column:
            st.metric(
                f"{mechanism.capitalize()} share",
                share_text(by_mechanism[mechanism], totals.cases, exact=exact),
                help=f"{mechanism.capitalize()} cases as a share of all cases in the period.",
                border=True,
            )


def _metric(label: str, current: int, previous: int, *, exact: bool, rising_is_bad: bool) -> None:
    change = change_text(current, previous, exact=exact)
    trend = change not in (None, NO_EARLIER_DATA)
    st.metric(
        label,
        count_text(current, exact=exact),
        delta=change,
        delta_color=("inverse" if rising_is_bad else "normal") if trend else "off",
        delta_arrow="auto" if trend else "off",
        help=None if change else HIDDEN_CHANGE,
        border=True,
    )


def render_share_chart(
    chart: alt.LayerChart | alt.FacetChart, shares: pl.DataFrame, key: str | None = None
) -> None:
    """The chart, or a sentence saying why there is nothing to draw."""
    if shares.is_empty():
        st.caption(
            f"No week has enough cases to show a share: each needs more than {SMALL_CELL_MAX}."
        )
        return
    st.altair_chart(chart, alt="Weekly share of referred and compensatory cases", key=key)


def render_mechanism_table(table: pl.DataFrame) -> None:
    """The five mechanisms with their cases and shares."""
    st.dataframe(
        table,
        hide_index=True,
        column_config={"Share (%)": SHARE_COLUMN},
        placeholder=NOT_SHOWN,
        alt="Cases per mechanism in the period",
    )


def render_small_cell_note(*, exact: bool) -> None:
    """Say which rule the numbers on the page follow."""
    if exact:
        st.caption(
            f"You see exact counts (administrator). Downloads follow the small-cell rule: "
            f'counts from 1 to {SMALL_CELL_MAX} are written as "{SUPPRESSED}".'
        )
    else:
        st.caption(
            f'Counts from 1 to {SMALL_CELL_MAX} are shown as "{SUPPRESSED}", and shares or '
            "changes resting on them are not shown, so that no patient can be singled out."
        )


def render_needing_correction(per_clinic: pl.DataFrame, clinics: tuple[str, ...]) -> None:
    """Urgent records that need correction (quarantined with a red flag), counted apart from
    the cases, for the clinics chosen (none chosen: all), with a pointer to the worklist."""
    if clinics:
        per_clinic = per_clinic.filter(pl.col("clinic_id").is_in(clinics))
    waiting = int(per_clinic["records"].sum())
    if waiting:
        st.error(
            f"{waiting:,} quarantined records show a red flag and need correction: they are "
            "listed first on the red-flag worklist.",
            icon=":material/priority_high:",
        )


def render_overdue(per_clinic: pl.DataFrame) -> None:
    """Urgent follow-up items still open past their due time, per clinic."""
    if per_clinic.is_empty():
        return
    total = int(per_clinic["items"].sum())
    clinics = ", ".join(f"{c or '(not readable)'} {n}" for c, n in per_clinic.iter_rows())
    st.error(
        f"{total:,} urgent follow-up items are open past their due time ({clinics}): "
        "see the red-flag worklist.",
        icon=":material/schedule:",
    )
