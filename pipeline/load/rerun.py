"""Re-run files already ingested, after a change in how records are read (`intake rerun`): their
stored cases take the date of intake written in `intake_at`, and each file goes back to
`landed`, so the next run validates it again (docs/operations.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import polars as pl
from sqlalchemy import Connection, Engine, bindparam, delete, select, update

from db.models import CaseClassification, CaseVersion, IntakeCase, table_of
from db.states import FileStatus
from pipeline.aggregate import daily_counts
from pipeline.contract.fields import FIELD_NAMES
from pipeline.load import locks
from pipeline.load.bulk import read_frame
from pipeline.load.files import FILES
from pipeline.load.landing import land
from pipeline.validate import validate_file
from pipeline.validate.content_hash import INTAKE_DATE, content_hash

VERSIONS = table_of(CaseVersion)
CASES = table_of(IntakeCase)
CLASSIFICATIONS = table_of(CaseClassification)
STORED_SCHEMA: Final = pl.Schema(
    {
        "intake_id": pl.String(),
        "version": pl.Int32(),
        "content_hash": pl.String(),
        "intake_date": pl.Date(),
    }
)


@dataclass(frozen=True, slots=True)
class Redated:
    """What re-dating one file's stored cases did."""

    versions: int
    """Case versions whose date of intake changed."""
    days: tuple[dt.date, ...]
    """The intake days they left (their counts were refreshed)."""


def _utc_dated_hash() -> pl.Expr:
    """The content hash a record had when its date of intake was the instant's UTC date."""
    columns = {name: pl.col(name) for name in FIELD_NAMES}
    return content_hash(columns | {INTAKE_DATE: pl.col("intake_at").dt.date()})


def moved_versions(stored: pl.DataFrame, valid: pl.DataFrame) -> pl.DataFrame:
    """The stored versions (`STORED_SCHEMA`) of a file's valid records (`VALID_SCHEMA`) whose
    date of intake is not the written one: intake_id, version, old and new date, new hash."""
    read = valid.select(
        "intake_id",
        _utc_dated_hash().alias("content_hash"),
        content_hash().alias("new_hash"),
        pl.col(INTAKE_DATE).alias("new_date"),
    )
    return (
        stored.join(read, on=["intake_id", "content_hash"])
        .filter(pl.col("intake_date") != pl.col("new_date"))
        .unique(["intake_id", "version"], maintain_order=True)
        .select("intake_id", "version", "intake_date", "new_date", "new_hash")
    )


def redate(connection: Connection, file_id: int, valid: pl.DataFrame) -> Redated:
    """Give the cases the file brought the date of intake written in their records (`valid`,
    the file validated now), in place; drop the classification of a current case that moved
    (its triage may change with the date) and refresh the counts of the days they left."""
    stored = read_frame(
        connection,
        select(*(VERSIONS.c[name] for name in STORED_SCHEMA.names())).where(
            VERSIONS.c.file_id == file_id
        ),
        STORED_SCHEMA,
    )
    moved = moved_versions(stored, valid)
    if moved.is_empty():
        return Redated(0, ())
    rows = [
        {
            "id_": r["intake_id"],
            "version_": r["version"],
            "date_": r["new_date"],
            "hash_": r["new_hash"],
        }
        for r in moved.iter_rows(named=True)
    ]
    # The date is a reading of the received text, not new content, so it changes in place: the
    # versions keep their numbers, and a case corrected later by another file keeps its
    # correction.
    connection.execute(
        update(VERSIONS)
        .where(
            VERSIONS.c.intake_id == bindparam("id_"), VERSIONS.c.version == bindparam("version_")
        )
        .values(intake_date=bindparam("date_"), content_hash=bindparam("hash_")),
        rows,
    )
    connection.execute(  # a current case carries its version's date of intake
        update(CASES)
        .where(CASES.c.intake_id == bindparam("id_"), CASES.c.version == bindparam("version_"))
        .values(intake_date=bindparam("date_")),
        [{k: v for k, v in row.items() if k != "hash_"} for row in rows],
    )
    ids = moved["intake_id"].unique().to_list()
    connection.execute(delete(CLASSIFICATIONS).where(CLASSIFICATIONS.c.intake_id.in_(ids)))
    days = tuple(sorted(set(moved["intake_date"].to_list())))
    daily_counts.refresh(connection, list(days))
    return Redated(len(rows), days)


@dataclass(frozen=True, slots=True)
class Reopened:
    """One file sent back to `landed`, and what re-dating its cases did."""

    path: Path
    landing_date: dt.date
    redated: Redated


def rerun_files(engine: Engine, paths: list[Path], now: dt.datetime) -> list[Reopened]:
    """Re-date and reopen each of `paths` that was ingested before (known by its content hash;
    others are left for the run to register), one transaction per file under its day's lock.
    The caller then runs the files' days."""
    reopened: list[Reopened] = []
    for path in paths:
        landed = land(path)
        with locks.write_transaction(engine, landed.landing_date, shared=True) as connection:
            file_id = connection.execute(
                select(FILES.c.id).where(FILES.c.content_hash == landed.content_hash)
            ).scalar_one_or_none()
            if file_id is None:
                continue
            validated, _ = validate_file(path, now)
            redated = redate(connection, file_id, validated.valid)
            reopen(connection, file_id)
        reopened.append(Reopened(path, landed.landing_date, redated))
    return reopened


def reopen(connection: Connection, file_id: int) -> None:
    """Send a file back to `landed`: the next run of its day validates, loads, classifies and
    counts it again (its quarantined records are replaced, never added to)."""
    connection.execute(
        update(FILES)
        .where(FILES.c.id == file_id)
        .values(status=FileStatus.LANDED, finished_at=None, classified_at=None, counted_at=None)
    )
