"""The red-flag worklist's own vocabulary and shaping: which cases it lists, how a page of
them is shown and exported. Pure; the SQL is in dashboards.queries."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any, Final

import polars as pl

from dashboards import csv_files
from dashboards.filters import Filters, label_of
from pipeline.contract.outputs import Triage

LEVELS: Final = (Triage.URGENT.value, Triage.EVALUATE.value)
"""Triage levels that need follow-up, most urgent first."""

CASE_SCHEMA: Final = pl.Schema(
    {
        "intake_id": pl.String(),
        "patient_ref": pl.String(),
        "clinic_id": pl.String(),
        "intake_at": pl.Datetime("us", "UTC"),
        "triage": pl.String(),
        "triage_reasons": pl.List(pl.String()),
        "mechanism": pl.String(),
    }
)
"""One listed case, as loaded."""

NEEDS_CORRECTION: Final = "urgent: record needs correction"
"""How the worklist names a quarantined record that still shows a red flag."""
NEEDING_CORRECTION_SCHEMA: Final = pl.Schema(
    {
        "quarantined_at": pl.Datetime("us", "UTC"),
        "file": pl.String(),
        "line_number": pl.Int64(),
        "clinic_id": pl.String(),
        "intake_id": pl.String(),
        "red_flags": pl.List(pl.String()),
        "reasons": pl.List(pl.String()),
    }
)
"""One quarantined record with an unresolved red flag, as loaded."""


@dataclass(frozen=True, slots=True)
class WorklistQuery:
    """Which follow-up cases to list: the shared filters, the triage levels (empty: both)
    and one triage reason to require (None: any)."""

    filters: Filters
    levels: tuple[str, ...] = ()
    reason: str | None = None

    @property
    def triage_levels(self) -> tuple[str, ...]:
        """The levels to list: those chosen, else every follow-up level."""
        return tuple(level for level in LEVELS if level in self.levels) or LEVELS

    def as_record(self) -> dict[str, Any]:
        """The query as JSON for the audit record."""
        return self.filters.as_record() | {
            "triage": list(self.triage_levels),
            "reason": self.reason,
        }


def page_count(total: int, page_size: int) -> int:
    """How many pages `total` cases fill (at least one, so an empty list has a page)."""
    return max(1, math.ceil(total / page_size))


def days_since(intake_at: dt.datetime, now: dt.datetime) -> int:
    """Whole days from intake to `now` (0 on the day itself; never negative)."""
    return max(0, (now - intake_at).days)


def shown_cases(cases: pl.DataFrame, now: dt.datetime) -> pl.DataFrame:
    """A page of cases as the worklist shows them, newest first as loaded."""
    return pl.DataFrame(
        {
            "Triage": [label_of(t) for t in cases["triage"]],
            "Reasons": [", ".join(label_of(r) for r in rs) for rs in cases["triage_reasons"]],
            "Clinic": cases["clinic_id"],
            "Intake (UTC)": cases["intake_at"],
            "Days since intake": [days_since(t, now) for t in cases["intake_at"]],
            "Mechanism": [label_of(m) for m in cases["mechanism"]],
            "Intake id": cases["intake_id"],
            "Patient ref": cases["patient_ref"],
        },
        schema={
            "Triage": pl.String,
            "Reasons": pl.String,
            "Clinic": pl.String,
            "Intake (UTC)": pl.Datetime("us", "UTC"),
            "Days since intake": pl.Int64,
            "Mechanism": pl.String,
            "Intake id": pl.String,
            "Patient ref": pl.String,
        },
    )


def export_csv(cases: pl.DataFrame, now: dt.datetime) -> bytes:
    """Cases as a CSV file: contract field names, ISO 8601 times, reasons joined by `;`, text
    that a spreadsheet would run as a formula neutralised (`csv_files.to_csv`)."""
    exported = cases.select(
        "intake_id",
        "patient_ref",
        "clinic_id",
        pl.col("intake_at").dt.strftime("%Y-%m-%dT%H:%M:%SZ").alias("intake_at"),
        pl.Series("days_since_intake", [days_since(t, now) for t in cases["intake_at"]], pl.Int64),
        "triage",
        pl.col("triage_reasons").list.join(";").alias("triage_reasons"),
        "mechanism",
    )
    return csv_files.to_csv(exported)


def shown_corrections(records: pl.DataFrame) -> pl.DataFrame:
    """Quarantined records with an unresolved red flag as the worklist shows them."""
    return pl.DataFrame(
        {
            "Triage": [NEEDS_CORRECTION] * records.height,
            "Red flags": [", ".join(label_of(r) for r in rs) for rs in records["red_flags"]],
            "Clinic": records["clinic_id"],
            "File": records["file"],
            "Line": records["line_number"],
            "Intake id": records["intake_id"],
            "What is wrong": ["; ".join(rs) for rs in records["reasons"]],
            "Quarantined (UTC)": records["quarantined_at"],
        },
        schema={
            "Triage": pl.String,
            "Red flags": pl.String,
            "Clinic": pl.String,
            "File": pl.String,
            "Line": pl.Int64,
            "Intake id": pl.String,
            "What is wrong": pl.String,
            "Quarantined (UTC)": pl.Datetime("us", "UTC"),
        },
    )
