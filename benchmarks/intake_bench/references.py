"""The references the pipeline is measured against on the rows it wrote: the driver's raw bulk
load into the same tables, and the naive ORM approach on a slice, scaled."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Table, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from benchmarks.intake_bench import peers
from benchmarks.intake_bench.results import Stopwatch, timed_executemany
from benchmarks.intake_bench.stages import TaskSpec, Timed
from db.engine import make_engine
from db.models import Base, CaseClassification, CaseVersion, IngestedFile, IntakeCase, table_of

REFERENCE_MODELS: Final[tuple[type[Base], ...]] = (
    IngestedFile,
    CaseVersion,
    IntakeCase,
    CaseClassification,
)
"""What the references load, in foreign-key order."""
COPY_BLOCK_BYTES: Final = 1 << 20


def _columns(table: Table) -> str:
    return ", ".join(table.columns.keys())


def raw_bulk_load(spec: TaskSpec) -> Timed:
    """Load the pipeline's rows into the fresh database at `spec.database_url` with the
    driver alone, in one transaction."""
    tables = [table_of(model) for model in REFERENCE_MODELS]
    if make_url(spec.database_url).get_backend_name() == "sqlite":
        seconds, rows = _sqlite_executemany(spec, tables)
        how = "sqlite3 executemany, one transaction"
    else:
        seconds, rows = _postgres_copy(spec, tables)
        how = "psycopg COPY FROM STDIN (csv), one transaction"
    return Timed(seconds, rows, f"{how}: {', '.join(t.name for t in tables)}")


def _sqlite_executemany(spec: TaskSpec, tables: list[Table]) -> tuple[float, int]:
    source_path = make_url(spec.source_url).database
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    engine = make_engine(spec.database_url)  # the pipeline's own connection settings
    raw = engine.raw_connection()
    target: Any = raw.driver_connection
    watch, rows = Stopwatch(), 0
    with watch.timed():
        target.execute("BEGIN")
    for table in tables:
        columns = _columns(table)
        marks = ", ".join("?" * len(table.columns))
        insert = f"INSERT INTO {table.name} ({columns}) VALUES ({marks})"
        cursor = source.execute(f"SELECT {columns} FROM {table.name}")
        rows += timed_executemany(watch, target, insert, cursor)
    with watch.timed():
        target.execute("COMMIT")
    source.close()
    raw.close()
    engine.dispose()
    return watch.seconds, rows


def _dump_path(spec: TaskSpec, table: Table) -> Path:
    return Path(spec.work_dir) / f"reference_{table.name}.csv"


def dump_for_reference(spec: TaskSpec) -> Timed:
    """PostgreSQL: write the pipeline's rows of every reference table (and the floor's columns,
    `peers.dump_floor`) to scratch files with `COPY ... TO STDOUT`, so the pipeline's database
    can be dropped before the raw load (at 10M records two databases of that size may not fit
    on the disk). Not timed. SQLite reads
    its source database directly, so there is nothing to do."""
    if make_url(spec.source_url).get_backend_name() == "sqlite":
        return Timed(0.0, 0, "nothing to dump")
    source_engine = make_engine(spec.source_url)
    rows = 0
    with source_engine.connect() as connection:
        raw: Any = connection.connection.driver_connection
        for table in (table_of(model) for model in REFERENCE_MODELS):
            query = f"COPY (SELECT {_columns(table)} FROM {table.name}) TO STDOUT (FORMAT csv)"
            with (
                _dump_path(spec, table).open("wb") as out,
                raw.cursor() as cursor,
                cursor.copy(query) as copy,
            ):
                for block in copy:
                    out.write(block)
            rows += int(connection.execute(select(func.count()).select_from(table)).scalar_one())
        peers.dump_floor(spec, raw)
    source_engine.dispose()
    return Timed(0.0, rows, "rows dumped for the raw load")


def _postgres_copy(spec: TaskSpec, tables: list[Table]) -> tuple[float, int]:
    dumps = [(table, _dump_path(spec, table)) for table in tables]
    rows = 0
    engine = make_engine(spec.database_url)
    target_raw = engine.raw_connection()
    target: Any = target_raw.driver_connection
    watch = Stopwatch()
    with watch.timed():
        with target.cursor() as cursor:
            for table, dump in dumps:
                statement = f"COPY {table.name} ({_columns(table)}) FROM STDIN (FORMAT csv)"
                with dump.open("rb") as source, cursor.copy(statement) as copy:
                    while block := source.read(COPY_BLOCK_BYTES):
                        copy.write(block)
                rows += cursor.rowcount
        target.commit()
    target_raw.close()
    engine.dispose()
    for _, dump in dumps:
        dump.unlink()
    return watch.seconds, rows


def naive_orm(spec: TaskSpec) -> Timed:
    """Add one ORM object per row and commit once, for the first `spec.naive_rows` cases
    (by intake id) with all their versions and their classifications."""
    versions, cases, classified = (
        table_of(CaseVersion),
        table_of(IntakeCase),
        table_of(CaseClassification),
    )
    source = make_engine(spec.source_url)
    chosen = select(cases.c.intake_id).order_by(cases.c.intake_id).limit(spec.naive_rows)
    with source.connect() as connection:
        chosen_ids = select(chosen.subquery().c.intake_id)
        files = connection.execute(select(table_of(IngestedFile))).mappings().all()
        slice_rows = [
            (model, connection.execute(select(table).where(table.c.intake_id.in_(chosen_ids))))
            for model, table in (
                (CaseVersion, versions),
                (IntakeCase, cases),
                (CaseClassification, classified),
            )
        ]
        # A naive loader has no surrogate ids: the database numbers the versions.
        objects_rows = [
            (model, [{k: v for k, v in r.items() if k != "id"} for r in result.mappings()])
            for model, result in slice_rows
        ]
    source.dispose()
    engine = make_engine(spec.database_url)
    with engine.begin() as connection:  # the files the rows point at, not timed
        connection.execute(table_of(IngestedFile).insert(), [dict(f) for f in files])
    watch, rows = Stopwatch(), 0
    with watch.timed(), Session(engine) as session:
        for model, dicts in objects_rows:
            for values in dicts:
                session.add(model(**values))
            rows += len(dicts)
            session.flush()  # no relationships are mapped: flush in foreign-key order
        session.commit()
    engine.dispose()
    return Timed(watch.seconds, rows, "ORM objects, Session.add one by one, one commit")
