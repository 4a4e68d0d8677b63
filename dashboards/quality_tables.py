"""Pure shaping for the data-quality page: freshness per clinic, quarantine reasons with
examples. No Streamlit, no SQL."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Final

import polars as pl

STALE_AFTER_DAYS: Final = 3
"""A clinic whose newest case is more than this many days older than the newest of any
clinic is flagged: it may have stopped sending."""
EXAMPLE_VALUE_MAX: Final = 40
"""Characters of an offending value shown as an example (free text can be long)."""


def freshness_table(freshness: pl.DataFrame) -> pl.DataFrame:
    """Per clinic: the last intake day loaded and how many days it lies behind the newest
    clinic's, stalest first."""
    if freshness.is_empty():
        return pl.DataFrame(
            schema={"Clinic": pl.String, "Last intake day": pl.Date, "Days behind": pl.Int64}
        )
    newest = freshness["last_intake_date"].max()
    return (
        freshness.select(
            pl.col("clinic_id").alias("Clinic"),
            pl.col("last_intake_date").alias("Last intake day"),
            (pl.lit(newest) - pl.col("last_intake_date")).dt.total_days().alias("Days behind"),
        )
        .with_columns(pl.col("Days behind").cast(pl.Int64))
        .sort(["Days behind", "Clinic"], descending=[True, False])
    )


def stale_clinics(table: pl.DataFrame) -> list[str]:
    """Clinics more than STALE_AFTER_DAYS behind."""
    return table.filter(pl.col("Days behind") > STALE_AFTER_DAYS)["Clinic"].to_list()


def quarantine_table(reasons: pl.DataFrame, *, show_values: bool) -> pl.DataFrame:
    """One row per reason (field and rule): how many records, and a few examples, each the
    offending value (when `show_values`) and where it was (file and line)."""
    schema = {"Field": pl.String, "Rule": pl.String, "Records": pl.Int64, "Examples": pl.String}
    if reasons.is_empty():
        return pl.DataFrame(schema=schema)
    rows = []
    for (field, rule), group in reasons.group_by(["field", "rule"], maintain_order=True):
        examples = [
            _example(r["value"], r["source_path"], r["line_number"], show_values=show_values)
            for r in group.sort("example").iter_rows(named=True)
        ]
        rows.append((field, rule, int(group["records"][0]), "; ".join(examples)))
    return pl.DataFrame(rows, schema=schema, orient="row")


def _example(value: str | None, source_path: str, line: int, *, show_values: bool) -> str:
    where = f"{PurePosixPath(source_path).name} line {line}"
    if not show_values:
        return where
    shown = "(empty)" if value is None else value
    if len(shown) > EXAMPLE_VALUE_MAX:
        shown = shown[: EXAMPLE_VALUE_MAX - 1] + "…"
    return f"{shown!r} at {where}"
