"""What the reliability tests compare and check: the pipeline's state in the database.

`snapshot` is everything the pipeline wrote, minus the times it wrote it at and the surrogate
ids a database hands out (files are named by their file name), so that two databases, or one
database before and after a crash, compare equal exactly when they hold the same data.

`assert_consistent` checks what must hold at any moment, even right after a process was
killed: each stage has done a whole day or none of it, counts add up, nothing is orphaned.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import dagster as dg
from sqlalchemy import Engine, func, select

from db.models import (
    CaseClassification,
    CaseVersion,
    DailyCaseCount,
    IngestedFile,
    IntakeCase,
    QuarantinedRecord,
    table_of,
)
from pipeline import run
from pipeline.aggregate.daily_counts import AGE_BANDS
from pipeline.generate import GenerationConfig, OutputFormat, generate
from pipeline.load import landing

FILES = table_of(IngestedFile)
CASES = table_of(IntakeCase)
VERSIONS = table_of(CaseVersion)
CLASSIFICATIONS = table_of(CaseClassification)
COUNTS = table_of(DailyCaseCount)
QUARANTINE = table_of(QuarantinedRecord)

END: Final = dt.date(2026, 11, 20)
DAYS: Final = 3
FIRST: Final = END - dt.timedelta(days=DAYS - 1)
ALL_DAYS: Final = tuple(FIRST + dt.timedelta(days=i) for i in range(DAYS))
INTAKE: Final = Path(sys.executable).parent / "intake"

Snapshot = dict[str, Any]


def seed(out: Path, records: int = 400, seed: int = 8) -> Path:
    """A landing directory: 2 clinics over `DAYS` days, with invalid records, re-sends and
    corrections (which reach back to earlier days)."""
    generate(
        GenerationConfig(
            records=records,
            days=DAYS,
            end_date=END,
            clinics=2,
            seed=seed,
            output_format=OutputFormat.CSV,
            invalid_rate=0.06,
            out_dir=out,
        )
    )
    (out / "ground_truth.csv").unlink()
    return out


def run_in_process(
    landing_dir: Path, database_url: str, first: dt.date = FIRST, last: dt.date = END
) -> dg.ExecuteInProcessResult:
    """One normal pipeline run, in this process, with a throwaway Dagster instance."""
    with dg.instance_for_test() as instance:
        result = run.run_days(
            first, last, landing_dir=landing_dir, database_url=database_url, instance=instance
        )
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    return result


def cli_environment(database_url: str, landing_dir: Path, dagster_home: Path) -> dict[str, str]:
    """The environment an `intake` process runs with: this database, landing and instance."""
    dagster_home.mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "INTAKE_LANDING_DIR": str(landing_dir),
        "DAGSTER_HOME": str(dagster_home),
    }


def start_cli_run(
    env: dict[str, str], first: dt.date = FIRST, last: dt.date = END
) -> subprocess.Popen[str]:
    """Start `intake run` for the days `first` to `last` in its own process."""
    return subprocess.Popen(
        [str(INTAKE), "run", "--from", first.isoformat(), "--to", last.isoformat()],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def snapshot(engine: Engine) -> Snapshot:
    """Everything the pipeline wrote, minus times and surrogate ids."""
    file_name = {row.id: Path(row.source_path).name for row in _rows(engine, select(FILES))}
    files = [
        (
            file_name[r.id],
            r.landing_date,
            r.content_hash,
            r.status,
            r.records_in,
            r.records_loaded,
            r.records_unchanged,
            r.records_corrected,
            r.records_quarantined,
            sorted(r.unknown_columns),
        )
        for r in _rows(engine, select(FILES))
    ]
    versions = [
        (r.intake_id, r.version, r.content_hash, file_name[r.file_id], r.notes)
        for r in _rows(engine, select(VERSIONS))
    ]
    cases = [
        (r.intake_id, r.version, r.content_hash, file_name[r.file_id])
        for r in _rows(
            engine,
            select(CASES, VERSIONS.c.content_hash).join(
                VERSIONS,
                (VERSIONS.c.intake_id == CASES.c.intake_id)
                & (VERSIONS.c.version == CASES.c.version),
            ),
        )
    ]
    classifications = [
        (
            r.intake_id,
            r.case_version,
            r.rules_version,
            r.mechanism,
            list(r.mechanism_evidence),
            r.triage,
            list(r.triage_reasons),
        )
        for r in _rows(engine, select(CLASSIFICATIONS))
    ]
    quarantine = [
        (file_name[r.file_id], r.line_number, r.intake_id, r.raw_record, r.reasons)
        for r in _rows(engine, select(QUARANTINE))
    ]
    counts = [tuple(r) for r in _rows(engine, select(COUNTS))]
    return {
        "files": sorted(files),
        "versions": sorted(versions),
        "cases": sorted(cases),
        "classifications": sorted(classifications),
        "quarantine": sorted(quarantine, key=lambda q: (q[0], q[1])),
        "counts": sorted(counts),
    }


def _rows(engine: Engine, query: Any) -> list[Any]:
    with engine.connect() as connection:
        return list(connection.execute(query))


@dataclass(frozen=True)
class DayState:
    """How far each stage has got with one intake day."""

    status: str | None
    """The status every registered file of the day has (None: none registered)."""
    classified: bool
    """Every case the day's files brought is classified (False: none is)."""


