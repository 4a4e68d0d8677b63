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


FULL_WEEK: Final = "Full week"
PARTIAL_WEEK: Final = "Partial week"
WEEK_SHAPES: Final = alt.Scale(domain=[FULL_WEEK, PARTIAL_WEEK], range=["circle", "triangle-up"])
DAYS_PER_WEEK: Final = 7


def _share_lines(shares: pl.DataFrame) -> alt.LayerChart:
    """Weekly share lines, one colour per mechanism, with a point on every week shown (a week
    left out by the small-cell rule leaves no point). The axis has a tick on each Monday a
    week starts (dates in UTC, so no browser's time zone moves them); a week the period
    covers only partly (`days` < 7) gets a triangle instead of a dot."""
    days = shares["days"] if "days" in shares.columns else pl.repeat(7, shares.height, eager=True)
    data = shares.with_columns(
        pl.col("week").dt.strftime("%Y-%m-%d"),
        pl.Series("days", days, dtype=pl.Int64),
        pl.when(pl.Series(days) < DAYS_PER_WEEK)
        .then(pl.lit(PARTIAL_WEEK))
        .otherwise(pl.lit(FULL_WEEK))
        .alias("week_kind"),
    )
    mondays = sorted(set(shares["week"].to_list()))
    x = alt.X(
        "week:T",
        title="Week starting (Monday)",
        scale=alt.Scale(type="utc"),
        axis=alt.Axis(
            values=[
                alt.DateTime(year=d.year, month=d.month, date=d.day, utc=True) for d in mondays
            ],
            format="%d %b",
            formatType="utc",
        ),
    )
    base = alt.Chart(data).encode(
        x=x,
        y=alt.Y("share:Q", title="Share of the week's cases (%)", scale=SHARE_AXIS),
        color=alt.Color("mechanism:N", title="Mechanism", scale=MECHANISM_COLOURS),
    )
    points = base.mark_point(filled=True, size=60).encode(
        shape=alt.Shape("week_kind:N", title="Week", scale=WEEK_SHAPES),
        tooltip=[
            alt.Tooltip("week:T", title="Week starting", format="%d %b %Y", formatType="utc"),
            alt.Tooltip("days:Q", title="Days of the period in it"),
            alt.Tooltip("mechanism:N", title="Mechanism"),
            alt.Tooltip("share:Q", title="Share (%)", format=".1f"),
        ],
    )
    chart = alt.layer(base.mark_line(), points)
    assert isinstance(chart, alt.LayerChart)
    return chart


def weekly_share_chart(shares: pl.DataFrame) -> alt.LayerChart:
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
