"""The code location's executor: Dagster's default unless INTAKE_EXECUTOR=celery, then the
Celery executor with deploy/celery's settings (the ones the workers read). Part of `make test`."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest

from pipeline import run
from pipeline.defs.executor import celery_settings
from pipeline.settings import SettingsError

CELERY_SETTINGS_DIR = Path(__file__).resolve().parents[2] / "deploy" / "celery"


@pytest.fixture
def celery_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    pytest.importorskip("dagster_celery", reason="the `prod` extra (make install)")
    monkeypatch.setenv("INTAKE_EXECUTOR", "celery")
    monkeypatch.setenv("INTAKE_CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setenv("INTAKE_CELERY_BACKEND_URL", "redis://127.0.0.1:1/1")
    monkeypatch.setenv("INTAKE_CELERY_VISIBILITY_TIMEOUT", "123")
    monkeypatch.syspath_prepend(str(CELERY_SETTINGS_DIR))
    sys.modules.pop("dagster_celery_config", None)  # read again with this environment
    yield
    sys.modules.pop("dagster_celery_config", None)


def test_the_jobs_run_on_dagsters_default_executor_unless_told_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("INTAKE_EXECUTOR", raising=False)
    job = run.definitions().resolve_job_def("ingest_job")
    assert job.executor_def.name == dg.multi_or_in_process_executor.name


@pytest.mark.usefixtures("celery_environment")
def test_intake_executor_celery_runs_every_job_on_celery_with_the_workers_settings() -> None:
    definitions = run.definitions()
    for name in ("ingest_job", "reclassify_job", "alerts_job"):
        assert definitions.resolve_job_def(name).executor_def.name == "celery"
    settings = celery_settings()
    assert settings["task_acks_late"] is True
    assert settings["worker_prefetch_multiplier"] == 1
    assert settings["broker_transport_options"]["visibility_timeout"] == 123
    # The URLs come from the environment at run time, never written into run configuration.
    assert "broker_url" not in settings
    assert "result_backend" not in settings


def test_an_unknown_executor_is_refused_naming_the_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTAKE_EXECUTOR", "k8s")
    # Checked before any definition is built: the settings' own error, not a loader's.
    with pytest.raises(SettingsError) as raised:
        run.definitions()
    assert "INTAKE_EXECUTOR='k8s'" in str(raised.value)
    assert "'celery'" in str(raised.value)