def day_states(engine: Engine, landing_dir: Path) -> dict[dt.date, DayState]:
    """Each day's state; fails if a stage did part of a day (the heart of crash safety)."""
    files = _rows(engine, select(FILES))
    cases = _rows(
        engine,
        select(
            FILES.c.landing_date,
            func.count(CASES.c.intake_id),
            func.count(CLASSIFICATIONS.c.intake_id),
        )
        .select_from(CASES.join(FILES).outerjoin(CLASSIFICATIONS))
        .group_by(FILES.c.landing_date),
    )
    classified = {row[0]: (row[1], row[2]) for row in cases}
    states: dict[dt.date, DayState] = {}
    on_disk_by_day: dict[dt.date, set[str]] = {}
    for path in landing.intake_files(landing_dir):
        day = landing.landing_date_of(path)
        assert day is not None  # intake_files lists only files named with a day
        on_disk_by_day.setdefault(day, set()).add(path.name)
    for day, on_disk in sorted(on_disk_by_day.items()):
        registered = {Path(f.source_path).name for f in files if f.landing_date == day}
        assert registered in (set(), on_disk), f"{day}: only some files registered"
        statuses = {f.status for f in files if f.landing_date == day}
        assert len(statuses) <= 1, f"{day}: files at different stages {statuses}"
        case_count, classified_count = classified.get(day, (0, 0))
        assert classified_count in (0, case_count), f"{day}: only some cases classified"
        states[day] = DayState(
            statuses.pop() if statuses else None, case_count > 0 and classified_count == case_count
        )
    return states


def assert_consistent(
    engine: Engine, landing_dir: Path, *, counts: bool = True
) -> dict[dt.date, DayState]:
    """Everything that must hold at any moment, even right after a crash; returns the days'
    states (see `day_states`). With `counts`, also that the daily counts match the cases:
    true when no run is between a merge and its aggregation (a run from scratch, or a
    finished one), while a later day's merge may be ahead of the counts of earlier days."""
    states = day_states(engine, landing_dir)
    files = {f.id: f for f in _rows(engine, select(FILES))}
    quarantined = Counter(r[0] for r in _rows(engine, select(QUARANTINE.c.file_id)))
    for file_id, file in files.items():
        assert file.status in ("landed", "finished"), f"{file.source_path}: {file.status}"
        if file.status == "landed":
            assert quarantined[file_id] == 0, file.source_path
        else:
            assert quarantined[file_id] == file.records_quarantined, file.source_path
            accounted = (
                file.records_loaded
                + file.records_unchanged
                + file.records_corrected
                + file.records_quarantined
            )
            assert accounted == file.records_in, file.source_path
    version_files = {r[0] for r in _rows(engine, select(VERSIONS.c.file_id).distinct())}
    case_files = {r[0] for r in _rows(engine, select(CASES.c.file_id).distinct())}
    finished = {i for i, f in files.items() if f.status == "finished"}
    assert version_files <= finished, "case versions from a file that is not finished"
    assert case_files <= finished, "cases from a file that is not finished"
    assert_no_duplicates(engine)
    stale = _rows(
        engine,
        select(CLASSIFICATIONS.c.intake_id)
        .select_from(CLASSIFICATIONS.outerjoin(CASES))
        .where(CASES.c.intake_id.is_(None) | (CLASSIFICATIONS.c.case_version != CASES.c.version)),
    )
    assert stale == [], "classifications of no case, or of an older version of it"
    if counts:
        assert_counts_match_cases(engine)
    return states


def assert_no_duplicates(engine: Engine) -> None:
    """No intake id twice among cases or classifications, no version or content twice."""
    for table, key in (
        (CASES, (CASES.c.intake_id,)),
        (CLASSIFICATIONS, (CLASSIFICATIONS.c.intake_id,)),
        (VERSIONS, (VERSIONS.c.intake_id, VERSIONS.c.version)),
        (VERSIONS, (VERSIONS.c.intake_id, VERSIONS.c.content_hash)),
        (FILES, (FILES.c.content_hash,)),
    ):
        twice = _rows(engine, select(*key).group_by(*key).having(func.count() > 1))
        assert twice == [], f"{table.name}: {twice[:5]} more than once"


def expected_counts(engine: Engine) -> Counter[tuple[Any, ...]]:
    """The daily counts worked out here, from cases and classifications, in Python."""
    rows = _rows(
        engine,
        select(
            CASES.c.intake_date,
            CASES.c.clinic_id,
            CLASSIFICATIONS.c.mechanism,
            CLASSIFICATIONS.c.triage,
            CASES.c.knee_injury,
            CASES.c.age_years,
            CASES.c.sex,
        ).select_from(CASES.join(CLASSIFICATIONS)),
    )
    bands = {age: label for label, low, high in AGE_BANDS for age in range(low, high + 1)}
    return Counter((r[0], r[1], r[2], r[3], r[4], bands[r[5]], r[6]) for r in rows)


def assert_counts_match_cases(engine: Engine) -> None:
    """Every intake day the daily counts have is counted exactly as the cases say."""
    expected = expected_counts(engine)
    stored = {tuple(r[:-1]): r[-1] for r in _rows(engine, select(COUNTS))}
    days = {key[0] for key in stored}
    assert stored == {k: v for k, v in expected.items() if k[0] in days}
