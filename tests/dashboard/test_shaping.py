"""The pure functions between the queries and the pages: filters and periods, counts shaped
for the headline, chart, tables and exports, the worklist's shaping, the sign-in delay."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Final

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboards import charts, quality_tables, red_flags, shaping
from dashboards.filters import (
    Filters,
    clamp_period,
    default_period,
    label_of,
    period_from_widget,
    period_to_hold,
)
from dashboards.small_cells import SMALL_CELL_MAX
from pipeline.contract.outputs import MECHANISMS, TRIAGE_LEVELS

MONDAY = dt.date(2026, 1, 5)
days = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))
FRAMES: Final = settings(deadline=None)
"""Examples that build polars frames: their first run in a process, or a busy machine, can
take longer than hypothesis's default 200 ms deadline without anything being wrong."""


@st.composite
def count_frames(draw: st.DrawFn, clinics: tuple[str, ...] = ("north", "south")) -> pl.DataFrame:
    """Frames as `queries.period_counts(by_clinic=True)` returns them: one row per key."""
    keys = st.tuples(
        st.sampled_from((shaping.CURRENT, shaping.PREVIOUS)),
        st.integers(0, 11).map(lambda w: MONDAY + dt.timedelta(weeks=w)),
        st.sampled_from(MECHANISMS),
        st.sampled_from(TRIAGE_LEVELS),
        st.sampled_from(clinics),
    )
    rows = draw(st.dictionaries(keys, st.integers(1, 40), max_size=60))
    return pl.DataFrame(
        [(*key, cases) for key, cases in rows.items()],
        schema=["period", "week", "mechanism", "triage", "clinic_id", "cases"],
        orient="row",
    ).cast({"cases": pl.Int64})


def _numbers(values: list[object]) -> list[int]:
    return [int(n) for v in values for n in re.findall(r"\d[\d,]*", str(v).replace(",", ""))]


@given(days, st.integers(0, 400))
def test_the_previous_period_is_as_long_and_ends_the_day_before(start: dt.date, n: int) -> None:
    filters = Filters(start, start + dt.timedelta(days=n))
    assert filters.days == n + 1
    assert filters.previous_start + dt.timedelta(days=filters.days) == filters.start


def test_a_period_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        Filters(dt.date(2026, 5, 2), dt.date(2026, 5, 1))


@given(days)
def test_the_default_period_is_the_twelve_weeks_up_to_the_latest_day(latest: dt.date) -> None:
    start, end = default_period(latest)
    assert end == latest
    assert (end - start).days + 1 == 84


@given(days, days, days, days)
def test_a_clamped_period_lies_inside_the_data_and_is_ordered(
    a: dt.date, b: dt.date, c: dt.date, d: dt.date
) -> None:
    earliest, latest = sorted((c, d))
    start, end = clamp_period((a, b), earliest, latest)
    assert earliest <= start <= end <= latest


