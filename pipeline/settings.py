"""Every environment variable the product reads (pipeline, database and dashboard), typed and
with its default, in one pydantic-settings object; `current()` reads and checks them."""

from __future__ import annotations

import datetime as dt
import functools
import os
from pathlib import Path
from typing import Annotated, Any, Final, Literal

from croniter import croniter
from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_core import PydanticUseDefault
from pydantic_settings import BaseSettings, SettingsConfigDict

DATABASE_URL_ENV: Final = "DATABASE_URL"
DEFAULT_DATABASE_URL: Final = "sqlite:///var/intake.db"
LANDING_DIR_ENV: Final = "INTAKE_LANDING_DIR"
DEFAULT_LANDING_DIR: Final = Path("var/landing")
DEFAULT_DAGSTER_HOME: Final = Path("var/dagster")
ALERTS_CONFIG_ENV: Final = "INTAKE_ALERTS_CONFIG"
DEFAULT_ALERTS_CONFIG: Final = Path("var/alerts.yml")
DASHBOARD_URL_ENV: Final = "INTAKE_DASHBOARD_URL"
DEFAULT_DASHBOARD_URL: Final = "http://localhost:8501"
WORKLIST_PATH: Final = "follow_up"
MORNING_CRON: Final = "0 6 * * *"
"""06:00 UTC every day."""
DEFAULT_SESSION_HOURS: Final = 8.0


def _env(name: str) -> Any:
    # The variable's exact name, case and all, as `os.environ` has always been read here.
    return Field(validation_alias=AliasChoices(name))


class SettingsError(ValueError):
    """A variable whose value cannot be used; the message names each variable and why."""


