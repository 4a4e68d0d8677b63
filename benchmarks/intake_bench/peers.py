"""The peers the whole pipeline is measured against: the floor (contract columns written once by
the driver into a primary-key-only table) and dlt's merge load of the same files."""

from __future__ import annotations

import csv
import sqlite3
import tempfile
from pathlib import Path
from typing import Any, Final

import polars as pl
from sqlalchemy import Column, MetaData, PrimaryKeyConstraint, Table
from sqlalchemy.engine import make_url

from benchmarks.intake_bench.results import Stopwatch, timed_executemany
from benchmarks.intake_bench.stages import TaskSpec, Timed
from db.engine import make_engine
from db.models import CaseVersion, table_of
from pipeline.load import landing

FLOOR_TABLE: Final = "floor_records"
FLOOR_COLUMNS: Final = tuple(
    name for name in table_of(CaseVersion).columns.keys() if name not in ("id", "received_at")
)
"""The contract's fields, the date of intake, the content hash, version and file."""


def floor_table() -> Table:
    """The floor's table: the versions' columns, same types (an enum is the plain string it is
    stored as: its check lives on the versions' table, not in the type), only a primary key."""
    versions = table_of(CaseVersion)
    columns = [
        Column(name, versions.c[name].type, nullable=versions.c[name].nullable)
        for name in FLOOR_COLUMNS
    ]
    return Table(FLOOR_TABLE, MetaData(), *columns, PrimaryKeyConstraint("intake_id", "version"))


def floor_dump_path(spec: TaskSpec) -> Path:
    return Path(spec.work_dir) / "reference_floor.bin"


def floor(spec: TaskSpec) -> Timed:
    """Write the pipeline's case versions' columns once into a fresh primary-key-only table."""
    engine = make_engine(spec.database_url)
    table = floor_table()
    table.metadata.create_all(engine)
    columns = ", ".join(FLOOR_COLUMNS)
    raw = engine.raw_connection()
    target: Any = raw.driver_connection
    watch, rows = Stopwatch(), 0
    if engine.dialect.name == "sqlite":
        source_path = make_url(spec.source_url).database
        source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
        insert = (
            f"INSERT INTO {FLOOR_TABLE} ({columns}) VALUES ({', '.join('?' * len(FLOOR_COLUMNS))})"
        )
        cursor = source.execute(f"SELECT {columns} FROM case_versions")
        with watch.timed():
            target.execute("BEGIN")
        rows += timed_executemany(watch, target, insert, cursor)
        with watch.timed():
            target.execute("COMMIT")
        source.close()
        how = "sqlite3 executemany, one transaction"
    else:
        dump = floor_dump_path(spec)
        statement = f"COPY {FLOOR_TABLE} ({columns}) FROM STDIN (FORMAT binary)"
        with watch.timed():
            with target.cursor() as cursor:
                with dump.open("rb") as blocks, cursor.copy(statement) as copy:
                    while block := blocks.read(1 << 20):
                        copy.write(block)
                rows = cursor.rowcount
            target.commit()
        dump.unlink()
        how = "psycopg COPY FROM STDIN (binary), one transaction"
    raw.close()
    engine.dispose()
    return Timed(watch.seconds, rows, f"{how}: {len(FLOOR_COLUMNS)} columns, primary key only")


def dump_floor(spec: TaskSpec, connection: Any) -> None:
    """PostgreSQL: the versions' floor columns in COPY's binary form, from the pipeline's
    database (`connection`, a psycopg connection), for `floor` to write back (not timed)."""
    query = f"COPY (SELECT {', '.join(FLOOR_COLUMNS)} FROM case_versions) TO STDOUT (FORMAT binary)"
    with (
        floor_dump_path(spec).open("wb") as out,
        connection.cursor() as cursor,
        cursor.copy(query) as copy,
    ):
        for block in copy:
            out.write(block)


def dlt_merge_load(spec: TaskSpec) -> Timed:
    """dlt loads every landing file (columns as text) into a fresh database, merging on
    `intake_id`, in one pipeline run."""
    try:
        import dlt
    except ImportError:
        return Timed(0.0, 0, "dlt is not installed (pip install -e '.[bench]'): not measured")
    paths = landing.intake_files(Path(spec.landing_dir))
    rows = 0

    @dlt.resource(name="intake_records", write_disposition="merge", primary_key="intake_id")
    def records() -> Any:
        nonlocal rows
        for path in paths:
            with path.open(newline="", encoding="utf-8", errors="replace") as handle:
                header, *lines = csv.reader(handle)
            # A line that is not a record of the header's columns, or has no id, is skipped.
            kept = [line for line in lines if len(line) == len(header) and line[0]]
            frame = pl.DataFrame(kept, schema=header, orient="row")
            rows += frame.height
            yield frame.to_arrow()

    url = make_url(spec.database_url)
    destination: Any
    if url.get_backend_name() == "sqlite":
        destination = dlt.destinations.sqlalchemy(credentials=url.render_as_string(False))
    else:
        # dlt insists on a password; a server that trusts local users ignores it.
        plain = url.set(drivername="postgresql", password=url.password or "unused")
        credentials = plain.render_as_string(hide_password=False)
        destination = dlt.destinations.postgres(credentials=credentials)
    with tempfile.TemporaryDirectory(prefix="dlt-", dir=spec.work_dir) as home:
        pipeline = dlt.pipeline(
            pipeline_name="intake_bench",
            destination=destination,
            dataset_name="intake_dlt",
            pipelines_dir=home,
        )
        watch = Stopwatch()
        with watch.timed():
            pipeline.run(records())
    return Timed(watch.seconds, rows, f"dlt {dlt.__version__}, merge on intake_id, text columns")
