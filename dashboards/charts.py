"""Chart specifications (Altair), built from the frames dashboards.shaping makes. Pure."""

from __future__ import annotations

from typing import Final

import altair as alt
import polars as pl

from pipeline.contract.outputs import Mechanism

SHARE_AXIS: Final = alt.Scale(domain=[0, 100])
MECHANISM_COLOURS: Final = alt.Scale(
    domain=[Mechanism.REFERRED.value, Mechanism.COMPENSATORY.value],
    range=["#1f77b4", "#ff7f0e"],
)
CHART_HEIGHT: Final = 320
FACET_WIDTH: Final = 260
FACET_HEIGHT: Final = 180
FACET_COLUMNS: Final = 3


def _share_lines(shares: pl.DataFrame) -> alt.Chart:
    """Weekly share lines, one colour per mechanism, with a point on every week shown (a week
    left out by the small-cell rule leaves no point)."""
    chart: alt.Chart = (
        alt.Chart(shares)
        .mark_line(point=True)
        .encode(
            x=alt.X("week:T", title="Week starting"),
            y=alt.Y("share:Q", title="Share of the week's cases (%)", scale=SHARE_AXIS),
            color=alt.Color("mechanism:N", title="Mechanism", scale=MECHANISM_COLOURS),
            tooltip=[
                alt.Tooltip("week:T", title="Week starting"),
                alt.Tooltip("mechanism:N", title="Mechanism"),
                alt.Tooltip("share:Q", title="Share (%)", format=".1f"),
            ],
        )
    )
    return chart


def weekly_share_chart(shares: pl.DataFrame) -> alt.Chart:
    """Referred versus compensatory, as a share of each week's cases."""
    return _share_lines(shares).properties(height=CHART_HEIGHT)


def clinic_share_chart(shares: pl.DataFrame) -> alt.FacetChart:
    """The same, one small chart per clinic, side by side on a shared scale."""
    chart: alt.FacetChart = (
        _share_lines(shares)
        .properties(width=FACET_WIDTH, height=FACET_HEIGHT)
        .facet(facet=alt.Facet("clinic_id:N", title=None), columns=FACET_COLUMNS)
        .configure_legend(orient="bottom")
    )
    return chart
