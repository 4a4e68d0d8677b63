"""The pipeline's stages, each timed on its own over every intake day (what the Dagster assets
do, one transaction per day and stage), and the whole pipeline through Dagster."""

from __future__ import annotations

import datetime as dt
import os
import warnings
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from sqlalchemy import delete, func, select, update

from benchmarks.intake_bench.results import Stopwatch
from db.engine import make_engine
from db.models import CaseClassification, IngestedFile, IntakeCase, table_of
from pipeline.aggregate import daily_counts
from pipeline.classify import classify
from pipeline.classify.versions import RULE_SETS
from pipeline.load import classifications, files, landing
from pipeline.load import day as day_load
from pipeline.rules_change import in_force, reports
from pipeline.validate import read_intake_file, validate, validate_file
from pipeline.validate.file import with_malformed

FILES = table_of(IngestedFile)


@dataclass(frozen=True, slots=True)
class TaskSpec:
    """What a worker needs: where the files are, which database, a scratch directory, the
    database the pipeline filled (for the references) and the naive approach's slice."""

    landing_dir: str
    database_url: str
    work_dir: str
    source_url: str = ""
    naive_rows: int = 0


@dataclass(frozen=True, slots=True)
class Timed:
    """A task's timed seconds and the rows they handled."""

    seconds: float
    rows: int
    detail: str = ""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _paths(spec: TaskSpec) -> list[Path]:
    return landing.intake_files(Path(spec.landing_dir))


def _days(spec: TaskSpec) -> list[dt.date]:
    return sorted({d for p in _paths(spec) if (d := landing.landing_date_of(p))})


def read_files(spec: TaskSpec) -> Timed:
    """Read every intake file into records (text), as validation receives them."""
    watch, rows = Stopwatch(), 0
    for path in _paths(spec):
        with watch.timed():
            batch = read_intake_file(path)
        rows += batch.records_in
    return Timed(watch.seconds, rows)


def validate_and_classify(spec: TaskSpec) -> Timed:
    """Validate every file's records and classify the valid ones, in memory (reading the
    files is not timed: that is the read stage)."""
    watch, rows = Stopwatch(), 0
    now = _now()
    for path in _paths(spec):
        batch = read_intake_file(path)
        with watch.timed():
            validated = validate(batch.records, now)
            with_malformed(validated.quarantine, batch)
            classify(validated.valid)
        rows += batch.records_in
    return Timed(watch.seconds, rows)


def load(spec: TaskSpec) -> Timed:
    """Register every day's files, then load them, one transaction per day and step, as the
    landed_files and load assets do: versions, cases, their classification in memory and the
    quarantine (reading and validating the files is not timed: that is the stage above)."""
    engine = make_engine(spec.database_url)
    watch, valid = Stopwatch(), 0
    for day in _days(spec):
        with watch.timed(), engine.begin() as connection:
            new = files.register(
                connection, landing.files_for_day(Path(spec.landing_dir), day), _now()
            ).new
        validated = []
        for file in new:
            result, batch = validate_file(file.path, _now())
            validated.append(day_load.ValidatedFile(file.id, result, batch))
            valid += result.valid.height
        with watch.timed(), engine.begin() as connection:
            version = in_force.version_for_new_cases(connection, _now())
            day_load.load_day(connection, validated, _now(), rules_version=version)
        del validated
    engine.dispose()
    return Timed(watch.seconds, valid, "valid records loaded and classified")


def classify_in_database(spec: TaskSpec) -> Timed:
    """Classify every loaded case again from the database, day by day, as the reclassify job
    does for a new rule set (the load classifies in memory; this reads the cases back)."""
    engine = make_engine(spec.database_url)
    with engine.begin() as connection:  # untimed: the classifications the load wrote go
        connection.execute(delete(table_of(CaseClassification)))
        connection.execute(update(FILES).values(classified_at=None))
    watch, classified = Stopwatch(), 0
    with watch.timed():
        for day in _days(spec):
            with engine.begin() as connection:
                pending = files.files_to_classify(connection, day)
                version = in_force.version_for_new_cases(connection, _now())
                classified += classifications.classify_cases(
                    connection, partial(classify, rules_version=version), version, _now(), pending
                )
                files.mark_classified(connection, pending, _now())
    engine.dispose()
    return Timed(watch.seconds, classified, "cases classified")


def impact_report(spec: TaskSpec) -> Timed:
    """Make and store the impact report of a rule set other than the one in force over every
    classified case, as `intake rules impact` does (the oldest version this code has, so cases
    really change: the work does not depend on which two versions are compared)."""
    engine = make_engine(spec.database_url)
    candidate = next(iter(RULE_SETS))
    watch = Stopwatch()
    with watch.timed():
        report = reports.make_report(engine, _now(), candidate=candidate)
    engine.dispose()
    detail = (
        f"cases compared ({report.in_force_version} -> {candidate}: "
        f"{report.mechanism_changes:,} change mechanism)"
    )
    return Timed(watch.seconds, report.cases, detail)


def aggregate(spec: TaskSpec) -> Timed:
    """Refresh the daily counts of every day the loads touched, as daily_case_counts does."""
    engine = make_engine(spec.database_url)
    days = _days(spec)
    watch = Stopwatch()
    with watch.timed(), engine.begin() as connection:
        pending = files.files_to_count(connection, days)
        daily_counts.refresh(connection, daily_counts.touched_days(pending))
        files.mark_counted(connection, pending, _now())
    with engine.connect() as connection:
        cases = int(
            connection.execute(select(func.count()).select_from(table_of(IntakeCase))).scalar_one()
        )
    engine.dispose()
    return Timed(watch.seconds, cases, "cases counted")


def whole_pipeline(spec: TaskSpec) -> Timed:
    """Run the ingestion job through Dagster, in-process, over every day of the landing
    directory, recording runs in a Dagster instance in the work directory."""
    import dagster as dg

    warnings.filterwarnings("ignore", category=dg.BetaWarning)
    os.environ["DAGSTER_HOME"] = str(Path(spec.work_dir) / "dagster")
    from pipeline import run

    days = _days(spec)
    watch = Stopwatch()
    instance = run.dagster_instance()
    with watch.timed():
        result = run.run_days(
            days[0],
            days[-1],
            landing_dir=Path(spec.landing_dir),
            database_url=spec.database_url,
            instance=instance,
        )
    if not result.success:
        failures = [e.message for e in result.all_events if e.is_failure]
        raise RuntimeError(f"the pipeline run failed: {failures[:1]}")
    engine = make_engine(spec.database_url)
    with engine.connect() as connection:
        records_in = connection.execute(select(func.sum(FILES.c.records_in))).scalar_one()
    engine.dispose()
    return Timed(watch.seconds, int(records_in or 0), "records in")
