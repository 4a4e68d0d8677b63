"""The dashboard's queries return what the database holds, on SQLite and on PostgreSQL:
counts from the daily aggregate, the worklist's pages, the data-quality lists, the audit log."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable

import polars as pl
import pytest
from sqlalchemy import Engine, update

from dashboards import queries, shaping
from dashboards.filters import Filters
from dashboards.red_flags import WorklistQuery
from dashboards.settings import AUDIT_PAGE_SIZE, WORKLIST_PAGE_SIZE
from db.models import CaseClassification
from pipeline.aggregate.daily_counts import AGE_BANDS
from tests.dashboard import seed

PERIOD = Filters(seed.CURRENT_START, seed.LATEST_DAY)


def _in_period(case: seed.Case, filters: Filters = PERIOD) -> bool:
    return filters.start <= case.day <= filters.end


def test_the_bounds_are_the_first_and_last_counted_days_and_every_clinic(standard_url: str) -> None:
    bounds = queries.data_bounds(standard_url)
    assert bounds is not None
    assert bounds.latest == seed.LATEST_DAY
    assert bounds.earliest == min(c.day for c in seed.standard_cases())
    assert bounds.clinics == ("east", "north", "south")


def test_an_empty_database_has_no_bounds(migrated_engine: Engine, database_url: str) -> None:
    assert queries.data_bounds(database_url) is None


def test_period_counts_give_the_totals_of_the_standard_data(standard_url: str) -> None:
    counts = queries.period_counts(standard_url, PERIOD)
    assert shaping.period_totals(counts) == shaping.PeriodTotals(
        cases=46, previous_cases=32, urgent=8, previous_urgent=3
    )
    assert shaping.mechanism_counts(counts) == {
        "referred": 23,
        "compensatory": 18,
        "biomechanical": 5,
        "mixed": 0,
        "undetermined": 0,
    }


def test_period_counts_group_by_monday_weeks(standard_url: str) -> None:
    counts = queries.period_counts(standard_url, PERIOD)
    assert all(week.weekday() == 0 for week in counts["week"])
    expected = Counter(
        c.day - dt.timedelta(days=c.day.weekday()) for c in seed.standard_cases() if _in_period(c)
    )
    weekly = shaping.weekly_counts(counts)
    assert dict(zip(weekly["week"], weekly["cases"], strict=True)) == expected


@pytest.mark.parametrize(
    ("narrowed", "keep"),
    [
        pytest.param({"clinics": ("south",)}, lambda c: c.clinic_id == "south", id="clinic"),
        pytest.param({"sexes": ("male",)}, lambda c: c.sex == "male", id="sex"),
        pytest.param(
            {"knee_injuries": ("osteoarthritis",)},
            lambda c: c.knee_injury == "osteoarthritis",
            id="knee injury",
        ),
        pytest.param({"age_bands": ("0-17", "80+")}, lambda c: c.age_years in (16, 85), id="age"),
    ],
)
def test_each_filter_narrows_the_counts_to_the_matching_cases(
    standard_url: str,
    narrowed: dict[str, tuple[str, ...]],
    keep: Callable[[seed.Case], bool],
) -> None:
    filters = Filters(PERIOD.start, PERIOD.end, **narrowed)
    chosen = [c for c in seed.standard_cases() if keep(c)]
    counts = queries.period_counts(standard_url, filters)
    totals = shaping.period_totals(counts)
    assert totals.cases == sum(1 for c in chosen if _in_period(c))
    previous = Filters(filters.previous_start, PERIOD.start - dt.timedelta(days=1))
    assert totals.previous_cases == sum(1 for c in chosen if _in_period(c, previous))


def test_counts_per_clinic_match_the_standard_table(standard_url: str) -> None:
    counts = queries.period_counts(standard_url, PERIOD, by_clinic=True)
    table = shaping.clinic_table(counts, exact=True)
    assert table.select("Clinic", "Cases", "Previous period", "Urgent").rows() == [
        ("east", 4, None, 1),  # no earlier cases: nothing to show, not 0
        ("north", 30, 20, 5),
        ("south", 12, 12, 2),
    ]


def test_the_worklist_lists_urgent_and_evaluate_cases_newest_first_in_pages(
    standard_url: str,
) -> None:
    follow_up = sorted(
        (c for c in seed.standard_cases() if c.triage != "routine" and _in_period(c)),
        key=lambda c: (-c.intake_at.timestamp(), c.intake_id),
    )
    page = queries.worklist_page(standard_url, WorklistQuery(PERIOD), 1)
    assert page.total == len(follow_up) == 13
    assert page.cases["intake_id"].to_list() == [c.intake_id for c in follow_up]
    assert page.cases["intake_at"][0] == follow_up[0].intake_at
    assert page.cases["triage_reasons"][0].to_list() == list(follow_up[0].reasons)
    assert queries.worklist_page(standard_url, WorklistQuery(PERIOD), 2).cases.is_empty()


def test_the_worklist_pages_through_more_cases_than_a_page(
    migrated_engine: Engine, database_url: str
) -> None:
    start = dt.datetime(2026, 11, 1, 8, tzinfo=dt.UTC)
    cases = [
        seed.Case(
            f"u-{n:03d}",
            "north",
            start + dt.timedelta(hours=n),
            triage="urgent",
            reasons=("fever",),
        )
        for n in range(WORKLIST_PAGE_SIZE + 5)
    ]
    seed.seed_cases(migrated_engine, cases)
    query = WorklistQuery(Filters(dt.date(2026, 11, 1), dt.date(2026, 11, 30)))
    first = queries.worklist_page(database_url, query, 1)
    second = queries.worklist_page(database_url, query, 2)
    assert first.total == second.total == WORKLIST_PAGE_SIZE + 5
    assert first.cases.height == WORKLIST_PAGE_SIZE
    assert second.cases["intake_id"].to_list() == [f"u-{n:03d}" for n in range(4, -1, -1)]
    assert queries.worklist_export(database_url, query).height == WORKLIST_PAGE_SIZE + 5


@pytest.mark.parametrize(
    ("levels", "reason", "expected"),
    [
        pytest.param(("urgent",), None, 8, id="urgent only"),
        pytest.param(("evaluate",), None, 5, id="evaluate only"),
        pytest.param((), "fever", 4, id="fever"),
        pytest.param((), "no_weight_bearing", 3, id="no weight bearing"),
        pytest.param(("evaluate",), "fever", 0, id="evaluate with fever"),
    ],
)
def test_the_worklist_filters_by_triage_level_and_reason(
    standard_url: str,
    levels: tuple[str, ...],
    reason: str | None,
    expected: int,
) -> None:
    page = queries.worklist_page(standard_url, WorklistQuery(PERIOD, levels, reason), 1)
    assert page.total == expected
    assert set(page.cases["triage"]) <= set(levels or ("urgent", "evaluate"))
    if reason:
        assert all(reason in reasons for reasons in page.cases["triage_reasons"].to_list())


def test_the_worklist_follows_the_shared_filters(standard_url: str) -> None:
    band = next(b for b in AGE_BANDS if b[0] == "0-17")
    filters = Filters(PERIOD.start, PERIOD.end, clinics=("north",), age_bands=(band[0],))
    page = queries.worklist_page(standard_url, WorklistQuery(filters), 1)
    expected = [
        c
        for c in seed.standard_cases()
        if c.clinic_id == "north"
        and c.age_years <= band[2]
        and c.triage != "routine"
        and _in_period(c)
    ]
    assert page.total == len(expected) > 0
    assert set(page.cases["clinic_id"]) == {"north"}


def test_quarantine_reasons_are_counted_with_the_latest_examples(
    migrated_engine: Engine, database_url: str
) -> None:
    too_old = {"field": "age_years", "rule": "range", "value": "150"}
    seed.seed_quarantine(
        migrated_engine,
        [
            [too_old],
            [too_old | {"value": "200"}, {"field": "sex", "rule": "allowed", "value": "woman"}],
            [too_old | {"value": "121"}],
            [too_old | {"value": "999"}],
        ],
    )
    reasons = queries.quarantine_reasons(database_url)
    assert reasons.select("field", "rule", "records", "value", "line_number").rows() == [
        ("age_years", "range", 4, "999", 5),
        ("age_years", "range", 4, "121", 4),
        ("age_years", "range", 4, "200", 3),
        ("sex", "allowed", 1, "woman", 3),
    ]


def test_freshness_files_and_runs_describe_the_loads(
    seeded_engine: Engine, database_url: str
) -> None:
    at = dt.datetime(2026, 11, 21, 6, 0, tzinfo=dt.UTC)
    seed.seed_run(seeded_engine, "run-1", "success", at - dt.timedelta(days=1))
    seed.seed_run(seeded_engine, "run-2", "failure", at, detail="landing folder missing")
    runs = queries.recent_runs(database_url)
    assert runs.select("run_id", "status", "detail").row(0) == (
        "run-2",
        "failure",
        "landing folder missing",
    )
    assert runs["finished_at"][0] == at
    freshness = queries.clinic_freshness(database_url, ("east", "north"))
    assert freshness.rows() == [("east", dt.date(2026, 11, 18)), ("north", seed.LATEST_DAY)]
    totals = queries.file_totals(database_url)
    assert totals.select("status", "files", "records_in", "records_loaded").rows() == [
        ("finished", 1, 78, 78)
    ]
    assert queries.recent_files(database_url)["status"].to_list() == ["finished"]


def test_the_rules_version_in_force_comes_first_with_older_ones_after(
    seeded_engine: Engine, database_url: str
) -> None:
    case = seed.Case("late-1", "north", dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC))
    seed.seed_cases(seeded_engine, [case], received_at=dt.datetime(2026, 11, 22, tzinfo=dt.UTC))
    with seeded_engine.begin() as connection:
        connection.execute(
            update(CaseClassification)
            .where(CaseClassification.intake_id == "late-1")
            .values(
                rules_version="rules-test-2", classified_at=dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
            )
        )
    versions = queries.rules_versions(database_url)
    assert versions.select("rules_version", "cases").rows() == [
        ("rules-test-2", 1),
        (seed.RULES_VERSION, 78),
    ]


def test_the_audit_log_pages_newest_first_and_filters_by_event(
    migrated_engine: Engine, database_url: str
) -> None:
    start = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    for n in range(AUDIT_PAGE_SIZE + 3):
        event = "export" if n % 10 == 0 else "sign_in"
        seed.seed_audit(migrated_engine, f"user{n}", event, start + dt.timedelta(minutes=n))
    log, total = queries.audit_log(database_url, (), 1)
    assert total == AUDIT_PAGE_SIZE + 3
    assert log["username"][0] == f"user{AUDIT_PAGE_SIZE + 2}"
    assert log["filters"][0] == '{"from": "2026-01-01"}'
    second, _ = queries.audit_log(database_url, (), 2)
    assert second["username"].to_list() == ["user2", "user1", "user0"]
    exports, exported = queries.audit_log(database_url, ("export",), 1)
    assert exported == 6
    assert set(exports["event"]) == {"export"}


def test_weeks_start_on_monday_on_every_database(
    migrated_engine: Engine, database_url: str
) -> None:
    week = [dt.date(2026, 11, 15) + dt.timedelta(days=n) for n in range(8)]
    seed.seed_cases(
        migrated_engine,
        [
            seed.Case(f"d-{day}", "north", dt.datetime.combine(day, dt.time(12), dt.UTC))
            for day in week
        ],
    )
    for day in week:
        counts = queries.period_counts(database_url, Filters(day, day))
        weeks = counts.filter(pl.col("period") == shaping.CURRENT)["week"].to_list()
        assert weeks == [day - dt.timedelta(days=day.weekday())], day


def test_no_query_loads_rows_per_case(migrated_engine: Engine, database_url: str) -> None:
    """1,000 cases on one day, clinic and profile are one aggregate row, one loaded row."""
    at = dt.datetime(2026, 11, 20, 8, tzinfo=dt.UTC)
    seed.seed_cases(
        migrated_engine,
        [seed.Case(f"c-{n}", "north", at + dt.timedelta(seconds=n)) for n in range(1000)],
    )
    counts = queries.period_counts(database_url, Filters(at.date(), at.date()))
    assert counts.height == 1
    assert counts["cases"][0] == 1000
