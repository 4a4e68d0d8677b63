"""A day's load, in the caller's one transaction: the day's validated files become case
versions, current cases, classifications and quarantine, each record written once.

The versions on record of the day's intake ids are read (their content hashes), new /
unchanged / corrected is decided in memory (`pipeline.load.decide`), each new version is
written once, each case takes its newest version (a new case is inserted, a corrected one
updated), and the cases made current are classified in memory, by one call of the rule set,
and written with them: no case ever carries the findings of one version and the triage of
another. The files stay in the landing store, so a run killed before the commit reads them
again; nothing is staged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Final

import polars as pl
from sqlalchemy import Connection, bindparam, delete, select, update

from db.models import CASE_FIELDS, CaseClassification, CaseVersion, IntakeCase, table_of
from pipeline.classify import classify
from pipeline.load import files as register
from pipeline.load.bulk import bulk_insert, one_of
from pipeline.load.decide import STORED_SCHEMA, FileOutcome, decide
from pipeline.load.quarantine import quarantine_file
from pipeline.validate import RawBatch, Validated
from pipeline.validate.content_hash import content_hash

VERSIONS = table_of(CaseVersion)
CASES = table_of(IntakeCase)
CLASSIFICATIONS = table_of(CaseClassification)
CONTENT_COLUMNS: Final = tuple(
    name
    for name in VERSIONS.columns.keys()
    if name not in ("id", "version", "file_id", "received_at")
)
CASE_COLUMNS: Final = ("intake_id", *CASE_FIELDS)
NEW_CASES_SCHEMA: Final = pl.Schema(
    {
        "intake_id": pl.String(),
        "clinic_id": pl.String(),
        "triage": pl.String(),
        "received_at": pl.Datetime("us", "UTC"),
    }
)
IDS_PER_QUERY: Final = 5_000
"""Intake ids one lookup binds (bounded lists of bound values)."""


@dataclass(frozen=True, slots=True)
class ValidatedFile:
    """A registered file, validated: its valid records, its quarantine and what was read."""

    file_id: int
    result: Validated
    batch: RawBatch


@dataclass(frozen=True, slots=True)
class DayLoad:
    """What a day's load did."""

    outcomes: list[FileOutcome]
    records_in: int
    quarantined: int
    classified: int
    known_ids: list[str]
    """The day's intake ids that were on record before the load (re-sent or corrected)."""
    new_cases: pl.DataFrame
    """The cases the load inserted, classified in memory: `intake_id`, `clinic_id`, `triage`
    and `received_at` (when their first version was received)."""

    @property
    def resent(self) -> bool:
        """Some record was on record before the load (its case may need classifying again)."""
        return bool(self.known_ids)


def _chunks(values: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(values), IDS_PER_QUERY):
        yield values[start : start + IDS_PER_QUERY]


def stored_versions(connection: Connection, intake_ids: list[str]) -> pl.DataFrame:
    """The versions on record of `intake_ids` (`STORED_SCHEMA`), in one query with the ids as
    one value: a PostgreSQL array, a JSON array SQLite reads with `json_each`."""
    if not intake_ids:
        return pl.DataFrame(schema=STORED_SCHEMA)
    query = select(*(VERSIONS.c[name] for name in STORED_SCHEMA.names()))
    query = query.where(one_of(connection, VERSIONS.c.intake_id, intake_ids))
    return pl.DataFrame(list(connection.execute(query)), schema=STORED_SCHEMA, orient="row")


def _records(validated: Sequence[ValidatedFile]) -> pl.DataFrame:
    """The day's valid records in the order received, each with its file and content hash."""
    frames = [
        f.result.valid.drop("raw_record").with_columns(pl.lit(f.file_id, pl.Int64).alias("file_id"))
        for f in validated
    ]
    return pl.concat(frames).with_columns(content_hash().alias("content_hash"))


def _write_cases(connection: Connection, current: pl.DataFrame, now: dt.datetime) -> None:
    """Insert the new cases, point the known ones at their new version."""
    rows = current.select(*CASE_COLUMNS, "version", "file_id", "known").with_columns(
        pl.lit(now).alias("updated_at")
    )
    bulk_insert(connection, CASES, rows.filter(~pl.col("known")).drop("known"))
    known = rows.filter(pl.col("known")).drop("known")
    if known.is_empty():
        return
    names = [n for n in known.columns if n != "intake_id"]
    connection.execute(
        update(CASES)
        .where(CASES.c.intake_id == bindparam("key"))
        .values({n: bindparam(f"new_{n}") for n in names}),
        [
            {"key": r["intake_id"], **{f"new_{n}": r[n] for n in names}}
            for r in known.iter_rows(named=True)
        ],
    )
    ids = known["intake_id"].to_list()
    for chunk in _chunks(ids):  # a corrected case loses its earlier version's classification
        connection.execute(delete(CLASSIFICATIONS).where(CLASSIFICATIONS.c.intake_id.in_(chunk)))


def _classify(
    connection: Connection, current: pl.DataFrame, now: dt.datetime, rules_version: str
) -> pl.DataFrame:
    """Classify the cases made current, in memory, by `rules_version`, and write their
    classifications; returns the new cases' triage (`NEW_CASES_SCHEMA`)."""
    classified = classify(current, rules_version).with_columns(
        current["version"].alias("case_version"), pl.lit(now).alias("classified_at")
    )
    bulk_insert(connection, CLASSIFICATIONS, classified.select(CLASSIFICATIONS.columns.keys()))
    return (
        current.select("intake_id", "clinic_id", "known", pl.lit(now).alias("received_at"))
        .with_columns(classified["triage"].cast(pl.String))
        .filter(~pl.col("known"))
        .select(NEW_CASES_SCHEMA.names())
    )


def load_day(
    connection: Connection,
    validated: Sequence[ValidatedFile],
    now: dt.datetime,
    *,
    rules_version: str,
) -> DayLoad:
    """Load a day's validated files (in the order received) and mark them finished and
    classified by `rules_version` (the version in force), in the caller's transaction."""
    file_ids = [f.file_id for f in validated]
    records = _records(validated) if validated else pl.DataFrame()
    stored = stored_versions(
        connection, records["intake_id"].unique().to_list() if records.height else []
    )
    decision = decide(records, stored, file_ids) if records.height else None
    new_cases = pl.DataFrame(schema=NEW_CASES_SCHEMA)
    if decision is not None and decision.new_versions.height:
        versions = decision.new_versions.select(*CONTENT_COLUMNS, "version", "file_id")
        bulk_insert(connection, VERSIONS, versions.with_columns(pl.lit(now).alias("received_at")))
        del versions
        _write_cases(connection, decision.current, now)
        new_cases = _classify(connection, decision.current, now, rules_version)
    outcomes = (
        decision.outcomes if decision is not None else [FileOutcome(i, 0, 0, 0) for i in file_ids]
    )
    for file, outcome in zip(validated, outcomes, strict=True):
        quarantine_file(connection, file.file_id, file.result.quarantine, now)
        register.mark_finished(
            connection,
            file.file_id,
            records_in=file.result.records_in,
            quarantined=file.result.quarantine.height,
            unknown_columns=list(file.batch.unknown_columns),
            outcome=outcome,
            now=now,
        )
    return DayLoad(
        outcomes=outcomes,
        records_in=sum(f.result.records_in for f in validated),
        quarantined=sum(f.result.quarantine.height for f in validated),
        classified=decision.current.height if decision is not None else 0,
        known_ids=stored["intake_id"].unique(maintain_order=True).to_list(),
        new_cases=new_cases,
    )
