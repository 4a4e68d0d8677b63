"""The register of ingested files: which landing files are known, once per content (the same
bytes sent again are never ingested again), and how far each has got."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Select, insert, select, update

from db.models import IngestedFile, table_of
from db.states import FileStatus
from pipeline.load.decide import FileOutcome
from pipeline.load.landing import LandedFile
from pipeline.load.quarantine import NUL_ESCAPE

FILES = table_of(IngestedFile)


@dataclass(frozen=True, slots=True)
class RegisteredFile:
    """A landing file as the register knows it."""

    id: int
    path: Path
    landing_date: dt.date
    status: str


@dataclass(frozen=True, slots=True)
class Registration:
    """What registering a day's landing files did."""

    new: tuple[RegisteredFile, ...]
    already_ingested: tuple[LandedFile, ...]


def register(connection: Connection, landed: list[LandedFile], now: dt.datetime) -> Registration:
    """Register the files not seen before (by content hash); report the ones already known."""
    hashes = [f.content_hash for f in landed]
    known = set(
        connection.execute(
            select(FILES.c.content_hash).where(FILES.c.content_hash.in_(hashes))
        ).scalars()
    )
    new: list[RegisteredFile] = []
    already: list[LandedFile] = []
    for file in landed:
        if file.content_hash in known:
            already.append(file)
            continue
        known.add(file.content_hash)
        file_id = connection.execute(
            insert(FILES).returning(FILES.c.id),
            {
                "source_path": str(file.path),
                "landing_date": file.landing_date,
                "content_hash": file.content_hash,
                "size_bytes": file.size_bytes,
                "received_at": now,
                "status": FileStatus.LANDED,
                "unknown_columns": [],
            },
        ).scalar_one()
        new.append(RegisteredFile(file_id, file.path, file.landing_date, FileStatus.LANDED))
    return Registration(tuple(new), tuple(already))


def files_of_day(
    connection: Connection, day: dt.date, statuses: tuple[FileStatus, ...]
) -> list[RegisteredFile]:
    """The registered files sent on `day` whose status is one of `statuses`, oldest first."""
    rows = connection.execute(
        select(FILES.c.id, FILES.c.source_path, FILES.c.landing_date, FILES.c.status)
        .where(FILES.c.landing_date == day, FILES.c.status.in_(statuses))
        .order_by(FILES.c.id)
    )
    return [RegisteredFile(r.id, Path(r.source_path), r.landing_date, r.status) for r in rows]


def finished_file_ids(days: list[dt.date]) -> Select[Any]:
    """The ids of the finished files sent on `days`, as a subquery for set-based SQL."""
    return select(FILES.c.id).where(
        FILES.c.landing_date.in_(days), FILES.c.status == FileStatus.FINISHED
    )


def uncounted_file_ids(days: list[dt.date]) -> Select[Any]:
    """The ids of the files sent on `days` loaded but not yet in the daily counts, as a
    subquery."""
    return finished_file_ids(days).where(FILES.c.counted_at.is_(None))


# A file moves from `landed` to `finished` (loaded, quarantined and its cases classified,
# `classified_at`, in one transaction; its counts then add up), then its cases are taken into
# the daily counts (`counted_at`). Each step picks only the files the step before has finished
# and it has not, so re-running unchanged files does no work.
def files_to_classify(connection: Connection, day: dt.date) -> list[int]:
    """The finished files sent on `day` whose cases are not classified yet (loaded before the
    load classified in the same transaction, or by `intake rerun` sent back)."""
    return list(
        connection.execute(
            select(FILES.c.id)
            .where(
                FILES.c.landing_date == day,
                FILES.c.status == FileStatus.FINISHED,
                FILES.c.classified_at.is_(None),
            )
            .order_by(FILES.c.id)
        ).scalars()
    )


def files_to_count(connection: Connection, days: list[dt.date]) -> list[int]:
    """The files sent on `days` whose cases are classified but not yet in the daily counts."""
    return list(
        connection.execute(
            select(FILES.c.id)
            .where(
                FILES.c.landing_date.in_(days),
                FILES.c.classified_at.is_not(None),
                FILES.c.counted_at.is_(None),
            )
            .order_by(FILES.c.id)
        ).scalars()
    )


def mark_classified(connection: Connection, file_ids: list[int], now: dt.datetime) -> None:
    """Record that the cases of `file_ids` are classified (in the classifying transaction)."""
    connection.execute(update(FILES).where(FILES.c.id.in_(file_ids)).values(classified_at=now))


def mark_counted(connection: Connection, file_ids: list[int] | None, now: dt.datetime) -> None:
    """Record that the daily counts took in the cases of `file_ids` (every classified file when
    None), in the transaction that refreshed them."""
    statement = update(FILES).where(FILES.c.classified_at.is_not(None))
    if file_ids is not None:
        statement = statement.where(FILES.c.id.in_(file_ids))
    connection.execute(statement.values(counted_at=now))


def mark_finished(
    connection: Connection,
    file_id: int,
    *,
    records_in: int,
    quarantined: int,
    unknown_columns: list[str],
    outcome: FileOutcome,
    now: dt.datetime,
) -> None:
    """Record that a file is loaded and its cases classified, with its counts (the database
    checks they add up) and unknown column names (as the quarantine keeps text)."""
    connection.execute(
        update(FILES)
        .where(FILES.c.id == file_id)
        .values(
            status=FileStatus.FINISHED,
            records_in=records_in,
            records_quarantined=quarantined,
            unknown_columns=[name.replace("\x00", NUL_ESCAPE) for name in unknown_columns],
            records_loaded=outcome.loaded,
            records_unchanged=outcome.unchanged,
            records_corrected=outcome.corrected,
            finished_at=now,
            classified_at=now,
        )
    )
