"""Run the ingestion job in-process through Dagster, for a range of intake days: the same job,
assets and checks the Dagster UI runs, recorded in the instance at DAGSTER_HOME (`var/dagster`)."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dagster as dg
from sqlalchemy.exc import SQLAlchemyError

from pipeline import settings
from pipeline.defs.ingest.sensors import RANGE_END_TAG, RANGE_START_TAG, record_failure
from pipeline.defs.resources import IntakeDatabase
from pipeline.load import landing

logger = logging.getLogger(__name__)


def dagster_instance() -> dg.DagsterInstance:
    """The Dagster instance at DAGSTER_HOME, which defaults to `var/dagster`. A new instance
    gets a `dagster.yaml` with telemetry off: clinical deployments send nothing out. The home
    is given to the instance, not put into this process's environment."""
    home = settings.current().dagster_home.resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text("telemetry:\n  enabled: false\n")
    return dg.DagsterInstance.from_config(str(home))


def definitions() -> dg.Definitions:
    """The project's Dagster definitions, as `dg` and the UI load them: built now, reading the
    settings now (no module reads any when imported). Raises `SettingsError` naming every
    variable that cannot be used."""
    settings.current()  # checked whole first, so the error names each variable at once
    return dg.load_from_defs_folder(path_within_project=Path(__file__).parent)


def landing_days(landing_dir: Path) -> tuple[dt.date, dt.date] | None:
    """The first and last sending day of the intake files in the landing directory."""
    days = sorted(d for p in landing.intake_files(landing_dir) if (d := landing.landing_date_of(p)))
    return (days[0], days[-1]) if days else None


def run_alerts(
    *,
    database_url: str | None = None,
    alerts_config: Path | None = None,
    instance: dg.DagsterInstance | None = None,
) -> dg.ExecuteInProcessResult:
    """One round of alerts in-process (the alerts job), as the daemon's sensor starts it after
    a run; `intake run` has no daemon, so it calls this after the ingestion job."""
    resources = _resources(None, database_url)
    if alerts_config is not None:
        resources["alert_channels"] = {"config": {"config_path": str(alerts_config)}}
    job = definitions().resolve_job_def("alerts_job")
    return job.execute_in_process(
        run_config={"resources": resources},
        instance=instance or dagster_instance(),
        raise_on_error=False,
    )


def ingest_job() -> dg.JobDefinition:
    """The ingestion job, as code that a fresh process can load again (`reconstructable`)."""
    return definitions().resolve_job_def("ingest_job")


def run_days_multiprocess(
    first: dt.date,
    last: dt.date,
    *,
    landing_dir: Path | None = None,
    database_url: str | None = None,
    max_concurrent: int = 2,
    on_event: Callable[[dg.EventLogEntry], None] | None = None,
) -> tuple[bool, str]:
    """Run the ingestion job for `first` to `last` on Dagster's multiprocess executor: every
    step in its own process, handing data on only through the database and the landing store.
    Recorded in the instance at DAGSTER_HOME. Returns whether the run succeeded, and its id.
    `on_event` is given the run's recorded events once it is over (the steps' processes record
    them, not this one)."""
    instance = dagster_instance()
    with dg.execute_job(
        dg.reconstructable(ingest_job),
        instance=instance,
        tags={RANGE_START_TAG: first.isoformat(), RANGE_END_TAG: last.isoformat()},
        run_config={
            "execution": {"config": {"multiprocess": {"max_concurrent": max_concurrent}}},
            "resources": _resources(landing_dir, database_url),
            "loggers": {"console": {"config": {"log_level": "WARNING"}}},
        },
    ) as result:
        if on_event is not None:
            for entry in instance.all_logs(result.run_id):
                on_event(entry)
        return result.success, result.run_id


def _resources(landing_dir: Path | None, database_url: str | None) -> dict[str, Any]:
    resources: dict[str, Any] = {}
    if landing_dir is not None:
        resources["landing_store"] = {"config": {"directory": str(landing_dir)}}
    if database_url is not None:
        resources["database"] = {"config": {"url": database_url}}
    return resources


def run_days(
    first: dt.date,
    last: dt.date,
    *,
    landing_dir: Path | None = None,
    database_url: str | None = None,
    instance: dg.DagsterInstance | None = None,
    log_level: str = "WARNING",
    on_event: Callable[[dg.EventLogEntry], None] | None = None,
) -> dg.ExecuteInProcessResult:
    """Materialize every ingestion asset and check for the days `first` to `last`, in one run.
    `on_event` is given each of the run's events as Dagster records it (for progress)."""
    resources = _resources(landing_dir, database_url)
    loggers = {"console": {"config": {"log_level": log_level}}}
    job = ingest_job()
    instance = instance or dagster_instance()
    run_id = str(uuid.uuid4())  # known before the run starts, to listen to its events
    if on_event is not None:
        instance.add_event_listener(run_id, on_event)
    result = job.execute_in_process(
        run_config={"resources": resources, "loggers": loggers},
        instance=instance,
        tags={RANGE_START_TAG: first.isoformat(), RANGE_END_TAG: last.isoformat()},
        raise_on_error=False,
        run_id=run_id,
    )
    if not result.success:
        # In-process runs have no daemon to run the failure sensor: record the failure here.
        failures = [e.message or "" for e in result.all_events if e.is_failure]
        try:
            record_failure(
                IntakeDatabase(url=database_url or ""),
                result.dagster_run,
                failures[0] if failures else "failed",
            )
        except SQLAlchemyError as error:  # the database may be why the run failed
            logger.warning("the failed run %s was not recorded: %s", result.run_id, error)
    return result
