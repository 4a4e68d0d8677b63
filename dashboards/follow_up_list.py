"""How the worklist shows follow-up items: triage and reasons in words, how long each has
waited, and when it is due, overdue ones marked. Pure."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any, Final

import polars as pl

from dashboards.filters import label_of
from db.states import AlertSubject, FollowUpState

OVERDUE: Final = "⚠ overdue"
NEEDS_CORRECTION: Final = "Urgent: record needs correction"


def _span(delta: dt.timedelta) -> str:
    hours = int(abs(delta).total_seconds() // 3600)
    return f"{hours} h" if hours < 48 else f"{hours // 24} days"


def due_text(due_at: dt.datetime, state: str, now: dt.datetime) -> str:
    """`⚠ overdue 5 h` for an item not closed past its due time, `in 3 h` before it, and
    nothing for a closed one."""
    if state == FollowUpState.CLOSED:
        return ""
    if due_at < now:
        return f"{OVERDUE} {_span(now - due_at)}"
    return f"in {_span(due_at - now)}"


def overdue_count(items: pl.DataFrame, now: dt.datetime) -> int:
    return items.filter((pl.col("state") != FollowUpState.CLOSED) & (pl.col("due_at") < now)).height


def _triage(row: dict[str, object]) -> str:
    if row["subject"] == AlertSubject.CORRECTION:
        return NEEDS_CORRECTION
    level, now_level = str(row["level"]), row["triage_now"]
    if now_level and now_level != level:  # a correction lowered it: shown, the item stays
        return f"{label_of(level)} (now {label_of(str(now_level))})"
    return label_of(level)


def shown_items(items: pl.DataFrame, now: dt.datetime) -> pl.DataFrame:
    """A page of items as the worklist shows them, in the order loaded."""
    rows = list(items.iter_rows(named=True))
    return pl.DataFrame(
        {
            "Due": [due_text(r["due_at"], r["state"], now) for r in rows],
            "Triage": [_triage(r) for r in rows],
            "Reasons": [
                ", ".join(label_of(x) for x in (r["red_flags"] or r["triage_reasons"] or []))
                for r in rows
            ],
            "State": [
                label_of(r["state"]) + (f": {label_of(r['outcome'])}" if r["outcome"] else "")
                for r in rows
            ],
            "Clinic": [r["clinic_id"] for r in rows],
            "Intake id": [r["intake_id"] for r in rows],
            "Patient ref": [r["patient_ref"] for r in rows],
            "Landed (UTC)": [r["landed_at"] for r in rows],
            "Last change": [f"{r['changed_by']}, {r['changed_at']:%Y-%m-%d %H:%M}" for r in rows],
        },
        schema={
            "Due": pl.String,
            "Triage": pl.String,
            "Reasons": pl.String,
            "State": pl.String,
            "Clinic": pl.String,
            "Intake id": pl.String,
            "Patient ref": pl.String,
            "Landed (UTC)": pl.Datetime("us", "UTC"),
            "Last change": pl.String,
        },
    )


def listing_key(listed: list[dict[str, Any]]) -> str:
    """A short fingerprint of which items a table lists, in order (not their versions)."""
    ids = ",".join(str(item["item_id"]) for item in listed)
    return hashlib.sha256(ids.encode()).hexdigest()[:16]
