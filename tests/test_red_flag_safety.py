"""No urgent patient is lost to a time zone or a quarantine (issue 12, the contract's "date of
intake" and "A red flag survives quarantine"), through the real pipeline on both databases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
from sqlalchemy import Engine, select

from db.models import CaseClassification, DailyCaseCount, IntakeCase, QuarantinedRecord, table_of
from db.needs_correction import unresolved
from pipeline import run
from tests.files import csv, line

DAY = dt.date(2026, 3, 22)
QUARANTINE = table_of(QuarantinedRecord)
CASES = table_of(IntakeCase)
CLASSIFICATIONS = table_of(CaseClassification)
COUNTS = table_of(DailyCaseCount)


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    with dg.instance_for_test() as test_instance:
        yield test_instance


def _send(landing: Path, day: dt.date, *lines: str) -> None:
    landing.mkdir(exist_ok=True)
    (landing / f"intake_C1_{day.isoformat()}.csv").write_bytes(csv(*lines))


def _run(landing: Path, url: str, instance: dg.DagsterInstance, day: dt.date = DAY) -> None:
    result = run.run_days(day, day, landing_dir=landing, database_url=url, instance=instance)
    assert result.success


def _open_red_flags(engine: Engine) -> list[tuple[str | None, str | None, list[str]]]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(QUARANTINE.c.intake_id, QUARANTINE.c.clinic_id, QUARANTINE.c.red_flags)
            .where(unresolved())
            .order_by(QUARANTINE.c.line_number)
        ).all()
    return [(r.intake_id, r.clinic_id, list(r.red_flags)) for r in rows]


def test_an_urgent_patient_east_of_utc_is_a_case_counted_on_the_written_day(
    migrated_engine: Engine, tmp_path: Path, instance: dg.DagsterInstance
) -> None:
    landing = tmp_path / "landing"
    _send(
        landing,
        DAY,
        line(
            intake_id="EAST",
            intake_at="2026-03-22T01:00:00+02:00",  # 23:00 UTC on the 21st
            injury_date="2026-03-20",
            hip_pain_onset_date="2026-03-22",
            pain_trend="rapidly_worsening",
        ),
    )
    _run(landing, str(migrated_engine.url.render_as_string(hide_password=False)), instance)
    with migrated_engine.connect() as connection:
        case = connection.execute(
            select(CASES.c.intake_date, CLASSIFICATIONS.c.triage).join(CLASSIFICATIONS)
        ).one()
        counted = connection.execute(select(COUNTS.c.intake_date, COUNTS.c.triage)).all()
    assert (case.intake_date, case.triage) == (DAY, "urgent")
    assert [(r.intake_date, r.triage) for r in counted] == [(DAY, "urgent")]


def test_a_quarantined_red_flag_stays_open_until_a_valid_record_with_its_id_arrives(
    migrated_engine: Engine, tmp_path: Path, instance: dg.DagsterInstance
) -> None:
    url = migrated_engine.url.render_as_string(hide_password=False)
    landing = tmp_path / "landing"
    dates = {"injury_date": "2026-03-01", "hip_pain_onset_date": "2026-03-05"}
    at = {"intake_at": "2026-03-22T09:00:00Z"}
    _send(
        landing,
        DAY,
        line(intake_id="FEVER", clinic_id="C1", temperature_c="38,5", **dates, **at),
        line(intake_id="NOTES", clinic_id=" C1 ", notes="x" * 2001, weight_bearing="none", **at),
        line(intake_id="QUIET", sex="x", **dates, **at),  # invalid, no red flag
    )
    _run(landing, url, instance)
    assert _open_red_flags(migrated_engine) == [
        ("FEVER", "C1", ["fever"]),
        ("NOTES", "C1", ["no_weight_bearing"]),
    ]

    later = DAY + dt.timedelta(days=1)
    _send(
        landing,
        later,
        line(intake_id="FEVER", temperature_c="38.5", intake_at="2026-03-23T09:00:00Z", **dates),
    )
    _run(landing, url, instance, later)
    assert _open_red_flags(migrated_engine) == [("NOTES", "C1", ["no_weight_bearing"])]
    with migrated_engine.connect() as connection:
        triage = connection.execute(
            select(CLASSIFICATIONS.c.triage).where(CLASSIFICATIONS.c.intake_id == "FEVER")
        ).scalar_one()
    assert triage == "urgent"
