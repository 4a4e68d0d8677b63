"""Hostile input never crashes reading, validation, the pipeline or `intake classify`: every
bad record is quarantined with its reasons and its text as received, the good records of the
same file load, and records in = loaded + unchanged + corrected + quarantined.

The fuzz tests count what they tried (`tried`); the run's summary adds it up (conftest).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.contract.rules import Rule
from pipeline.load import landing
from pipeline.validate import validate_file
from tests.records import NOW
from tests.reliability.hostile import (
    FORMATS,
    FUZZ_EXAMPLES,
    HostileFile,
    catalogue,
    hostile_files,
    whole_files,
)
from tests.reliability.state import (
    CASES,
    FILES,
    QUARANTINE,
    assert_consistent,
    run_in_process,
)

RULES = {rule.value for rule in Rule}
DAY = dt.date(2026, 11, 20)
FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # `tried` counts across examples on purpose
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)


@pytest.fixture
def tried(record_property: Callable[[str, object], None]) -> Iterator[Counter[str]]:
    """Counts the malformed inputs a test tried; reported in the run's summary."""
    counter: Counter[str] = Counter()
    yield counter
    for key, value in counter.items():
        record_property(f"malformed_{key}", value)


def _write(directory: Path, name: str, data: bytes) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_bytes(data)
    return path


def _assert_reasons_known(reasons: list[list[dict[str, str]]]) -> None:
    for record in reasons:
        assert record, "a quarantined record without a reason"
        assert {r["rule"] for r in record} <= RULES


@FUZZ
@given(file=hostile_files())
def test_reading_a_hostile_file_keeps_its_good_records_and_accounts_for_every_line(
    file: HostileFile, tmp_path: Path, tried: Counter[str]
) -> None:
    tried["files"] += 1
    tried["lines"] += file.hostile_lines
    path = _write(tmp_path, f"intake_fuzz_{DAY}.{file.fmt}", file.data)
    result, _ = validate_file(path, NOW)
    valid = dict(zip(result.valid["line_number"], result.valid["intake_id"], strict=True))
    raw = dict(zip(result.quarantine["line_number"], result.quarantine["raw_record"], strict=True))
    assert result.valid.height + result.quarantine.height == file.records
    assert set(valid) | set(raw) == set(file.good) | set(file.other)
    assert {n: valid.get(n) for n in file.good} == file.good
    for number, text in file.other.items():
        if number in raw:
            assert raw[number] == text.decode("utf-8", "backslashreplace")
    _assert_reasons_known(result.quarantine["reasons"].to_list())


@FUZZ
@given(data=whole_files(), fmt=st.sampled_from(FORMATS))
def test_a_file_hostile_from_its_first_byte_never_crashes_the_reader(
    data: bytes, fmt: str, tmp_path: Path, tried: Counter[str]
) -> None:
    tried["files"] += 1
    result, _ = validate_file(_write(tmp_path, f"intake_fuzz_{DAY}.{fmt}", data), NOW)
    numbers = [*result.valid["line_number"], *result.quarantine["line_number"]]
    assert len(numbers) == len(set(numbers))
    assert all(1 <= n <= data.count(b"\n") + 1 for n in numbers)
    _assert_reasons_known(result.quarantine["reasons"].to_list())


@settings(FUZZ, max_examples=max(FUZZ_EXAMPLES // 10, 10))
@given(file=hostile_files())
def test_intake_classify_reports_every_record_of_a_hostile_file(
    file: HostileFile, tmp_path: Path, tried: Counter[str]
) -> None:
    tried["files"] += 1
    tried["lines"] += file.hostile_lines
    path = _write(tmp_path, f"intake_fuzz_{DAY}.{file.fmt}", file.data)
    result = CliRunner().invoke(app, ["classify", str(path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(text) for text in result.stdout.splitlines()]
    assert len(rows) == file.records
    assert {r["intake_id"] for r in rows if r["valid"]} >= set(file.good.values())


def test_intake_classify_reports_every_record_of_every_specimen(
    tmp_path: Path, tried: Counter[str]
) -> None:
    specimens = catalogue()
    paths = [_write(tmp_path, name, s.data) for name, s in specimens.items()]
    tried["files"] += len(paths)
    result = CliRunner().invoke(app, ["classify", *map(str, paths), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(text) for text in result.stdout.splitlines()]
    for name, specimen in specimens.items():
        own = [r for r in rows if r["file"] == name]
        assert {r["intake_id"] for r in own if r["valid"]} == specimen.good, name
        assert sum(not r["valid"] for r in own) == specimen.bad, name


def test_the_pipeline_loads_the_good_records_of_every_specimen_and_quarantines_the_rest(
    database_url: str, migrated_engine: Engine, tmp_path: Path, tried: Counter[str]
) -> None:
    landing_dir = tmp_path / "landing"
    specimens = catalogue()
    for name, specimen in specimens.items():
        kind, ext = name.split(".")
        _write(landing_dir, f"intake_{kind}_{DAY}.{ext}", specimen.data)
    tried["files"] += len(specimens)
    run_in_process(landing_dir, database_url, DAY, DAY)
    assert_consistent(migrated_engine, landing_dir)
    with migrated_engine.connect() as connection:
        files = {Path(f.source_path).name: f for f in connection.execute(select(FILES))}
        cases = set(connection.execute(select(CASES.c.intake_id)).scalars())
        quarantine = connection.execute(select(QUARANTINE.c.file_id, QUARANTINE.c.reasons)).all()
    assert len(files) == len(specimens)
    for name, specimen in specimens.items():
        kind, ext = name.split(".")
        file = files[f"intake_{kind}_{DAY}.{ext}"]
        assert file.status == "finished", name
        assert file.records_in == len(specimen.good) + specimen.bad, name
        assert file.records_loaded == len(specimen.good), name
        assert file.records_quarantined == specimen.bad, name
        assert specimen.good <= cases, name
    _assert_reasons_known([reasons for _, reasons in quarantine])


@settings(FUZZ, max_examples=max(FUZZ_EXAMPLES // 100, 3))
@given(file=hostile_files())
def test_the_pipeline_loads_what_validation_accepts_from_a_hostile_file(
    file: HostileFile,
    database_url: str,
    migrated_engine: Engine,
    tmp_path: Path,
    tried: Counter[str],
) -> None:
    tried["files"] += 1
    tried["lines"] += file.hostile_lines
    day = DAY - dt.timedelta(days=tried["pipeline_runs"])
    tried["pipeline_runs"] += 1
    landing_dir = tmp_path / f"landing{tried['pipeline_runs']}"
    path = _write(landing_dir, f"intake_fuzz_{day}.{file.fmt}", file.data)
    expected, _ = validate_file(path, NOW)
    run_in_process(landing_dir, database_url, day, day)
    assert_consistent(migrated_engine, landing_dir)
    with migrated_engine.connect() as connection:
        # By content: the examples share one database, and a file whose bytes an earlier
        # example already sent is (rightly) not ingested again under its new name.
        digest = landing.content_hash(path)
        row = connection.execute(select(FILES).where(FILES.c.content_hash == digest)).one()
        cases = set(connection.execute(select(CASES.c.intake_id)).scalars())
    assert row.status == "finished"
    assert row.records_in == file.records
    assert row.records_quarantined == expected.quarantine.height
    assert row.records_loaded + row.records_unchanged + row.records_corrected == (
        expected.valid.height
    )
    assert set(file.good.values()) <= cases
