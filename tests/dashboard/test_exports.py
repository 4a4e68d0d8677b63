"""Exports are data a spreadsheet opens safely: no cell is run as a formula (OWASP CSV
injection), numbers are numbers, shares are unrounded, and nothing but plain ASCII marks a
missing value. The worklist export is checked on SQLite and PostgreSQL with ids that start
like formulas, as valid records may."""

from __future__ import annotations

import csv
import datetime as dt
import io

import polars as pl
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine

from dashboards import csv_files, queries, red_flags, shaping
from dashboards.filters import Filters
from tests.dashboard import seed

NOW = dt.datetime(2026, 11, 21, 10, 0, tzinfo=dt.UTC)
cells = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=20)


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode(), newline="")))


@given(st.lists(cells, min_size=1, max_size=8))
def test_no_text_cell_starts_a_formula_and_each_reads_back_as_it_was(values: list[str]) -> None:
    rows = _rows(csv_files.to_csv(pl.DataFrame({"text": values}, schema={"text": pl.String})))
    assert len(rows) == len(values)
    for row, value in zip(rows, values, strict=True):
        cell = row["text"]
        assert not cell.startswith(csv_files.FORMULA_TRIGGERS)
        assert cell == (("'" + value) if value.startswith(csv_files.FORMULA_TRIGGERS) else value)


def test_numbers_stay_numbers_also_negative_ones() -> None:
    frame = pl.DataFrame({"n": [-12, 1143], "share": [100 / 3, None]})
    assert csv_files.to_csv(frame).decode().splitlines() == [
        "n,share",
        "-12,33.333333333333336",
        "1143,",
    ]


def test_the_worklist_export_neutralises_ids_that_start_like_formulas(
    migrated_engine: Engine, database_url: str
) -> None:
    at = dt.datetime.combine(seed.LATEST_DAY, dt.time(9), tzinfo=dt.UTC)
    cases = [
        seed.Case("-1-1", "north", at, triage="urgent", reasons=("fever",)),
        seed.Case("-A1", "-A1", at - dt.timedelta(hours=1), triage="urgent", reasons=("fever",)),
    ]
    seed.seed_cases(migrated_engine, cases)
    query = red_flags.WorklistQuery(Filters(seed.CURRENT_START, seed.LATEST_DAY))
    rows = _rows(red_flags.export_csv(queries.worklist_export(database_url, query), NOW))
    assert [(r["intake_id"], r["clinic_id"]) for r in rows] == [
        ("'-1-1", "north"),
        ("'-A1", "'-A1"),
    ]
    assert rows[0]["days_since_intake"] == "1"


def test_the_clinics_export_writes_numbers_unrounded_shares_and_no_typographic_dash() -> None:
    counts = pl.DataFrame(
        {
            "period": ["current", "current", "previous", "current"],
            "week": [dt.date(2026, 11, 16)] * 4,
            "clinic_id": ["-A1", "-A1", "-A1", "north"],
            "mechanism": ["referred", "compensatory", "referred", "referred"],
            "triage": ["routine", "urgent", "routine", "routine"],
            "cases": [1100, 43, 1000, 5],
        }
    )
    data = csv_files.to_csv(shaping.clinic_export(counts))
    assert data.isascii()
    rows = _rows(data)
    first = rows[0]
    assert first["clinic_id"] == "'-A1"
    assert (first["cases"], first["previous_cases"], first["urgent"]) == ("1143", "1000", "43")
    assert (first["change"], float(first["change_pct"])) == ("143", 14.3)
    assert float(first["referred_share_pct"]) == 100 * 1100 / 1143
    north = rows[1]
    assert (north["cases"], north["change"], north["referred_share_pct"]) == ("<11", "", "")


def test_the_weekly_export_has_plain_counts_and_unrounded_shares() -> None:
    weekly = pl.DataFrame(
        {
            "week": [dt.date(2026, 11, 16)],
            "cases": [1143],
            **{m: [0] for m in ("biomechanical", "mixed", "undetermined")},
            "referred": [1100],
            "compensatory": [43],
            "urgent": [3],
        }
    )
    rows = _rows(csv_files.to_csv(shaping.weekly_export(weekly)))
    assert (rows[0]["cases"], rows[0]["urgent"]) == ("1143", "<11")
    assert float(rows[0]["referred_share_pct"]) == 100 * 1100 / 1143
