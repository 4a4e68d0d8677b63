"""No patient data in logs: what `intake run` prints (stdout, stderr) and everything Dagster
keeps of the run (its event log, with every message, metadata value and error, and any file
under DAGSTER_HOME, compute logs included) holds no `patient_ref` and no `notes` text of the
input. Also when the run fails on a database error about a patient's row."""

from __future__ import annotations

import csv
from pathlib import Path

import dagster as dg
from sqlalchemy import Engine, text

from tests.reliability.state import cli_environment, start_cli_run


def _patient_texts(landing_dir: Path) -> set[str]:
    """Every patient_ref and notes text of the input files."""
    found: set[str] = set()
    for path in landing_dir.glob("intake_*.csv"):
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                found.update(row[name] for name in ("patient_ref", "notes") if row.get(name))
    return found


def _everything_logged(stdout: str, stderr: str, dagster_home: Path) -> str:
    """The process's output, every event Dagster recorded, and every file it wrote."""
    parts = [stdout, stderr]
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        for record in instance.get_run_records():
            parts.extend(
                dg.serialize_value(entry) for entry in instance.all_logs(record.dagster_run.run_id)
            )
    parts.extend(
        path.read_bytes().decode("utf-8", "replace")
        for path in dagster_home.rglob("*")
        if path.is_file()
    )
    return "\n".join(parts)


def _assert_no_patient_data(logged: str, landing_dir: Path) -> None:
    secrets = _patient_texts(landing_dir)
    assert len(secrets) > 100
    leaked = sorted(s for s in secrets if s in logged)
    assert leaked == [], f"{len(leaked)} patient texts in the logs, e.g. {leaked[:3]}"


def test_the_logs_of_a_full_run_hold_no_patient_data(
    landing_dir: Path, database_url: str, migrated_engine: Engine, tmp_path: Path
) -> None:
    home = tmp_path / "dagster"
    process = start_cli_run(cli_environment(database_url, landing_dir, home))
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr[-3000:]
    assert "records in" in stdout
    _assert_no_patient_data(_everything_logged(stdout, stderr, home), landing_dir)


def test_the_logs_of_a_run_failing_on_a_patients_row_hold_no_patient_data(
    backend: str, landing_dir: Path, database_url: str, migrated_engine: Engine, tmp_path: Path
) -> None:
    with migrated_engine.begin() as connection:  # the database refuses some patients' rows
        if backend == "postgresql":
            connection.execute(
                text(
                    "ALTER TABLE case_versions ADD CONSTRAINT refuse"
                    " CHECK (patient_ref NOT LIKE 'PT1%')"
                )
            )
        else:
            connection.execute(
                text(
                    "CREATE TRIGGER refuse BEFORE INSERT ON case_versions"
                    " WHEN NEW.patient_ref LIKE 'PT1%'"
                    " BEGIN SELECT RAISE(ABORT, 'refused'); END"
                )
            )
    home = tmp_path / "dagster"
    process = start_cli_run(cli_environment(database_url, landing_dir, home))
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 1, stderr[-3000:]
    assert "The run failed" in stdout
    logged = _everything_logged(stdout, stderr, home)
    assert "refuse" in logged  # the error is there, named
    _assert_no_patient_data(logged, landing_dir)