class Settings(BaseSettings):
    """The product's configuration. Unset or blank variables take their default."""

    model_config = SettingsConfigDict(
        case_sensitive=True, env_ignore_empty=True, frozen=True, extra="ignore"
    )

    # The database (db.engine)
    database_url: Annotated[SecretStr, _env(DATABASE_URL_ENV)] = SecretStr(DEFAULT_DATABASE_URL)
    # The pipeline
    landing_dir: Annotated[Path, _env(LANDING_DIR_ENV)] = DEFAULT_LANDING_DIR
    dagster_home: Annotated[Path, _env("DAGSTER_HOME")] = DEFAULT_DAGSTER_HOME
    first_day: Annotated[dt.date, _env("INTAKE_FIRST_DAY")] = dt.date(2024, 1, 1)
    ingest_cron: Annotated[str, _env("INTAKE_INGEST_CRON")] = MORNING_CRON
    max_quarantine_rate: Annotated[float, _env("INTAKE_MAX_QUARANTINE_RATE"), Field(ge=0, le=1)] = (
        0.05
    )
    follow_up_urgent_hours: Annotated[float, _env("INTAKE_FOLLOW_UP_URGENT_HOURS"), Field(gt=0)] = (
        24.0
    )
    follow_up_evaluate_days: Annotated[
        float, _env("INTAKE_FOLLOW_UP_EVALUATE_DAYS"), Field(gt=0)
    ] = 7.0
    alerts_config: Annotated[Path, _env(ALERTS_CONFIG_ENV)] = DEFAULT_ALERTS_CONFIG
    dashboard_url: Annotated[str, _env(DASHBOARD_URL_ENV)] = DEFAULT_DASHBOARD_URL
    fault_point: Annotated[str | None, _env("INTAKE_FAULT_POINT")] = None
    # The executor (pipeline.defs.executor) and the Celery settings of deploy/celery
    executor: Annotated[Literal["multiprocess", "celery"], _env("INTAKE_EXECUTOR")] = "multiprocess"
    celery_settings: Annotated[str, _env("INTAKE_CELERY_SETTINGS")] = "dagster_celery_config"
    celery_broker_url: Annotated[SecretStr | None, _env("INTAKE_CELERY_BROKER_URL")] = None
    celery_backend_url: Annotated[SecretStr | None, _env("INTAKE_CELERY_BACKEND_URL")] = None
    celery_visibility_timeout: Annotated[
        int, _env("INTAKE_CELERY_VISIBILITY_TIMEOUT"), Field(gt=0)
    ] = 7200
    celery_restore_interval: Annotated[int, _env("INTAKE_CELERY_RESTORE_INTERVAL"), Field(gt=0)] = (
        10
    )
    # The dashboard (dashboards.cookies, dashboards.settings, dashboards.session)
    cookie_secret: Annotated[SecretStr | None, _env("DASHBOARD_COOKIE_SECRET")] = None
    session_hours: Annotated[float, _env("DASHBOARD_SESSION_HOURS"), Field(gt=0)] = (
        DEFAULT_SESSION_HOURS
    )
    lockout_username_failures: Annotated[
        int, _env("DASHBOARD_LOCKOUT_USERNAME_FAILURES"), Field(gt=0)
    ] = 10
    lockout_address_failures: Annotated[
        int, _env("DASHBOARD_LOCKOUT_ADDRESS_FAILURES"), Field(gt=0)
    ] = 30
    lockout_seconds: Annotated[float, _env("DASHBOARD_LOCKOUT_SECONDS"), Field(gt=0)] = 900.0
    behind_proxy: Annotated[bool, _env("DASHBOARD_BEHIND_PROXY")] = False

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        """Surrounding blanks are dropped; a value of blanks only counts as unset (the empty
        string itself is dropped by `env_ignore_empty`)."""
        if isinstance(value, str):
            value = value.strip()
            if not value:
                raise PydanticUseDefault
        return value

    @field_validator("executor", mode="before")
    @classmethod
    def _executor_any_case(cls, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value

    @field_validator("ingest_cron")
    @classmethod
    def _five_field_cron(cls, value: str) -> str:
        # Dagster's schedules take minute, hour, day, month and weekday (no seconds field).
        if len(value.split()) != 5 or not croniter.is_valid(value):
            raise ValueError(
                "must be a cron expression of five fields (minute hour day month weekday)"
            )
        return value

    @field_validator("behind_proxy", mode="before")
    @classmethod
    def _one_or_nothing(cls, value: Any) -> Any:
        # `1` has always been the only value that trusts the proxy's header; anything else
        # but `0` is refused rather than read as a yes or a no.
        if value in ("1", "0"):
            return value == "1"
        if isinstance(value, str):
            raise ValueError("must be 1 (behind the reverse proxy) or 0")
        return value


VARIABLES: Final = tuple(
    alias
    for field in Settings.model_fields.values()
    if isinstance(field.validation_alias, AliasChoices)
    for alias in field.validation_alias.choices
    if isinstance(alias, str)
)
"""Every variable the settings read, by name."""
SECRET_VARIABLES: Final = frozenset(
    {"DATABASE_URL", "DASHBOARD_COOKIE_SECRET", "INTAKE_CELERY_BROKER_URL"}
    | {"INTAKE_CELERY_BACKEND_URL"}
)
"""Variables whose values may hold a password: an error never repeats them."""


def current() -> Settings:
    """The settings the environment gives now. Checked on first use of each environment (and
    again when a test or a deployment changes a variable); raises `SettingsError`."""
    snapshot = tuple((name, os.environ.get(name)) for name in VARIABLES)
    return _settings_of(snapshot)


@functools.lru_cache(maxsize=8)
def _settings_of(snapshot: tuple[tuple[str, str | None], ...]) -> Settings:
    del snapshot  # the cache key: the settings themselves are read from the environment
    try:
        return Settings()
    except ValidationError as error:
        raise SettingsError(_explain(error)) from None


def _explain(error: ValidationError) -> str:
    problems = []
    for problem in error.errors(include_url=False):
        name = str(problem["loc"][0]) if problem["loc"] else "?"
        shown = "" if name in SECRET_VARIABLES else f"={problem.get('input')!r}"
        problems.append(f"{name}{shown}: {problem['msg']}")
    return "; ".join(problems)


def landing_dir(override: Path | None = None) -> Path:
    """The directory intake files land in: `override`, else `INTAKE_LANDING_DIR`, else the default.

    The generator writes there and ingestion reads from there, so both agree without being told.
    """
    return override if override is not None else current().landing_dir


def alerts_config(override: Path | None = None) -> Path:
    """The alert channels' Apprise configuration file: `override`, else `INTAKE_ALERTS_CONFIG`,
    else the default. A missing file means no channel is configured."""
    return override if override is not None else current().alerts_config


def worklist_url(dashboard: str | None = None) -> str:
    """The red-flag worklist's address, for alerts: under `dashboard`, else
    `INTAKE_DASHBOARD_URL`, else the default."""
    base = dashboard or current().dashboard_url
    return f"{base.rstrip('/')}/{WORKLIST_PATH}"
