"""The generator's files: layout, determinism, the contract, and a truth that tells no lies."""

from __future__ import annotations

import re
import tempfile
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.contract import FIELD_NAMES, RECORD_FIELD, Rule
from pipeline.contract.outputs import MECHANISMS, TRIAGE_LEVELS
from pipeline.generate import (
    TRUTH_COLUMNS,
    GenerationConfig,
    OutputFormat,
    generate,
)
from pipeline.generate import messiness as m
from pipeline.generate import plan as plan_module
from pipeline.generate.clinics import clinic_profiles
from tests.intake_checks import (
    MALFORMED,
    RawRecord,
    broken_rules,
    lenient_red_flags,
    read_records,
    read_truth,
    triage_of,
    typed_values,
)

END_DATE = date(2026, 6, 30)
FILE_NAME = re.compile(
    r"^intake_(?P<clinic>[A-Za-z0-9_-]{1,32})_(?P<day>\d{4}-\d{2}-\d{2})\.(?P<ext>csv|jsonl)$"
)


def config(out: Path, **overrides: object) -> GenerationConfig:
    """A small run ending on a fixed past day."""
    base = GenerationConfig(
        records=3_000,
        days=10,
        end_date=END_DATE,
        clinics=3,
        seed=7,
        output_format=OutputFormat.CSV,
        invalid_rate=0.05,
        out_dir=out,
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


def read_run(out: Path) -> tuple[list[RawRecord], list[dict[str, str]]]:
    """All records of all intake files (in name order) and the truth rows."""
    paths = sorted(p for p in out.iterdir() if FILE_NAME.match(p.name))
    return [r for path in paths for r in read_records(path)], read_truth(out)


def assert_run_keeps_the_contract(out: Path) -> None:
    """One truth row per record, at its line; valid records pass every rule and carry the
    contract's triage; invalid records break exactly the rules their truth row names."""
    records, truth = read_run(out)
    now = datetime.now(UTC)
    by_place = {(row["file"], int(row["line_number"])): row for row in truth}
    assert len(by_place) == len(truth) == len(records)
    for record in records:
        row = by_place[(record.file, record.line_number)]
        broken = broken_rules(record, now)
        where = f"{record.file}:{record.line_number}"
        if row["valid"] == "true":
            assert broken == set(), where
            assert row["invalid_rules"] == "", where
            assert row["mechanism"] in MECHANISMS, where
            triage, reasons = triage_of(record)
            assert (row["triage"], row["triage_reasons"]) == (triage, ";".join(reasons)), where
        else:
            assert row["valid"] == "false", where
            assert row["mechanism"] == "", where
            flags = lenient_red_flags(record)  # a red flag survives quarantine
            assert (row["triage"], row["triage_reasons"]) == (
                "urgent" if flags else "",
                ";".join(flags),
            ), where
            assert set(row["invalid_rules"].split(";")) == broken, where
        if record.values is not None:
            assert row["intake_id"] == (record.values["intake_id"] or ""), where
        else:
            assert row["intake_id"] in record.text, where


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    for output_format in OutputFormat:
        first, second = tmp_path / f"a-{output_format}", tmp_path / f"b-{output_format}"
        generate(config(first, output_format=output_format))
        generate(config(second, output_format=output_format))
        files = sorted(path.name for path in first.iterdir())
        assert files == sorted(path.name for path in second.iterdir())
        assert all((first / n).read_bytes() == (second / n).read_bytes() for n in files)


def test_different_seed_gives_different_data(tmp_path: Path) -> None:
    generate(config(tmp_path / "a", seed=1))
    generate(config(tmp_path / "b", seed=2))
    truth_a = (tmp_path / "a" / "ground_truth.csv").read_text()
    truth_b = (tmp_path / "b" / "ground_truth.csv").read_text()
    assert truth_a != truth_b
    name = "intake_clinic_north_2026-06-30.csv"
    assert (tmp_path / "a" / name).read_bytes() != (tmp_path / "b" / name).read_bytes()


def test_files_are_one_per_clinic_per_day_with_the_truth_beside_them(tmp_path: Path) -> None:
    generate(config(tmp_path, clinics=4))
    names = sorted(path.name for path in tmp_path.iterdir())
    assert "ground_truth.csv" in names
    intake = [FILE_NAME.match(n) for n in names if n != "ground_truth.csv"]
    assert all(intake), names  # nothing else: no partial or hidden files left behind
    clinics = {m["clinic"] for m in intake if m}
    days = {date.fromisoformat(m["day"]) for m in intake if m}
    assert clinics == {"clinic_north", "clinic_harbour", "clinic_riverside", "clinic_east"}
    assert days == {END_DATE - timedelta(days=i) for i in range(10)}
    assert len(intake) == len({(m["clinic"], m["day"]) for m in intake if m})
    assert tuple(read_truth(tmp_path)[0]) == TRUTH_COLUMNS


@pytest.mark.parametrize("output_format", list(OutputFormat))
def test_every_record_keeps_the_contract_or_breaks_exactly_what_the_truth_names(
    tmp_path: Path, output_format: OutputFormat
) -> None:
    generate(config(tmp_path, records=20_000, output_format=output_format, invalid_rate=0.1))
    assert_run_keeps_the_contract(tmp_path)


def test_records_count_as_asked_and_clinics_send_their_own_records(tmp_path: Path) -> None:
    generate(config(tmp_path, records=5_000))
    records, truth = read_run(tmp_path)
    assert len(records) == len(truth) == 5_000
    for record, row in zip(
        records, sorted(truth, key=lambda r: (r["file"], int(r["line_number"]))), strict=True
    ):
        match = FILE_NAME.match(record.file)
        assert match
        if row["valid"] == "true":
            assert record.values is not None
            assert record.values["clinic_id"] == match["clinic"]


def test_records_sit_in_the_file_of_their_intake_day_and_repeats_come_later(
    tmp_path: Path,
) -> None:
    generate(config(tmp_path, records=10_000, invalid_rate=0.1))
    records, truth = read_run(tmp_path)
    kind = {(row["file"], int(row["line_number"])): row["record_kind"] for row in truth}
    valid = {(row["file"], int(row["line_number"])) for row in truth if row["valid"] == "true"}
    utc_offsets = {c.clinic_id: c.utc_offset_minutes for c in clinic_profiles(3, 7)}
    for record in records:
        place = (record.file, record.line_number)
        if place not in valid:
            continue
        match = FILE_NAME.match(record.file)
        assert match
        sent = date.fromisoformat(match["day"])
        # the file's day is the clinic's own (local) day, however intake_at is written
        offset = timedelta(minutes=utc_offsets[match["clinic"]])
        intake_day = (typed_values(record)["intake_at"] + offset).date()
        if kind[place] == "original":
            assert intake_day == sent, place
        else:
            assert intake_day < sent <= intake_day + timedelta(days=m.MAX_RESEND_DELAY_DAYS)


def test_resends_are_exact_copies_and_corrections_change_one_field(tmp_path: Path) -> None:
    generate(config(tmp_path, records=20_000, invalid_rate=0.2))
    records, truth = read_run(tmp_path)
    kinds = {(row["file"], int(row["line_number"])): row["record_kind"] for row in truth}
    originals = {
        r.values["intake_id"]: r
        for r in records
        if r.values is not None and kinds[(r.file, r.line_number)] == "original"
    }
    counted: Counter[str] = Counter()
    for record in records:
        kind = kinds[(record.file, record.line_number)]
        if kind == "original":
            continue
        assert record.values is not None
        original = originals[record.values["intake_id"]]
        counted[kind] += 1
        if kind == "resend":
            assert record.text == original.text
        else:
            assert original.values is not None
            changed = [n for n in FIELD_NAMES if record.values[n] != original.values[n]]
            assert len(changed) == 1, changed
    assert counted["resend"] > 0
    assert counted["correction"] > 0


def test_no_intake_id_repeats_within_a_file(tmp_path: Path) -> None:
    generate(config(tmp_path, records=10_000, invalid_rate=0.2))
    ids: dict[str, Counter[str]] = defaultdict(Counter)
    for row in read_truth(tmp_path):
        if row["intake_id"]:
            ids[row["file"]][row["intake_id"]] += 1
    assert all(count == 1 for per_file in ids.values() for count in per_file.values())


def test_every_kind_of_bad_record_the_contract_names_is_generated(tmp_path: Path) -> None:
    for output_format in OutputFormat:
        out = tmp_path / output_format
        generate(config(out, records=20_000, output_format=output_format, invalid_rate=0.3))
        named = {
            rule.split(":")[1]
            for row in read_truth(out)
            for rule in row["invalid_rules"].split(";")
            if rule
        }
        expected = {r.value for r in Rule} - {Rule.DUPLICATE_IN_FILE.value}
        assert named == expected, output_format
        assert any(row["invalid_rules"] == MALFORMED for row in read_truth(out))
        assert any(";" in row["invalid_rules"] for row in read_truth(out))


def test_a_stray_quote_only_ever_breaks_the_last_record_of_a_file(tmp_path: Path) -> None:
    generate(config(tmp_path, records=30_000, days=20, invalid_rate=0.5))
    records, truth = read_run(tmp_path)
    stray = [r for r in records if r.values is None and ',"' in r.text and r.text.count('"') == 1]
    assert stray, "no stray quote was generated"
    last_line: dict[str, int] = {}
    for row in truth:
        last_line[row["file"]] = max(last_line.get(row["file"], 0), int(row["line_number"]))
    assert all(r.line_number == last_line[r.file] for r in stray)


def test_a_file_larger_than_a_chunk_is_written_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plan_module, "CHUNK_RECORDS", 300)
    generate(config(tmp_path, records=2_500, days=2, clinics=1, invalid_rate=0.2))
    records, truth = read_run(tmp_path)
    assert len(records) == len(truth) == 2_500
    assert_run_keeps_the_contract(tmp_path)


