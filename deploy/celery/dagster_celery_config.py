"""Celery settings of the production topology, read by every Celery worker (dagster_celery's
app imports this module by name: deploy/celery is on its PYTHONPATH) and by the runs' Celery
executor (pipeline/defs/executor.py), so both sides agree. docs/deploy.md explains each."""

from pydantic import SecretStr

from pipeline.settings import SettingsError, current

_settings = current()


def _required(url: SecretStr | None, variable: str) -> str:
    if url is None:
        raise SettingsError(f"{variable} is not set: the Celery workers need it")
    return url.get_secret_value()


# The broker and results: redis://127.0.0.1:6379/0 and .../1 in deploy/systemd/intake.env.
broker_url = _required(_settings.celery_broker_url, "INTAKE_CELERY_BROKER_URL")
result_backend = _required(_settings.celery_backend_url, "INTAKE_CELERY_BACKEND_URL")

# A step's message is acknowledged when the step is over, not when a worker takes it: a worker
# that dies mid-step (SIGKILL, OOM, a lost host) leaves it unacknowledged, and Redis gives it
# to another worker once `visibility_timeout` has passed. Steps are idempotent (each day's
# write is one transaction; running a day again changes nothing), so running one again is
# safe. The timeout must be longer than the longest step, or a slow step still running is
# given to a second worker too (it then waits for the first one's locks and changes nothing).
task_acks_late = True
task_reject_on_worker_lost = True
# One step at a time per worker process, none held back for later: a free worker takes the
# next step, so the steps of a run spread over the workers.
worker_prefetch_multiplier = 1
broker_transport_options = {
    "visibility_timeout": _settings.celery_visibility_timeout,  # INTAKE_CELERY_VISIBILITY_TIMEOUT
    # How often a worker looks for messages a dead worker left (seconds; a scan every time).
    "unacked_restore_interval": _settings.celery_restore_interval,  # ..._RESTORE_INTERVAL
    "unacked_restore_throttle": 1,
    "max_retries": 3,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
result_expires = 86400  # a day: results are read by the run that sent the step, within seconds
worker_send_task_events = True
task_send_sent_event = True