def test_a_half_picked_date_range_means_that_day_and_an_empty_one_the_fallback() -> None:
    fallback = (dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    day = dt.date(2026, 1, 9)
    assert period_from_widget((day,), fallback) == (day, day)
    assert period_from_widget((), fallback) == fallback
    assert period_from_widget(None, fallback) == fallback
    assert period_from_widget((dt.date(2026, 2, 1), day), fallback) == (day, dt.date(2026, 2, 1))


def test_the_period_widget_is_set_up_once_kept_in_the_data_and_left_alone_mid_pick() -> None:
    fallback = (dt.date(2026, 8, 29), dt.date(2026, 11, 20))
    first, last = dt.date(2026, 1, 1), dt.date(2026, 11, 20)
    assert period_to_hold(None, fallback, first, last) == fallback
    assert period_to_hold((dt.date(2025, 6, 1), dt.date(2027, 1, 1)), fallback, first, last) == (
        first,
        last,
    )
    assert period_to_hold((dt.date(2026, 3, 1),), fallback, first, last) is None


def test_filters_are_recorded_and_described_in_words() -> None:
    filters = Filters(dt.date(2026, 1, 1), dt.date(2026, 1, 7), ("north",), ("meniscal_tear",))
    assert filters.as_record()["clinics"] == ["north"]
    assert filters.as_record()["from"] == "2026-01-01"
    assert "knee injury: Meniscal tear" in filters.describe()
    assert label_of("no_weight_bearing") == "No weight bearing"


@FRAMES
@given(
    st.lists(
        st.tuples(days, st.sampled_from(MECHANISMS), st.sampled_from(TRIAGE_LEVELS)),
        max_size=40,
        unique=True,
    ),
    days,
)
def test_daily_counts_fold_into_monday_weeks_of_the_two_periods(
    keys: list[tuple[dt.date, str, str]], start: dt.date
) -> None:
    daily = pl.DataFrame(
        [(*key, n + 1) for n, key in enumerate(keys)],
        schema={
            "intake_date": pl.Date,
            "mechanism": pl.String,
            "triage": pl.String,
            "cases": pl.Int64,
        },
        orient="row",
    )
    folded = shaping.periods_and_weeks(daily, start)
    assert folded["cases"].sum() == daily["cases"].sum()
    assert all(week.weekday() == 0 for week in folded["week"])
    current = sum(n + 1 for n, (day, _, _) in enumerate(keys) if day >= start)
    assert folded.filter(pl.col("period") == shaping.CURRENT)["cases"].sum() == current


@FRAMES
@given(count_frames())
def test_the_mechanism_counts_add_up_to_the_period_total(counts: pl.DataFrame) -> None:
    totals = shaping.period_totals(counts)
    by_mechanism = shaping.mechanism_counts(counts)
    assert list(by_mechanism) == list(MECHANISMS)
    assert sum(by_mechanism.values()) == totals.cases
    assert totals.urgent <= totals.cases
    assert totals.previous_urgent <= totals.previous_cases


@FRAMES
@given(count_frames())
def test_weekly_counts_add_up_to_the_period_and_each_week_to_its_mechanisms(
    counts: pl.DataFrame,
) -> None:
    weekly = shaping.weekly_counts(counts)
    assert weekly["cases"].sum() == shaping.period_totals(counts).cases
    for row in weekly.iter_rows(named=True):
        assert sum(row[m] for m in MECHANISMS) == row["cases"]


@FRAMES
@given(count_frames())
def test_an_administrators_weekly_shares_are_percentages_of_the_weeks_cases(
    counts: pl.DataFrame,
) -> None:
    weekly = shaping.weekly_counts(counts)
    shares = shaping.weekly_shares(weekly, exact=True)
    assert shares.height == 2 * weekly.height
    per_week = shares.group_by("week").agg(pl.col("share").sum())
    assert all(0.0 <= total <= 100.0 + 1e-9 for total in per_week["share"])


@FRAMES
@given(count_frames())
def test_a_viewers_chart_has_no_share_resting_on_a_small_cell(counts: pl.DataFrame) -> None:
    weekly = shaping.weekly_counts(counts)
    shown = shaping.weekly_shares(weekly, exact=False)
    by_week = {row["week"]: row for row in weekly.iter_rows(named=True)}
    for week, mechanism in shown.select("week", "mechanism").iter_rows():
        assert by_week[week]["cases"] > SMALL_CELL_MAX
        assert not 1 <= by_week[week][mechanism] <= SMALL_CELL_MAX


@FRAMES
@given(count_frames())
def test_the_clinic_table_adds_up_for_an_administrator_and_hides_small_cells_from_a_viewer(
    counts: pl.DataFrame,
) -> None:
    exact = shaping.clinic_table(counts, exact=True)
    assert exact["Cases"].sum() == shaping.period_totals(counts).cases
    viewer = shaping.clinic_table(counts, exact=False)
    count_columns = ["Cases", "Previous period", "Urgent", *(m.capitalize() for m in MECHANISMS)]
    for column in count_columns:
        assert not any(1 <= n <= SMALL_CELL_MAX for n in _numbers(viewer[column].to_list()))


@FRAMES
@given(count_frames())
def test_an_aggregate_export_never_holds_a_count_from_one_to_ten(counts: pl.DataFrame) -> None:
    exported = shaping.weekly_export(shaping.weekly_counts(counts))
    count_columns = [c for c in exported.columns if c != "week" and not c.endswith("_pct")]
    for column in count_columns:
        assert exported.schema[column] == pl.String
        assert not any(1 <= n <= SMALL_CELL_MAX for n in _numbers(exported[column].to_list()))


def test_the_mechanism_table_lists_all_five_with_shares() -> None:
    by_mechanism = dict.fromkeys(MECHANISMS, 0) | {"referred": 30, "compensatory": 5}
    exact = shaping.mechanism_table(by_mechanism, exact=True)
    assert exact["Cases"].to_list() == [30, 5, 0, 0, 0]
    assert exact["Share (%)"][0] == pytest.approx(100 * 30 / 35)
    viewer = shaping.mechanism_table(by_mechanism, exact=False)
    assert viewer["Cases"].to_list() == ["30", "<11", "0", "0", "0"]
    assert viewer["Share (%)"][0] == pytest.approx(100 * 30 / 35)
    assert viewer["Share (%)"][1] is None


@given(
    st.datetimes(timezones=st.just(dt.UTC)),
    st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=3000)),
)
def test_days_since_intake_are_whole_days_and_never_negative(
    intake_at: dt.datetime, elapsed: dt.timedelta
) -> None:
    assert red_flags.days_since(intake_at, intake_at + elapsed) == elapsed.days
    assert red_flags.days_since(intake_at + elapsed, intake_at) == 0


