"""Product-wide settings read from the environment, each with its documented default."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

LANDING_DIR_ENV: Final = "INTAKE_LANDING_DIR"
"""Environment variable naming the landing directory clinics' intake files arrive in."""

DEFAULT_LANDING_DIR: Final = Path("var/landing")
"""The landing directory when neither an override nor `INTAKE_LANDING_DIR` is given."""


def landing_dir(override: Path | None = None) -> Path:
    """The directory intake files land in: `override`, else `INTAKE_LANDING_DIR`, else the default.

    The generator writes there and ingestion reads from there, so both agree without being told.
    """
    if override is not None:
        return override
    from_env = os.environ.get(LANDING_DIR_ENV, "").strip()
    return Path(from_env) if from_env else DEFAULT_LANDING_DIR


ALERTS_CONFIG_ENV: Final = "INTAKE_ALERTS_CONFIG"
"""Environment variable naming the Apprise configuration file of the clinics' alert channels."""
DEFAULT_ALERTS_CONFIG: Final = Path("var/alerts.yml")
DASHBOARD_URL_ENV: Final = "INTAKE_DASHBOARD_URL"
"""Environment variable with the dashboard's address as its users reach it (for alert links)."""
DEFAULT_DASHBOARD_URL: Final = "http://localhost:8501"
WORKLIST_PATH: Final = "follow_up"


def alerts_config(override: Path | None = None) -> Path:
    """The alert channels' Apprise configuration file: `override`, else `INTAKE_ALERTS_CONFIG`,
    else the default. A missing file means no channel is configured."""
    if override is not None:
        return override
    from_env = os.environ.get(ALERTS_CONFIG_ENV, "").strip()
    return Path(from_env) if from_env else DEFAULT_ALERTS_CONFIG


def worklist_url(dashboard: str | None = None) -> str:
    """The red-flag worklist's address, for alerts: under `dashboard`, else
    `INTAKE_DASHBOARD_URL`, else the default."""
    base = dashboard or os.environ.get(DASHBOARD_URL_ENV, "").strip() or DEFAULT_DASHBOARD_URL
    return f"{base.rstrip('/')}/{WORKLIST_PATH}"
