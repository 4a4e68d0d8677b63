"""The settings: every variable the product reads has its documented default, a value that
cannot be used is refused naming the variable and why, and nothing starts with one."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Final

import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from pipeline import run, settings
from pipeline.cli import app

ROOT: Final = Path(__file__).parents[1]
DOCS: Final = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
TABLE_ROW: Final = re.compile(r"^\| ((?:`[A-Z][A-Z0-9_]*`(?:, )?)+) \|.*\| (.+) \|$", re.MULTILINE)
READ_ELSEWHERE: Final = {
    "DASHBOARD_PORT": "Makefile",
    "DASHBOARD_ADDRESS": "Makefile",
    "INTAKE_MAX_CONCURRENT_RUNS": "deploy/dagster.yaml",
    "DAGSTER_PG_URL": "deploy/dagster.yaml",
    "INTAKE_CODE_SERVER_PORT": "deploy/workspace.yaml",
}
"""Documented variables that no Python code reads: `make` and Dagster's own YAML do."""


@pytest.fixture
def clean(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in settings.VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def _documented() -> dict[str, str]:
    """Every variable of a configuration table in the README or docs/, with its default."""
    found: dict[str, str] = {}
    for path in DOCS:
        for names, defaults in TABLE_ROW.findall(path.read_text(encoding="utf-8")):
            variables = re.findall(r"`([A-Z0-9_]+)`", names)
            shown = [a or b for a, b in re.findall(r"`([^`]*)`|(unset)", defaults)]
            if len(shown) != len(variables):  # one default said in words for them all
                shown = [defaults] * len(variables)
            found.update(zip(variables, shown, strict=True))
    return found


def _as_documented(value: Any) -> str:
    if value is None or value is False:
        return "unset"
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def test_every_variable_the_settings_read_is_documented_with_its_default_and_no_other() -> None:
    documented = _documented()
    assert set(documented) == set(settings.VARIABLES) | set(READ_ELSEWHERE)
    defaults = settings.Settings.model_construct()  # the defaults, whatever the environment
    for name, field in settings.Settings.model_fields.items():
        variable = str(field.validation_alias.choices[0])  # type: ignore[union-attr]
        assert documented[variable] == _as_documented(getattr(defaults, name)), variable
    for variable, reader in READ_ELSEWHERE.items():
        assert variable in (ROOT / reader).read_text(encoding="utf-8"), (variable, reader)


def test_with_nothing_set_every_setting_takes_its_default(clean: pytest.MonkeyPatch) -> None:
    configured = settings.current()
    assert configured.database_url.get_secret_value() == "sqlite:///var/intake.db"
    assert configured.landing_dir == Path("var/landing")
    assert configured.first_day == dt.date(2024, 1, 1)
    assert configured.max_quarantine_rate == 0.05
    assert configured.executor == "multiprocess"
    assert configured.behind_proxy is False
    assert configured.cookie_secret is None


def test_blanks_count_as_unset_and_values_are_read_as_typed(clean: pytest.MonkeyPatch) -> None:
    clean.setenv("INTAKE_LANDING_DIR", "   ")
    clean.setenv("DATABASE_URL", "")
    clean.setenv("INTAKE_EXECUTOR", " Celery ")
    clean.setenv("INTAKE_FIRST_DAY", "2026-02-03")
    clean.setenv("DASHBOARD_BEHIND_PROXY", "1")
    clean.setenv("DASHBOARD_LOCKOUT_SECONDS", "2.5")
    configured = settings.current()
    assert configured.landing_dir == settings.DEFAULT_LANDING_DIR
    assert configured.database_url.get_secret_value() == settings.DEFAULT_DATABASE_URL
    assert configured.executor == "celery"
    assert configured.first_day == dt.date(2026, 2, 3)
    assert configured.behind_proxy is True
    assert configured.lockout_seconds == 2.5


def test_a_changed_variable_is_read_again(clean: pytest.MonkeyPatch) -> None:
    clean.setenv("INTAKE_MAX_QUARANTINE_RATE", "0.1")
    assert settings.current().max_quarantine_rate == 0.1
    clean.setenv("INTAKE_MAX_QUARANTINE_RATE", "0.2")
    assert settings.current().max_quarantine_rate == 0.2


@pytest.mark.parametrize(
    ("variable", "value", "why"),
    [
        ("INTAKE_MAX_QUARANTINE_RATE", "abc", "valid number"),
        ("INTAKE_MAX_QUARANTINE_RATE", "1.5", "less than or equal to 1"),
        ("INTAKE_FIRST_DAY", "2024-13-01", "valid date"),
        ("INTAKE_INGEST_CRON", "0 6 * *", "cron expression of five fields"),
        ("INTAKE_INGEST_CRON", "0 25 * * *", "cron expression of five fields"),
        ("INTAKE_FOLLOW_UP_URGENT_HOURS", "0", "greater than 0"),
        ("INTAKE_FOLLOW_UP_EVALUATE_DAYS", "a week", "valid number"),
        ("INTAKE_EXECUTOR", "k8s", "'multiprocess' or 'celery'"),
        ("INTAKE_CELERY_VISIBILITY_TIMEOUT", "-1", "greater than 0"),
        ("DASHBOARD_SESSION_HOURS", "eight", "valid number"),
        ("DASHBOARD_LOCKOUT_USERNAME_FAILURES", "2.5", "valid integer"),
        ("DASHBOARD_BEHIND_PROXY", "yes", "must be 1"),
    ],
)
def test_a_value_that_cannot_be_used_is_refused_naming_the_variable_and_why(
    clean: pytest.MonkeyPatch, variable: str, value: str, why: str
) -> None:
    clean.setenv(variable, value)
    with pytest.raises(settings.SettingsError) as refused:
        settings.current()
    assert str(refused.value).startswith(f"{variable}={value!r}: ")
    assert why in str(refused.value)


def test_every_variable_that_cannot_be_used_is_named_at_once(clean: pytest.MonkeyPatch) -> None:
    clean.setenv("INTAKE_MAX_QUARANTINE_RATE", "abc")
    clean.setenv("DASHBOARD_SESSION_HOURS", "-1")
    with pytest.raises(settings.SettingsError, match=r"INTAKE_MAX_QUARANTINE_RATE.*; DASHBOARD_"):
        settings.current()


def test_a_command_refuses_to_start_with_a_bad_variable_as_a_configuration_fault(
    clean: pytest.MonkeyPatch,
) -> None:
    clean.setenv("INTAKE_MAX_QUARANTINE_RATE", "abc")
    result = CliRunner().invoke(app, ["classify", str(ROOT / "sample_data")])
    assert result.exit_code == 3, result.output
    assert "intake: a setting cannot be used: INTAKE_MAX_QUARANTINE_RATE='abc'" in result.output
    assert "Traceback" not in result.output


def test_help_is_given_whatever_the_settings(clean: pytest.MonkeyPatch) -> None:
    clean.setenv("INTAKE_MAX_QUARANTINE_RATE", "abc")
    assert CliRunner().invoke(app, ["classify", "--help"]).exit_code == 0


def test_the_dashboard_server_does_not_start_with_a_bad_variable() -> None:
    started = subprocess.run(
        [sys.executable, "-c", "import dashboards.server"],
        cwd=ROOT,
        env={**os.environ, "DASHBOARD_SESSION_HOURS": "0"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert started.returncode != 0
    assert "SettingsError: DASHBOARD_SESSION_HOURS='0': Input should be greater than 0" in (
        started.stderr
    )


def test_the_dagster_instance_is_given_its_home_and_the_environment_is_left_alone(
    clean: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    clean.chdir(tmp_path)
    instance = run.dagster_instance()
    assert Path(instance.root_directory) == tmp_path / "var" / "dagster"
    assert "DAGSTER_HOME" not in os.environ
    assert "telemetry" in (tmp_path / "var" / "dagster" / "dagster.yaml").read_text()