@given(st.integers(0, 100_000), st.integers(1, 100))
def test_the_pages_hold_every_case_and_there_is_always_one(total: int, size: int) -> None:
    pages = red_flags.page_count(total, size)
    assert pages >= 1
    assert (pages - 1) * size <= max(total - 1, 0) < pages * size or total == 0


def _cases() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "intake_id": ["b", "a"],
            "patient_ref": ["P_2", "P_1"],
            "clinic_id": ["north", "south"],
            "intake_at": [
                dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC),
                dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC),
            ],
            "triage": ["urgent", "evaluate"],
            "triage_reasons": [["fever", "no_weight_bearing"], ["persistent_despite_rest"]],
            "mechanism": ["referred", "compensatory"],
        },
        schema=red_flags.CASE_SCHEMA,
    )


def test_the_worklist_shows_reasons_in_words_and_days_since_intake() -> None:
    now = dt.datetime(2026, 11, 21, 10, 0, tzinfo=dt.UTC)
    shown = red_flags.shown_cases(_cases(), now)
    assert shown["Reasons"].to_list() == ["Fever, No weight bearing", "Persistent despite rest"]
    assert shown["Days since intake"].to_list() == [1, 20]
    assert shown["Triage"].to_list() == ["Urgent", "Evaluate"]


def test_the_worklist_export_is_a_csv_with_contract_names() -> None:
    now = dt.datetime(2026, 11, 21, 10, 0, tzinfo=dt.UTC)
    rows = list(csv.DictReader(io.StringIO(red_flags.export_csv(_cases(), now).decode())))
    assert rows[0] == {
        "intake_id": "b",
        "patient_ref": "P_2",
        "clinic_id": "north",
        "intake_at": "2026-11-20T09:30:00Z",
        "days_since_intake": "1",
        "triage": "urgent",
        "triage_reasons": "fever;no_weight_bearing",
        "mechanism": "referred",
    }


