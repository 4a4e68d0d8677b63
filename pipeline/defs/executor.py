"""The executor the jobs' steps run on: Dagster's default (every step in its own process) here,
the Celery executor of deploy/ when INTAKE_EXECUTOR=celery (docs/deploy.md)."""

import importlib
from typing import Any, Final

import dagster as dg

from pipeline import settings

BROKER_ENV: Final = "INTAKE_CELERY_BROKER_URL"
BACKEND_ENV: Final = "INTAKE_CELERY_BACKEND_URL"
SETTING_TYPES: Final = (bool, int, float, str, dict, list, tuple)


def celery_settings() -> dict[str, Any]:
    """Celery's lowercase settings from the settings module, less the broker and backend (their
    URLs are Dagster's `env` config, read where a step runs, so no credential is written into a
    run's configuration)."""
    # INTAKE_CELERY_SETTINGS: the module the workers load too (deploy/celery/, on PYTHONPATH).
    module = importlib.import_module(settings.current().celery_settings)
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
    if settings.current().executor == "multiprocess":  # INTAKE_EXECUTOR, checked
        return dg.Definitions()
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
