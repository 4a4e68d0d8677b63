"""The pipeline's definitions load; the schedule runs yesterday; the landing sensor requests a
run per day with new or changed files and remembers what it saw; the job runs on the
multiprocess executor."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest
from sqlalchemy import func, select

from db import migrate
from db.engine import make_engine
from db.models import IntakeCase, table_of
from pipeline import run
from pipeline.defs.ingest.sensors import landing_sensor
from pipeline.defs.resources import LandingStore

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SAMPLE = PROJECT_ROOT / "sample_data"


def test_the_definitions_load_with_every_asset_check_schedule_and_sensor() -> None:
    definitions = run.definitions()
    dg.Definitions.validate_loadable(definitions)
    graph = definitions.resolve_asset_graph()
    assets = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert assets == {
        "landed_files",
        "validated_records",
        "intake_cases",
        "case_classifications",
        "daily_case_counts",
        "urgent_case_alerts",
        "rules_impact_report",
    }
    checks = {key.name for key in graph.asset_check_keys}
    assert checks == {
        "no_duplicate_cases",
        "every_valid_record_loaded",
        "every_case_classified_with_current_rules",
        "quarantine_rate_below_threshold",
    }
    assert {s.name for s in definitions.schedules or []} == {"daily_ingest_schedule"}
    sensors = {s.name for s in definitions.sensors or []}
    assert sensors == {
        "landing_sensor",
        "rules_version_sensor",
        "rules_candidate_sensor",
        "record_failed_runs",
        "alerts_after_classification",
        "alerts_retry_sensor",
    }


def test_dg_check_defs_accepts_the_project() -> None:
    dg_cli = Path(sys.executable).parent / "dg"
    result = subprocess.run(
        [str(dg_cli), "check", "defs"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "DAGSTER_HOME": ""},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_morning_schedule_runs_the_previous_day() -> None:
    definitions = run.definitions()
    context = dg.build_schedule_context(
        scheduled_execution_time=dt.datetime(2026, 11, 25, 6, 0, tzinfo=dt.UTC),
        repository_def=definitions.get_repository_def(),
    )
    schedule = definitions.resolve_schedule_def("daily_ingest_schedule")
    requests = list(schedule.evaluate_tick(context).run_requests or [])
    assert [r.partition_key for r in requests] == ["2026-11-24"]


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SAMPLE, tmp_path / "landing"))


def _evaluate(landing: Path, cursor: str | None) -> dg.SensorResult:
    context = dg.build_sensor_context(
        cursor=cursor, resources={"landing_store": LandingStore(directory=str(landing))}
    )
    result = landing_sensor(context)
    assert isinstance(result, dg.SensorResult)
    return result


def test_the_landing_sensor_requests_each_day_with_new_files_once(landing: Path) -> None:
    days = sorted({p.stem.rsplit("_", 1)[1] for p in landing.glob("intake_*.csv")})
    first = _evaluate(landing, None)
    assert sorted(str(r.partition_key) for r in first.run_requests or []) == days
    again = _evaluate(landing, first.cursor)
    assert again.run_requests == []
    assert again.cursor == first.cursor


def test_the_landing_sensor_notices_a_changed_file_by_its_content(landing: Path) -> None:
    first = _evaluate(landing, None)
    changed = sorted(landing.glob("intake_*_2026-11-12.csv"))[0]
    changed.write_bytes(changed.read_bytes() + b"\n")
    touched = sorted(landing.glob("intake_*_2026-11-13.csv"))[0]
    os.utime(touched, ns=(1, 1))  # a new time, the same bytes: not a change
    second = _evaluate(landing, first.cursor)
    assert [r.partition_key for r in second.run_requests or []] == ["2026-11-12"]


def test_a_new_file_for_a_day_is_requested_with_a_new_run_key(landing: Path) -> None:
    first = _evaluate(landing, None)
    existing = sorted(landing.glob("intake_*_2026-11-12.csv"))[0]
    shutil.copy(existing, landing / "intake_clinic_extra_2026-11-12.csv")
    second = _evaluate(landing, first.cursor)
    (request,) = second.run_requests or []
    (earlier,) = [r for r in first.run_requests or [] if r.partition_key == "2026-11-12"]
    assert request.partition_key == "2026-11-12"
    assert request.run_key != earlier.run_key


def test_the_job_runs_on_the_multiprocess_executor(landing: Path, tmp_path: Path) -> None:
    """In a fresh process (`intake run --multiprocess`), as an analyst would start it: the
    executor's child processes must be able to load the job again from code."""
    url = f"sqlite:///{tmp_path / 'intake.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    env = {**os.environ, "DATABASE_URL": url, "DAGSTER_HOME": str(tmp_path / "dagster")}
    intake = Path(sys.executable).parent / "intake"
    result = subprocess.run(
        [
            str(intake),
            "run",
            "--multiprocess",
            "--landing",
            str(landing),
            "--from",
            "2026-11-12",
            "--to",
            "2026-11-13",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    with engine.connect() as conn:
        cases = conn.execute(select(func.count()).select_from(table_of(IntakeCase))).scalar_one()
    engine.dispose()
    assert cases > 0
    assert "records in" in result.stdout