def test_a_worklist_query_without_levels_lists_urgent_and_evaluate() -> None:
    filters = Filters(dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert red_flags.WorklistQuery(filters).triage_levels == ("urgent", "evaluate")
    query = red_flags.WorklistQuery(filters, ("evaluate",), "fever")
    assert query.as_record() | {"from": None} == filters.as_record() | {
        "from": None,
        "triage": ["evaluate"],
        "reason": "fever",
    }


def test_freshness_says_how_far_each_clinic_lags_and_flags_the_stale_ones() -> None:
    freshness = pl.DataFrame(
        {
            "clinic_id": ["east", "north", "south"],
            "last_intake_date": [
                dt.date(2026, 11, 10),
                dt.date(2026, 11, 20),
                dt.date(2026, 11, 18),
            ],
        }
    )
    table = quality_tables.freshness_table(freshness)
    assert table.rows() == [
        ("east", dt.date(2026, 11, 10), 10),
        ("south", dt.date(2026, 11, 18), 2),
        ("north", dt.date(2026, 11, 20), 0),
    ]
    assert quality_tables.stale_clinics(table) == ["east"]


def test_quarantine_examples_show_values_only_when_asked_and_cut_long_ones() -> None:
    reasons = pl.DataFrame(
        {
            "field": ["notes", "notes"],
            "rule": ["max_length", "max_length"],
            "records": [7, 7],
            "example": [1, 2],
            "value": ["x" * 3000, None],
            "source_path": ["landing/a.csv", "landing/b.csv"],
            "line_number": [4, 9],
        }
    )
    with_values = quality_tables.quarantine_table(reasons, show_values=True)
    assert with_values.height == 1
    assert with_values["Records"][0] == 7
    example = with_values["Examples"][0]
    assert "a.csv line 4" in example
    assert "(empty)" in example
    assert len(example) < 120
    without = quality_tables.quarantine_table(reasons, show_values=False)
    assert without["Examples"][0] == "a.csv line 4; b.csv line 9"


def test_the_share_charts_plot_weeks_against_shares_per_mechanism() -> None:
    shares = pl.DataFrame(
        {"week": [MONDAY], "clinic_id": ["north"], "mechanism": ["referred"], "share": [40.0]}
    )
    spec = charts.weekly_share_chart(shares).to_dict()
    for layer in spec["layer"]:
        assert layer["encoding"]["x"]["field"] == "week"
        assert layer["encoding"]["y"]["field"] == "share"
    facet = charts.clinic_share_chart(shares).to_dict()
    assert facet["facet"]["field"] == "clinic_id"


@FRAMES
@given(days, st.integers(0, 60))
def test_week_ticks_are_the_mondays_weeks_start_and_partial_weeks_are_marked(
    start: dt.date, length: int
) -> None:
    end = start + dt.timedelta(days=length)
    weeks = pl.date_range(start, end, "1d", eager=True).dt.truncate("1w").unique().sort()
    shares = pl.DataFrame(
        {"week": weeks, "mechanism": "referred", "share": 50.0},
        schema={"week": pl.Date, "mechanism": pl.String, "share": pl.Float64},
    )
    covered = shaping.with_week_coverage(shares, start, end)
    assert covered["days"].sum() == length + 1, "every day of the period in exactly one week"
    assert all(1 <= d <= 7 for d in covered["days"])
    spec = charts.weekly_share_chart(covered).to_dict()
    ticks = spec["layer"][0]["encoding"]["x"]["axis"]["values"]
    shown = [dt.date(t["year"], t["month"], t["date"]) for t in ticks]
    assert shown == weeks.to_list()
    assert all(day.weekday() == 0 for day in shown), "ticks on Mondays"
    (rows,) = spec["datasets"].values()
    partial = {r["week"] for r in rows if r["week_kind"] == charts.PARTIAL_WEEK}
    first_full = start.weekday() == 0
    last_full = end.weekday() == 6
    expected = {w.isoformat() for w, d in zip(weeks, covered["days"], strict=True) if d < 7}
    assert partial == expected
    assert (weeks[0].isoformat() in partial) == (not first_full or length < 6)
    assert (weeks[-1].isoformat() in partial) == (not last_full or length < 6)
