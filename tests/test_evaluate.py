"""Evaluation joins the truth with the outcomes by file and line and reports agreement
honestly: validity, rules named, confusion matrices, precision, recall and red-flag
sensitivity."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.evaluate import evaluate_directory
from tests.files import line
from tests.records import NOW
from tests.truth import CSV_FILE, TRUTH_HEADER, TRUTH_ROWS, write_evaluation_directory


def test_validity_and_named_rules_agree_on_the_fixture(tmp_path: Path) -> None:
    evaluation = evaluate_directory(write_evaluation_directory(tmp_path), NOW)
    assert (
        evaluation.files,
        evaluation.matched,
        evaluation.truth_only,
        evaluation.predicted_only,
    ) == (2, 6, 0, 0)
    assert evaluation.validity.to_dicts() == [
        {"truth_valid": True, "predicted_valid": True, "records": 4},
        {"truth_valid": False, "predicted_valid": False, "records": 2},
    ]
    assert (evaluation.rules_named, evaluation.both_invalid) == (2, 2)


def test_the_mechanism_confusion_matrix_counts_truth_against_prediction(tmp_path: Path) -> None:
    evaluation = evaluate_directory(write_evaluation_directory(tmp_path), NOW)
    matrix = {row["truth"]: row for row in evaluation.mechanism_confusion.to_dicts()}
    assert matrix["referred"]["undetermined"] == 1  # D: a fever, no referred findings
    assert matrix["compensatory"]["compensatory"] == 1
    assert matrix["undetermined"]["undetermined"] == 2  # the truth's "none"
    classes = {row["class"]: row for row in evaluation.mechanism_classes.to_dicts()}
    assert classes["undetermined"]["precision"] == 2 / 3
    assert classes["referred"]["recall"] == 0.0
    assert classes["mixed"]["precision"] is None


def test_red_flag_sensitivity_is_reported_per_reason(tmp_path: Path) -> None:
    evaluation = evaluate_directory(write_evaluation_directory(tmp_path), NOW)
    rows = {row["reason"]: row for row in evaluation.reason_sensitivity.to_dicts()}
    assert rows["no_weight_bearing"]["sensitivity"] == 1.0
    assert rows["fever"]["sensitivity"] == 1.0
    assert rows["rapid_worsening"]["sensitivity"] is None
    assert evaluation.red_flags_all_found


def test_a_missed_red_flag_fails_the_evaluation_command(tmp_path: Path) -> None:
    rows = list(TRUTH_ROWS)
    rows[5] = rows[5].replace("routine,,", "urgent,rapid_worsening,")
    directory = write_evaluation_directory(tmp_path, *rows)
    result = CliRunner().invoke(
        app, ["evaluate", str(directory), "--format", "json", "--now", "2026-11-25T12:00:00"]
    )
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["red_flag_sensitivity_is_100_percent"] is False
    flags = {r["reason"]: r for r in report["triage_reason_sensitivity"]}
    assert (flags["rapid_worsening"]["truth"], flags["rapid_worsening"]["found"]) == (1, 0)


def test_the_evaluation_command_prints_tables_and_exits_0_when_no_flag_is_missed(
    tmp_path: Path,
) -> None:
    result = CliRunner().invoke(
        app, ["evaluate", str(write_evaluation_directory(tmp_path)), "--now", "2026-11-25T12:00:00"]
    )
    assert result.exit_code == 0, result.output
    assert "Mechanism per class" in result.stdout
    assert "no red flag missed" in result.stdout


def test_a_directory_without_truth_cannot_be_evaluated(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["evaluate", str(tmp_path)])
    assert result.exit_code == 2


def test_records_only_one_side_knows_are_counted(tmp_path: Path) -> None:
    directory = write_evaluation_directory(
        tmp_path, *TRUTH_ROWS, f"{CSV_FILE},9,Z,original,true,none,routine,,"
    )
    evaluation = evaluate_directory(directory, NOW)
    assert (evaluation.truth_only, evaluation.predicted_only) == (1, 0)
    assert isinstance(evaluation.validity, pl.DataFrame)


def test_a_red_flag_missed_in_a_quarantined_record_fails_red_flag_sensitivity(
    tmp_path: Path,
) -> None:
    # The truth says B (invalid for its sex) is rapidly worsening; its text does not show it.
    rows = list(TRUTH_ROWS)
    rows[1] = rows[1].replace("false,,,,", "false,,urgent,rapid_worsening,")
    directory = write_evaluation_directory(tmp_path, *rows)
    evaluation = evaluate_directory(directory, NOW)
    flags = {r["reason"]: r for r in evaluation.quarantined_red_flags.to_dicts()}
    assert (flags["rapid_worsening"]["truth"], flags["rapid_worsening"]["found"]) == (1, 0)
    assert not evaluation.red_flags_all_found


def test_a_red_flag_read_leniently_from_a_quarantined_record_is_found(tmp_path: Path) -> None:
    rows = list(TRUTH_ROWS)
    rows[1] = f"{CSV_FILE},3,B,original,false,,urgent,fever,temperature_c:type"
    directory = write_evaluation_directory(tmp_path)
    text = (directory / CSV_FILE).read_text().splitlines()
    text[2] = line(intake_id="B", temperature_c=" 38,5 ")
    (directory / CSV_FILE).write_text("\n".join(text) + "\n")
    (directory / "ground_truth.csv").write_text("\n".join([TRUTH_HEADER, *rows]) + "\n")
    evaluation = evaluate_directory(directory, NOW)
    flags = {r["reason"]: r for r in evaluation.quarantined_red_flags.to_dicts()}
    assert (flags["fever"]["truth"], flags["fever"]["found"], flags["fever"]["extra"]) == (1, 1, 0)
    assert evaluation.red_flags_all_found