def test_no_invalid_rate_gives_only_valid_original_records(tmp_path: Path) -> None:
    generate(config(tmp_path, invalid_rate=0.0))
    truth = read_truth(tmp_path)
    assert {(row["valid"], row["record_kind"]) for row in truth} == {("true", "original")}


def test_malformed_records_name_the_record_not_a_field(tmp_path: Path) -> None:
    generate(config(tmp_path, records=10_000, invalid_rate=0.4, output_format=OutputFormat.JSONL))
    malformed = [r for r in read_truth(tmp_path) if RECORD_FIELD in r["invalid_rules"]]
    assert malformed
    assert all(r["invalid_rules"] == MALFORMED for r in malformed)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    seed=st.integers(0, 2**32 - 1),
    records=st.integers(1, 400),
    days=st.integers(1, 20),
    clinics=st.integers(1, 12),
    output_format=st.sampled_from(list(OutputFormat)),
    invalid_rate=st.floats(0.0, 0.5),
)
def test_any_arguments_give_files_that_keep_the_contract(
    *,
    seed: int,
    records: int,
    days: int,
    clinics: int,
    output_format: OutputFormat,
    invalid_rate: float,
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        out = Path(directory)
        summary = generate(
            config(
                out,
                seed=seed,
                records=records,
                days=days,
                clinics=clinics,
                output_format=output_format,
                invalid_rate=invalid_rate,
            )
        )
        assert summary.records == records
        assert_run_keeps_the_contract(out)
        truth = read_truth(out)
        assert {row["triage"] for row in truth} <= {*TRIAGE_LEVELS, ""}
