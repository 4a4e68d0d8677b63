"""Pure functions that turn loaded counts (`queries.period_counts`: one row per period, week,
[clinic,] mechanism and triage) into what the pages show. No Streamlit, no SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

import polars as pl

from dashboards.small_cells import (
    NOT_SHOWN,
    SUPPRESSED,
    change_text,
    count_text,
    is_small,
    share,
)
from pipeline.contract.outputs import MECHANISMS, Mechanism, Triage

CURRENT: Final = "current"
PREVIOUS: Final = "previous"
HEADLINE_MECHANISMS: Final = (Mechanism.REFERRED.value, Mechanism.COMPENSATORY.value)
"""The two mechanisms the dashboard puts side by side."""


def periods_and_weeks(
    daily: pl.DataFrame, start: dt.date, *, by: Sequence[str] = ()
) -> pl.DataFrame:
    """Daily counts (intake_date, [by,] mechanism, triage, cases) summed per period (the
    current one from `start` on, the previous one before it) and week (its Monday)."""
    keys = ["period", "week", *by, "mechanism", "triage"]
    return (
        daily.with_columns(
            pl.when(pl.col("intake_date") >= start)
            .then(pl.lit(CURRENT))
            .otherwise(pl.lit(PREVIOUS))
            .alias("period"),
            pl.col("intake_date").dt.truncate("1w").alias("week"),
        )
        .group_by(keys)
        .agg(pl.col("cases").sum())
        .select(*keys, pl.col("cases").cast(pl.Int64))
        .sort(keys)
    )


def months(daily: pl.DataFrame) -> pl.DataFrame:
    """Daily counts (intake_date, clinic_id, mechanism, triage, cases) summed per calendar
    month (its first day), clinic, mechanism and triage."""
    keys = ["month", "clinic_id", "mechanism", "triage"]
    return (
        daily.with_columns(pl.col("intake_date").dt.truncate("1mo").alias("month"))
        .group_by(keys)
        .agg(pl.col("cases").sum().cast(pl.Int64))
        .sort(keys)
    )


def month_bounds(latest: dt.date) -> tuple[dt.date, dt.date]:
    """The first day of the month of `latest` and of the month before it."""
    this_month = latest.replace(day=1)
    return this_month, (this_month - dt.timedelta(days=1)).replace(day=1)


def month_comparison(monthly: pl.DataFrame, this_month: dt.date, *, exact: bool) -> pl.DataFrame:
    """Per clinic: cases this month and last month, the change, and the referred and
    compensatory shares of each month. Small cells follow the rule unless `exact`."""
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)

    def in_month(month: dt.date, mechanism: str | None = None) -> pl.Expr:
        condition = pl.col("month") == month
        if mechanism is not None:
            condition &= pl.col("mechanism") == mechanism
        return pl.col("cases").filter(condition).sum()

    per_clinic = (
        monthly.group_by("clinic_id")
        .agg(
            in_month(this_month).alias("this"),
            in_month(last_month).alias("last"),
            *(in_month(this_month, m).alias(f"this_{m}") for m in HEADLINE_MECHANISMS),
            *(in_month(last_month, m).alias(f"last_{m}") for m in HEADLINE_MECHANISMS),
        )
        .sort("clinic_id")
    )
    rows = list(per_clinic.iter_rows(named=True))
    columns: dict[str, list[object]] = {
        "Clinic": [r["clinic_id"] for r in rows],
        "This month": list(shown_counts((r["this"] for r in rows), exact=exact)),
        "Last month": [
            None if r["last"] == 0 else shown_counts([r["last"]], exact=exact)[0] for r in rows
        ],
        "Change": [change_text(r["this"], r["last"], exact=exact) or NOT_SHOWN for r in rows],
    }
    for mechanism in HEADLINE_MECHANISMS:
        for month, label in (("this", "this month"), ("last", "last month")):
            columns[f"{mechanism.capitalize()} (%) {label}"] = [
                share(r[f"{month}_{mechanism}"], r[month], exact=exact) for r in rows
            ]
    schema = {
        name: pl.String
        if name in ("Clinic", "Change")
        else pl.Float64
        if "(%)" in name
        else _count_dtype(exact)
        for name in columns
    }
    return pl.DataFrame(columns, schema=schema)


@dataclass(frozen=True, slots=True)
class PeriodTotals:
    """All cases and urgent cases in the chosen period and in the one before it."""

    cases: int
    previous_cases: int
    urgent: int
    previous_urgent: int


def period_totals(counts: pl.DataFrame) -> PeriodTotals:
    """Cases and urgent cases per period."""

    def total(period: str, *, urgent_only: bool) -> int:
        rows = counts.filter(pl.col("period") == period)
        if urgent_only:
            rows = rows.filter(pl.col("triage") == Triage.URGENT.value)
        return int(rows["cases"].sum())

    return PeriodTotals(
        cases=total(CURRENT, urgent_only=False),
        previous_cases=total(PREVIOUS, urgent_only=False),
        urgent=total(CURRENT, urgent_only=True),
        previous_urgent=total(PREVIOUS, urgent_only=True),
    )


def mechanism_counts(counts: pl.DataFrame) -> dict[str, int]:
    """Cases of each of the five mechanisms in the chosen period, in the contract's order,
    zero where there are none."""
    current = counts.filter(pl.col("period") == CURRENT)
    found = dict(current.group_by("mechanism").agg(pl.col("cases").sum()).iter_rows())
    return {mechanism: int(found.get(mechanism, 0)) for mechanism in MECHANISMS}


def weekly_counts(counts: pl.DataFrame, by: Iterable[str] = ()) -> pl.DataFrame:
    """One row per week of the chosen period (and per `by` column): all cases, the cases of
    each mechanism and the urgent ones."""
    keys = ["week", *by]
    current = counts.filter(pl.col("period") == CURRENT)
    return (
        current.group_by(keys)
        .agg(
            pl.col("cases").sum().alias("cases"),
            *(pl.col("cases").filter(pl.col("mechanism") == m).sum().alias(m) for m in MECHANISMS),
            pl.col("cases").filter(pl.col("triage") == Triage.URGENT.value).sum().alias("urgent"),
        )
        .sort(keys)
    )


def weekly_shares(weekly: pl.DataFrame, *, exact: bool, by: Iterable[str] = ()) -> pl.DataFrame:
    """Long format for a chart: per week (and `by`), the share (%) of all cases that were
    referred and that were compensatory. A share resting on a small cell is left out unless
    `exact`."""
    keys = ["week", *by]
    rows = [
        (*(row[k] for k in keys), mechanism, share(row[mechanism], row["cases"], exact=exact))
        for row in weekly.iter_rows(named=True)
        for mechanism in HEADLINE_MECHANISMS
    ]
    schema = {
        **{k: weekly.schema[k] for k in keys},
        "mechanism": pl.String(),
        "share": pl.Float64(),
    }
    return pl.DataFrame(rows, schema=schema, orient="row").drop_nulls("share")


def with_week_coverage(shares: pl.DataFrame, start: dt.date, end: dt.date) -> pl.DataFrame:
    """`shares` with `days`: how many of each week's seven days lie in the period `start` to
    `end` (fewer than 7 for a partial first or last week)."""
    days = [
        (min(week + dt.timedelta(days=6), end) - max(week, start)).days + 1
        for week in shares["week"].to_list()
    ]
    return shares.with_columns(pl.Series("days", days, dtype=pl.Int64))


def mechanism_table(by_mechanism: dict[str, int], *, exact: bool) -> pl.DataFrame:
    """The five mechanisms with their cases and share of all cases in the period."""
    whole = sum(by_mechanism.values())
    return pl.DataFrame(
        {
            "Mechanism": [m.capitalize() for m in by_mechanism],
            "Cases": shown_counts(by_mechanism.values(), exact=exact),
            "Share (%)": [share(n, whole, exact=exact) for n in by_mechanism.values()],
        },
        schema={"Mechanism": pl.String, "Cases": _count_dtype(exact), "Share (%)": pl.Float64},
    )


def clinic_table(counts: pl.DataFrame, *, exact: bool) -> pl.DataFrame:
    """One row per clinic: cases, urgent cases, change against the previous period, the
    referred and compensatory shares and the cases of each mechanism."""
    rows = list(_per_clinic(counts).iter_rows(named=True))
    columns: dict[str, list[object]] = {
        "Clinic": [r["clinic_id"] for r in rows],
        "Cases": list(shown_counts((r["cases"] for r in rows), exact=exact)),
        # No cases earlier: nothing to show, not a zero that looks like a trend.
        "Previous period": [
            None if r["previous"] == 0 else shown_counts([r["previous"]], exact=exact)[0]
            for r in rows
        ],
        "Change": [change_text(r["cases"], r["previous"], exact=exact) or NOT_SHOWN for r in rows],
        "Urgent": list(shown_counts((r["urgent"] for r in rows), exact=exact)),
    }
    for mechanism in HEADLINE_MECHANISMS:
        columns[f"{mechanism.capitalize()} (%)"] = [
            share(r[mechanism], r["cases"], exact=exact) for r in rows
        ]
    for mechanism in MECHANISMS:
        columns[mechanism.capitalize()] = list(
            shown_counts((r[mechanism] for r in rows), exact=exact)
        )
    schema = {
        name: pl.String
        if name in ("Clinic", "Change")
        else pl.Float64
        if name.endswith("(%)")
        else _count_dtype(exact)
        for name in columns
    }
    return pl.DataFrame(columns, schema=schema)


def weekly_export(weekly: pl.DataFrame, by: Iterable[str] = ()) -> pl.DataFrame:
    """The weekly counts as an aggregate export: plain numbers, every count 1-10 written as
    "<11" and the shares (unrounded, in %) resting on one left empty, whoever exports."""
    keys = ["week", *by]
    count_columns = ["cases", *MECHANISMS, "urgent"]
    exported = weekly.select(
        *keys,
        *(pl.Series(c, exported_counts(weekly[c].to_list()), pl.String) for c in count_columns),
    )
    shares = {
        f"{m}_share_pct": [
            share(r[m], r["cases"], exact=False) for r in weekly.iter_rows(named=True)
        ]
        for m in HEADLINE_MECHANISMS
    }
    return exported.with_columns(
        pl.Series(name, values, pl.Float64) for name, values in shares.items()
    )


def clinic_export(counts: pl.DataFrame) -> pl.DataFrame:
    """The clinics table as an aggregate export, data rather than text: per clinic the cases
    now and in the previous period, the change (empty where a small cell would show through
    or there is no earlier data), urgent cases, the referred and compensatory shares
    (unrounded, in %) and the cases of each mechanism; counts 1-10 written as "<11"."""
    rows = list(_per_clinic(counts).iter_rows(named=True))
    changes = [_exported_change(r["cases"], r["previous"]) for r in rows]
    columns: dict[str, pl.Series] = {
        "clinic_id": pl.Series([r["clinic_id"] for r in rows], dtype=pl.String),
        "cases": pl.Series(exported_counts(r["cases"] for r in rows), dtype=pl.String),
        "previous_cases": pl.Series(exported_counts(r["previous"] for r in rows), dtype=pl.String),
        "change": pl.Series([c[0] for c in changes], dtype=pl.Int64),
        "change_pct": pl.Series([c[1] for c in changes], dtype=pl.Float64),
        "urgent": pl.Series(exported_counts(r["urgent"] for r in rows), dtype=pl.String),
    }
    for mechanism in HEADLINE_MECHANISMS:
        columns[f"{mechanism}_share_pct"] = pl.Series(
            [share(r[mechanism], r["cases"], exact=False) for r in rows], dtype=pl.Float64
        )
    for mechanism in MECHANISMS:
        columns[mechanism] = pl.Series(exported_counts(r[mechanism] for r in rows), dtype=pl.String)
    return pl.DataFrame(columns)


def exported_counts(counts: Iterable[int]) -> list[str]:
    """Counts for a file: the number without separators, "<11" for a small cell."""
    return [SUPPRESSED if is_small(int(n)) else str(int(n)) for n in counts]


def _exported_change(current: int, previous: int) -> tuple[int | None, float | None]:
    """The change and the change in % for a file; none where `change_text` would show
    none, or with nothing to compare with."""
    if previous == 0 or change_text(current, previous, exact=False) is None:
        return None, None
    return current - previous, 100.0 * (current - previous) / previous


def shown_counts(counts: Iterable[int], *, exact: bool) -> list[int] | list[str]:
    """Counts as a table column: the numbers themselves when exact, else the small-cell
    rule's text ("<11" for 1-10, the number with thousands separators otherwise)."""
    if exact:
        return [int(n) for n in counts]
    return [count_text(int(n), exact=False) for n in counts]


def _count_dtype(exact: bool) -> type[pl.DataType]:
    return pl.Int64 if exact else pl.String


def _per_clinic(counts: pl.DataFrame) -> pl.DataFrame:
    """Per clinic: cases now and before, urgent cases, and the cases of each mechanism."""
    return (
        counts.group_by("clinic_id")
        .agg(
            _total(pl.col("period") == CURRENT).alias("cases"),
            _total(pl.col("period") == PREVIOUS).alias("previous"),
            _total((pl.col("period") == CURRENT) & (pl.col("triage") == Triage.URGENT.value)).alias(
                "urgent"
            ),
            *(
                _total((pl.col("period") == CURRENT) & (pl.col("mechanism") == m)).alias(m)
                for m in MECHANISMS
            ),
        )
        .sort("clinic_id")
    )


def _total(condition: pl.Expr) -> pl.Expr:
    return pl.col("cases").filter(condition).sum()
