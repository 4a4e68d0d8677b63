"""Read and validate the next day's files in a background thread while the current day loads.

Polars and SQLite's driver both release the GIL while they work, so on two cores validating
day N+1 overlaps with writing day N. No lock is held while validating, as before.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

from sqlalchemy import Engine

from db.states import FileStatus
from pipeline.load import files
from pipeline.load.day import ValidatedFile
from pipeline.validate import validate_file

Validated = dict[int, ValidatedFile]
"""A day's files, validated, by file id."""


def validate_files(day_files: list[files.RegisteredFile]) -> Validated:
    """Read and validate `day_files`, each at the moment it is validated."""
    validated = {}
    for file in day_files:
        result, batch = validate_file(file.path, dt.datetime.now(dt.UTC))
        validated[file.id] = ValidatedFile(file.id, result, batch)
    return validated


def _landed_and_validated(engine: Engine, day: dt.date) -> Validated:
    with engine.connect() as connection:
        landed = files.files_of_day(connection, day, (FileStatus.LANDED,))
    return validate_files(landed)


@contextmanager
def validated_ahead(
    engine: Engine, days: list[dt.date]
) -> Iterator[Iterator[tuple[dt.date, Validated]]]:
    """Each of `days` with its landed files validated; the next day's are validated in the
    background while the caller works on the current one. Files registered after their day was
    listed are the caller's to validate (it lists them again inside its transaction)."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="validate-ahead") as pool:

        def each() -> Iterator[tuple[dt.date, Validated]]:
            coming: deque[Future[Validated]] = deque()
            for index, day in enumerate(days):
                if index == 0:
                    coming.append(pool.submit(_landed_and_validated, engine, day))
                if index + 1 < len(days):  # queued behind this day: starts as soon as it is done
                    coming.append(pool.submit(_landed_and_validated, engine, days[index + 1]))
                yield day, coming.popleft().result()

        try:
            yield each()
        finally:  # a failed load leaves at most the day being validated to finish
            pool.shutdown(cancel_futures=True)
