"""The executor the jobs' steps run on: Dagster's default (every step in its own process) here,
the Celery executor of deploy/ when INTAKE_EXECUTOR=celery (docs/deploy.md)."""

import importlib
import os
from typing import Any, Final

import dagster as dg

EXECUTOR_ENV: Final = "INTAKE_EXECUTOR"
CELERY_SETTINGS_ENV: Final = "INTAKE_CELERY_SETTINGS"
DEFAULT_CELERY_SETTINGS: Final = "dagster_celery_config"
"""The module of Celery settings the workers load too (deploy/celery/, on PYTHONPATH)."""
BROKER_ENV: Final = "INTAKE_CELERY_BROKER_URL"
BACKEND_ENV: Final = "INTAKE_CELERY_BACKEND_URL"
SETTING_TYPES: Final = (bool, int, float, str, dict, list, tuple)


def celery_settings() -> dict[str, Any]:
    """Celery's lowercase settings from the settings module, less the broker and backend (their
    URLs come from the environment, so no credential is written into a run's configuration)."""
    module = importlib.import_module(os.environ.get(CELERY_SETTINGS_ENV, DEFAULT_CELERY_SETTINGS))
    return {
        name: value
        for name, value in vars(module).items()
        if name.islower()
        and not name.startswith("_")
        and isinstance(value, SETTING_TYPES)  # settings, not the modules it imports
        and name not in ("broker_url", "result_backend")
    }


@dg.definitions
def executor() -> dg.Definitions:
    choice = os.environ.get(EXECUTOR_ENV, "").strip().lower()
    if choice in ("", "multiprocess"):
        return dg.Definitions()
    if choice != "celery":
        msg = f"{EXECUTOR_ENV}={choice!r}: the executors are 'multiprocess' (default), 'celery'"
        raise ValueError(msg)
    from dagster_celery import celery_executor  # the `prod` extra: only where it is chosen

    configured = celery_executor.configured(
        {
            "broker": {"env": BROKER_ENV},
            "backend": {"env": BACKEND_ENV},
            "config_source": celery_settings(),
        },
        name="celery",
    )
    return dg.Definitions(executor=configured)
