"""Nothing is read from the environment when a module is imported: the Dagster definitions are
built when they load, and read and check the settings (the first intake day, the schedule's
time) then, refusing a value that cannot be used with the variable's name."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Final

import dagster as dg
import pytest

from pipeline import run

ROOT: Final = Path(__file__).resolve().parents[2]
UNUSABLE: Final = {
    "INTAKE_FIRST_DAY": "the first of May",
    "INTAKE_INGEST_CRON": "every morning",
    "INTAKE_MAX_QUARANTINE_RATE": "abc",
    "INTAKE_FOLLOW_UP_URGENT_HOURS": "0",
    "INTAKE_EXECUTOR": "k8s",
    "INTAKE_CELERY_VISIBILITY_TIMEOUT": "-1",
    "DASHBOARD_SESSION_HOURS": "eight",
    "DASHBOARD_LOCKOUT_USERNAME_FAILURES": "2.5",
    "DASHBOARD_BEHIND_PROXY": "yes",
}
"""A value no variable here can be used with: reading any of them raises `SettingsError`."""
SCRIPTS: Final = ("dashboards.app", "dashboards.app_pages", "dashboards.server")
"""Streamlit scripts, run (not imported) to start the dashboard: they check the settings then."""
INGESTION_ASSETS: Final = {
    "landed_files",
    "validated_records",
    "intake_cases",
    "case_classifications",
    "daily_case_counts",
}
INGESTION_CHECKS: Final = {
    "no_duplicate_cases",
    "every_valid_record_loaded",
    "every_case_classified_with_current_rules",
    "quarantine_rate_below_threshold",
}
"""The assets and checks partitioned by intake day."""
IMPORT_EVERY_MODULE: Final = f"""
import importlib, pkgutil
names = []
for package in ("pipeline", "dashboards", "db"):
    root = importlib.import_module(package)
    for module in pkgutil.walk_packages(root.__path__, package + "."):
        if module.name.startswith({SCRIPTS!r}) or module.name.endswith("__main__"):
            continue
        importlib.import_module(module.name)
        names.append(module.name)
print(len(names))
from pipeline import run
run.definitions()
"""


def test_every_module_imports_with_unusable_settings_and_the_definitions_then_refuse_them() -> None:
    imported = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERY_MODULE],
        cwd=ROOT,
        env={**os.environ, **UNUSABLE},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    modules = imported.stdout.partition("\n")[0]
    # Every module imported (a read at import would stop here), then the build refused.
    assert modules.isdigit(), imported.stderr
    assert int(modules) > 100
    assert imported.returncode != 0
    refusal = imported.stderr.strip().splitlines()[-1]
    assert refusal.startswith("pipeline.settings.SettingsError: "), imported.stderr
    assert "INTAKE_FIRST_DAY='the first of May': Input should be a valid date" in refusal
    assert "INTAKE_INGEST_CRON='every morning': Value error, must be a cron expression" in refusal


def test_the_definitions_take_the_first_day_and_the_schedule_time_when_they_are_built(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("INTAKE_FIRST_DAY", "2026-02-03")
    monkeypatch.setenv("INTAKE_INGEST_CRON", "*/5 * * * *")
    definitions = run.definitions()
    graph = definitions.resolve_asset_graph()
    asset_days = {
        key.to_user_string(): graph.get(key).partitions_def for key in graph.get_all_asset_keys()
    }
    check_days = {key.name: graph.get(key).partitions_def for key in graph.asset_check_keys}
    assert {name for name, days in asset_days.items() if days} == INGESTION_ASSETS
    assert {name for name, days in check_days.items() if days} == INGESTION_CHECKS
    from_february_3 = dg.DailyPartitionsDefinition(start_date="2026-02-03", end_offset=1)
    assert {days for days in [*asset_days.values(), *check_days.values()] if days} == {
        from_february_3
    }
    schedule = definitions.resolve_schedule_def("daily_ingest_schedule")
    assert schedule.cron_schedule == "*/5 * * * *"
    monkeypatch.delenv("INTAKE_FIRST_DAY")
    days = run.definitions().resolve_job_def("ingest_job").partitions_def
    assert days is not None
    assert days.get_first_partition_key() == "2024-01-01"  # the default, read again
