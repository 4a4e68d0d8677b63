"""The landing store: the directory clinics' intake files arrive in, one a day per clinic
(`intake_{clinic_id}_{YYYY-MM-DD}.csv` or `.jsonl`; the date is the sending day, the daily
partition the file belongs to)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

INTAKE_FILE_PATTERN: Final = re.compile(
    r"^intake_(?P<clinic>[A-Za-z0-9_-]{1,32})_(?P<date>\d{4}-\d{2}-\d{2})\.(?P<ext>csv|jsonl)$"
)
HASH_CHUNK_BYTES: Final = 1 << 20


@dataclass(frozen=True, slots=True)
class LandedFile:
    """One intake file in the landing store."""

    path: Path
    clinic_id: str
    landing_date: dt.date
    content_hash: str
    size_bytes: int


def landing_date_of(path: Path) -> dt.date | None:
    """The sending day in an intake file's name, or None if the name is not an intake file's."""
    match = INTAKE_FILE_PATTERN.match(path.name)
    if match is None:
        return None
    try:
        return dt.date.fromisoformat(match["date"])
    except ValueError:
        return None


def content_hash(path: Path) -> str:
    """sha256 of the file's bytes, read in chunks."""
    # A file is known by it: the same bytes sent again are not ingested again.
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def intake_files(landing_dir: Path) -> list[Path]:
    """Every intake file in the landing directory, by name; other files are left alone."""
    if not landing_dir.is_dir():
        return []
    return sorted(p for p in landing_dir.iterdir() if p.is_file() and landing_date_of(p))


def land(path: Path) -> LandedFile:
    """Describe one intake file: its clinic, sending day, hash and size."""
    match = INTAKE_FILE_PATTERN.match(path.name)
    day = landing_date_of(path)
    if match is None or day is None:
        raise ValueError(f"{path}: not an intake file name (intake_<clinic>_<YYYY-MM-DD>.csv)")
    return LandedFile(
        path=path,
        clinic_id=match["clinic"],
        landing_date=day,
        content_hash=content_hash(path),
        size_bytes=path.stat().st_size,
    )


def files_for_day(landing_dir: Path, day: dt.date) -> list[LandedFile]:
    """The intake files sent on `day`."""
    return [land(p) for p in intake_files(landing_dir) if landing_date_of(p) == day]
