"""Text carrying SQL, HTML or script is data: stored verbatim in cases, case versions and
quarantine (raw text and reasons), never executed. This goes through both bulk paths, SQLite's
executemany and PostgreSQL's COPY (where `\\.` on a line of its own would end the data and
`\\N` means null in text format, so both are tried too)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Final

from sqlalchemy import Engine, inspect, select

from tests.files import csv, jsonl, line, obj
from tests.reliability.hostile import SCRIPT_INJECTION, SQL_INJECTION
from tests.reliability.state import CASES, QUARANTINE, VERSIONS, run_in_process

DAY: Final = dt.date(2026, 11, 20)
TEXTS: Final = (
    SQL_INJECTION,
    SCRIPT_INJECTION,
    "Robert'); DELETE FROM case_versions; --",
    '<img src=x onerror="alert(1)"> &amp; <b>bold</b>',
    "first line\n\\.\nafter PostgreSQL's end-of-copy marker",
    "\\N",
    '"quoted", with, commas; and a \\ backslash',
    "{{ template }} ${shell} $(rm -rf /) `id`",
)


def test_sql_html_and_script_in_text_fields_are_stored_verbatim_and_never_run(
    database_url: str, migrated_engine: Engine, tmp_path: Path
) -> None:
    landing_dir = tmp_path / "landing"
    landing_dir.mkdir()
    csv_notes = {f"CSV-{i}": text for i, text in enumerate(TEXTS)}
    json_notes = {f"JSON-{i}": text for i, text in enumerate(TEXTS)}
    invalid = [
        line(intake_id="BAD-1", patient_ref=SQL_INJECTION),
        line(intake_id="BAD-2", clinic_id=SCRIPT_INJECTION),
        line(intake_id="x'; DROP TABLE case_versions; --"),
    ]
    csv_lines = [line(intake_id=i, notes=n) for i, n in csv_notes.items()]
    (landing_dir / f"intake_csv_{DAY}.csv").write_bytes(csv(*csv_lines, *invalid))
    json_lines = [obj(intake_id=i, notes=n) for i, n in json_notes.items()]
    (landing_dir / f"intake_json_{DAY}.jsonl").write_bytes(jsonl(*json_lines))
    tables = set(inspect(migrated_engine).get_table_names())

    run_in_process(landing_dir, database_url, DAY, DAY)

    assert set(inspect(migrated_engine).get_table_names()) == tables
    with migrated_engine.connect() as connection:
        cases = dict(
            connection.execute(
                select(CASES.c.intake_id, VERSIONS.c.notes).join(
                    VERSIONS,
                    (VERSIONS.c.intake_id == CASES.c.intake_id)
                    & (VERSIONS.c.version == CASES.c.version),
                )
            ).all()
        )
        versions = dict(connection.execute(select(VERSIONS.c.intake_id, VERSIONS.c.notes)).all())
        quarantined = connection.execute(
            select(QUARANTINE.c.raw_record, QUARANTINE.c.reasons).order_by(QUARANTINE.c.line_number)
        ).all()
    assert cases == versions == {**csv_notes, **json_notes}
    assert [raw for raw, _ in quarantined] == invalid
    values = [{r["value"] for r in reasons} for _, reasons in quarantined]
    assert SQL_INJECTION in values[0]
    assert SCRIPT_INJECTION in values[1]
    assert "x'; DROP TABLE case_versions; --" in values[2]
