"""No urgent patient is lost to a time zone or a quarantine (issue 12, the contract's "date of
intake" and "A red flag survives quarantine"), through the real pipeline on both databases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import polars as pl
import pytest
from sqlalchemy import Engine, delete, func, insert, select, update

from db.models import (
    CaseClassification,
    CaseVersion,
    DailyCaseCount,
    IngestedFile,
    IntakeCase,
    QuarantinedRecord,
    table_of,
)
from db.needs_correction import unresolved
from pipeline import run
from pipeline.aggregate import daily_counts
from pipeline.contract.fields import FIELD_NAMES
from pipeline.contract.schema import RECORD_SCHEMA
from pipeline.load.bulk import read_frame
from pipeline.load.rerun import rerun_files
from pipeline.validate.content_hash import content_hash
from tests.files import csv, line

DAY = dt.date(2026, 3, 22)
QUARANTINE = table_of(QuarantinedRecord)
CASES = table_of(IntakeCase)
CLASSIFICATIONS = table_of(CaseClassification)
COUNTS = table_of(DailyCaseCount)
VERSIONS = table_of(CaseVersion)
FILES = table_of(IngestedFile)
DATES = {"injury_date": "2026-03-01", "hip_pain_onset_date": "2026-03-05"}


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
    dates = DATES
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


def _as_before_the_written_date(engine: Engine, file_id: int) -> None:
    """Put the database in the state the UTC-date rule left it in: EAST dated by its UTC date
    (with the content hash of that time) and classified routine; ONSET quarantined for an
    onset "after" intake, without red flags (no such columns then)."""
    old_hash = _utc_dated_hash_of(engine, "EAST")
    with engine.begin() as connection:
        connection.execute(
            update(VERSIONS)
            .where(VERSIONS.c.intake_id == "EAST")
            .values(intake_date=DAY - dt.timedelta(days=1), content_hash=old_hash)
        )
        connection.execute(
            update(CASES)
            .where(CASES.c.intake_id == "EAST")
            .values(intake_date=DAY - dt.timedelta(days=1))
        )
        connection.execute(
            update(CLASSIFICATIONS)
            .where(CLASSIFICATIONS.c.intake_id == "EAST")
            .values(triage="routine", triage_reasons=[])
        )
        connection.execute(delete(CLASSIFICATIONS).where(CLASSIFICATIONS.c.intake_id == "ONSET"))
        connection.execute(delete(CASES).where(CASES.c.intake_id == "ONSET"))
        connection.execute(delete(VERSIONS).where(VERSIONS.c.intake_id == "ONSET"))
        reason = {"field": "hip_pain_onset_date", "rule": "not_after_intake", "value": "2026-03-22"}
        connection.execute(
            insert(QUARANTINE).values(
                file_id=file_id,
                line_number=3,
                intake_id="ONSET",
                raw_record="(as received)",
                reasons=[reason],
                quarantined_at=dt.datetime(2026, 3, 22, 6, tzinfo=dt.UTC),
            )
        )
        connection.execute(
            update(FILES).values(records_loaded=FILES.c.records_loaded - 1, records_quarantined=1)
        )
        daily_counts.refresh(connection, None)


def _utc_dated_hash_of(engine: Engine, intake_id: str) -> str:
    with engine.connect() as connection:
        stored = read_frame(
            connection,
            select(*(VERSIONS.c[name] for name in FIELD_NAMES)).where(
                VERSIONS.c.intake_id == intake_id
            ),
            RECORD_SCHEMA,
        )
    columns = {name: pl.col(name) for name in FIELD_NAMES}
    old = content_hash(columns | {"intake_date": pl.col("intake_at").dt.date()})
    return str(stored.select(old).item())


def test_rerunning_a_file_gives_its_cases_the_written_day_and_loads_what_the_utc_date_refused(
    migrated_engine: Engine, tmp_path: Path, instance: dg.DagsterInstance
) -> None:
    url = migrated_engine.url.render_as_string(hide_password=False)
    landing = tmp_path / "landing"
    east = {"intake_at": "2026-03-22T01:00:00+02:00", "injury_date": "2026-02-20"}
    _send(
        landing,
        DAY,
        # 21 days of pain by the clinic's day (evaluate), 20 by the UTC date (routine)
        line(intake_id="EAST", hip_pain_onset_date="2026-03-01", rest_tried="true", **east),
        line(intake_id="ONSET", hip_pain_onset_date="2026-03-22", weight_bearing="none", **east),
        line(intake_id="PLAIN", intake_at="2026-03-22T09:00:00Z", **DATES),
    )
    _run(landing, url, instance)
    with migrated_engine.connect() as connection:
        file_id = connection.execute(select(FILES.c.id)).scalar_one()
    _as_before_the_written_date(migrated_engine, file_id)
    assert _counted(migrated_engine) == {
        (DAY - dt.timedelta(days=1), "routine"): 1,
        (DAY, "routine"): 1,
    }

    (reopened,) = rerun_files(migrated_engine, sorted(landing.iterdir()), dt.datetime.now(dt.UTC))
    assert (reopened.redated.versions, reopened.redated.days) == (1, (DAY - dt.timedelta(days=1),))
    _run(landing, url, instance)

    assert _counted(migrated_engine) == {
        (DAY, "evaluate"): 1,
        (DAY, "urgent"): 1,
        (DAY, "routine"): 1,
    }
    with migrated_engine.connect() as connection:
        versions = connection.execute(
            select(VERSIONS.c.intake_id, VERSIONS.c.version, VERSIONS.c.intake_date).order_by(
                VERSIONS.c.intake_id
            )
        ).all()
        file = connection.execute(select(FILES)).one()
        quarantined = connection.execute(select(func.count()).select_from(QUARANTINE)).scalar()
    assert [tuple(v) for v in versions] == [("EAST", 1, DAY), ("ONSET", 1, DAY), ("PLAIN", 1, DAY)]
    assert (file.status, file.records_in, file.records_loaded) == ("finished", 3, 3)
    assert (file.records_unchanged, file.records_corrected, file.records_quarantined) == (0, 0, 0)
    assert quarantined == 0


def _counted(engine: Engine) -> dict[tuple[dt.date, str], int]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(COUNTS.c.intake_date, COUNTS.c.triage, func.sum(COUNTS.c.cases)).group_by(
                COUNTS.c.intake_date, COUNTS.c.triage
            )
        ).all()
    return {(r[0], r[1]): int(r[2]) for r in rows}
