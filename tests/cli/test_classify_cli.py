"""`intake classify` prints one result per input record, in file then line order, and fails
only when it cannot read a file."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from pipeline.classify import RULES_VERSION
from pipeline.cli import app
from tests.files import csv, line
from tests.truth import CSV_FILE, JSONL_FILE, write_evaluation_directory


def run(*args: str) -> tuple[int, list[dict[str, object]], str]:
    result = CliRunner().invoke(app, ["classify", *args])
    lines = [json.loads(text) for text in result.stdout.splitlines() if text.startswith("{")]
    return result.exit_code, lines, result.stderr


def test_every_record_comes_out_once_in_file_then_line_order(tmp_path: Path) -> None:
    write_evaluation_directory(tmp_path)
    code, rows, _ = run(str(tmp_path / CSV_FILE), str(tmp_path / JSONL_FILE), "--format", "jsonl")
    assert code == 0
    assert [(r["file"], r["line_number"]) for r in rows] == [
        (CSV_FILE, 2),
        (CSV_FILE, 3),
        (CSV_FILE, 4),
        (CSV_FILE, 5),
        (JSONL_FILE, 1),
        (JSONL_FILE, 2),
    ]


def test_a_valid_record_has_the_five_outputs_and_no_reasons(tmp_path: Path) -> None:
    write_evaluation_directory(tmp_path)
    _, rows, _ = run(str(tmp_path / CSV_FILE), "--format", "jsonl")
    assert rows[0] == {
        "file": CSV_FILE,
        "line_number": 2,
        "intake_id": "A",
        "valid": True,
        "mechanism": "undetermined",
        "mechanism_evidence": [],
        "triage": "urgent",
        "triage_reasons": ["no_weight_bearing"],
        "rules_version": RULES_VERSION,
    }


def test_an_invalid_record_has_its_reasons_and_no_outputs(tmp_path: Path) -> None:
    write_evaluation_directory(tmp_path)
    _, rows, _ = run(str(tmp_path / CSV_FILE), "--format", "jsonl")
    assert rows[1] == {
        "file": CSV_FILE,
        "line_number": 3,
        "intake_id": "B",
        "valid": False,
        "reasons": [{"field": "sex", "rule": "allowed_values", "value": "x"}],
    }
    assert rows[2]["reasons"] == [
        {"field": "_record", "rule": "malformed", "value": "2 fields where the header has 30"}
    ]


def test_jsonl_is_the_default_when_output_is_not_a_terminal(tmp_path: Path) -> None:
    write_evaluation_directory(tmp_path)
    code, rows, _ = run(str(tmp_path / JSONL_FILE))
    assert (code, len(rows)) == (0, 2)


def test_the_table_format_shows_every_record(tmp_path: Path) -> None:
    write_evaluation_directory(tmp_path)
    result = CliRunner().invoke(
        app, ["classify", str(tmp_path / CSV_FILE), "--format", "table"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0
    assert "4 records" in result.stdout
    assert "allowed_values" in result.stdout


def test_a_missing_file_stops_the_run_with_a_message_naming_it(tmp_path: Path) -> None:
    write_evaluation_directory(tmp_path)
    missing = tmp_path / "intake_missing.csv"
    code, rows, stderr = run(str(tmp_path / CSV_FILE), str(missing))
    assert code != 0
    assert rows == []
    assert str(missing) in stderr


def test_a_file_of_another_kind_is_refused_by_name(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    code, _, stderr = run(str(other))
    assert code != 0
    assert "notes.txt" in stderr


def test_unicode_line_breaks_in_a_value_are_escaped_so_each_output_line_is_one_record(
    tmp_path: Path,
) -> None:
    path = tmp_path / "intake_c1_2026-11-20.csv"
    breaks = "a\u0085b\u2028c\u2029d"
    path.write_bytes(csv(line(clinic_id=breaks), line(intake_id="T-2", notes=breaks)))
    result = CliRunner().invoke(app, ["classify", str(path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(text) for text in result.stdout.splitlines()]
    assert [r["valid"] for r in rows] == [False, True]
    assert rows[0]["reasons"][0]["value"] == breaks
