"""What the polling sensors share: they run from the start, on a fixed interval, read the
database, and skip with a line saying so when it is not migrated yet."""

from collections.abc import Callable
from typing import TypeVar

import dagster as dg
from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from pipeline.defs.resources import IntakeDatabase

State = TypeVar("State")
Request = TypeVar("Request", dg.RunRequest, dg.SensorResult)
Decide = Callable[[dg.SensorEvaluationContext, State], Request | dg.SkipReason]


def polling_sensor(
    job: "dg.UnresolvedAssetJobDefinition",  # typed for mypy only: not exported at runtime
    every_seconds: int,
    description: str,
    read: Callable[[Connection], State],
) -> Callable[[Decide[State, Request]], dg.SensorDefinition]:
    """A sensor named after the decorated function, running by default: every `every_seconds`
    it reads `read`'s state from the intake database, then the function decides what to
    request of `job` (or why not)."""

    def sensor_of(decide: Decide[State, Request]) -> dg.SensorDefinition:
        @dg.sensor(
            name=decide.__name__,
            job=job,
            minimum_interval_seconds=every_seconds,
            default_status=dg.DefaultSensorStatus.RUNNING,
            description=description,
        )
        def sensor(
            context: dg.SensorEvaluationContext, database: IntakeDatabase
        ) -> Request | dg.SkipReason:
            try:
                with database.engine.connect() as connection:
                    state = read(connection)
            except DBAPIError as error:
                return dg.SkipReason(f"database not ready (run `intake db upgrade`): {error.orig}")
            return decide(context, state)

        return sensor

    return sensor_of
