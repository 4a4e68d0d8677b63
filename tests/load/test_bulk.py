"""Bulk transfer between polars and the database keeps every value and type, on both, and
a value bound into a read is a value, never SQL."""

from __future__ import annotations

import datetime as dt

import polars as pl
from polars.testing import assert_frame_equal
from sqlalchemy import Engine, select

from db.models import CaseVersion, IngestedFile, table_of
from pipeline.contract.schema import RECORD_SCHEMA
from pipeline.load.bulk import bulk_insert, read_frame
from tests.factories import record, valid_frame

NOW = dt.datetime(2026, 11, 21, 6, 0, tzinfo=dt.UTC)
TRICKY_TEXT = "quote \" comma , newline \n and 'single' ; DROP TABLE intake_cases; <b>é</b>"


VERSIONS = table_of(CaseVersion)
HOSTILE_NOTES = (
    "x'); DROP TABLE case_versions; --",
    "\\' OR '1'='1",
    "' OR 1=1 --",
    "%(intake_id_1)s %s %% ? :name $1",
    'a"b\\c;',
)
"""Texts that would change the statement if they were pasted into its SQL."""


def _write_versions(engine: Engine, frame: pl.DataFrame) -> int:
    """Write `frame`'s records as first case versions of one ingested file, in bulk."""
    with engine.begin() as conn:
        file_id = conn.execute(
            table_of(IngestedFile)
            .insert()
            .returning(table_of(IngestedFile).c.id)
            .values(
                source_path="f",
                landing_date=NOW.date(),
                content_hash="h",
                size_bytes=1,
                received_at=NOW,
                status="landed",
                unknown_columns=[],
            )
        ).scalar_one()
        written = frame.drop("line_number", "raw_record").with_columns(
            pl.lit(1).alias("version"),
            pl.lit(file_id).alias("file_id"),
            pl.lit(NOW).alias("received_at"),
        )
        return bulk_insert(conn, VERSIONS, written)


def test_a_frame_written_in_bulk_reads_back_identical(migrated_engine: Engine) -> None:
    records = [
        record(intake_id="INT-1"),
        record(
            intake_id="INT-2",
            notes=TRICKY_TEXT,
            temperature_c=38.0,
            fever_reported=False,
            hip_rom=None,
            knee_effusion=None,
            intake_at=dt.datetime(2026, 11, 20, 23, 59, 59, 123456, tzinfo=dt.UTC),
        ),
        record(intake_id="INT-3", notes=""),
    ]
    frame = valid_frame(records)
    assert _write_versions(migrated_engine, frame) == 3
    schema = pl.Schema({**RECORD_SCHEMA, "intake_date": pl.Date()})
    query = select(*(VERSIONS.c[n] for n in schema.names())).order_by(VERSIONS.c.intake_id)
    with migrated_engine.connect() as conn:
        back = read_frame(conn, query, schema)
    assert_frame_equal(back, frame.select(schema.names()))


def test_reading_an_empty_result_gives_an_empty_typed_frame(migrated_engine: Engine) -> None:

    schema = pl.Schema({"intake_id": pl.String(), "intake_at": pl.Datetime("us", "UTC")})
    with migrated_engine.connect() as conn:
        back = read_frame(conn, select(VERSIONS.c.intake_id, VERSIONS.c.intake_at), schema)
    assert back.is_empty()
    assert back.schema == schema


def test_hostile_bound_values_are_compared_as_values_never_run_as_sql(
    migrated_engine: Engine,
) -> None:
    notes = (*HOSTILE_NOTES, "plain")
    records = [record(intake_id=f"INT-{n}", notes=text) for n, text in enumerate(notes)]
    _write_versions(migrated_engine, valid_frame(records))
    schema = pl.Schema({"notes": pl.String(), "intake_at": pl.Datetime("us", "UTC")})
    columns = (VERSIONS.c.notes, VERSIONS.c.intake_at)
    query = select(*columns).where(VERSIONS.c.notes.in_(HOSTILE_NOTES), VERSIONS.c.intake_at <= NOW)
    with migrated_engine.connect() as conn:
        found = read_frame(conn, query, schema)
        for hostile in HOSTILE_NOTES:
            one = read_frame(conn, select(*columns).where(VERSIONS.c.notes == hostile), schema)
            assert one["notes"].to_list() == [hostile]
        everything = read_frame(conn, select(*columns), schema)
    assert sorted(found["notes"].to_list()) == sorted(HOSTILE_NOTES)
    assert everything.height == len(notes)  # the table is still there, every row too
