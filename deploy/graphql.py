"""The Dagster webserver's GraphQL API as a script uses it (the production topology's tests
and benchmark): launch backfills and runs, start and stop schedules and sensors, read runs and
their event logs."""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final

LOCATION: Final = "intake"
REPOSITORY: Final = "__repository__"
ACTIVE: Final = ("QUEUED", "NOT_STARTED", "STARTING", "STARTED", "CANCELING")
FINISHED: Final = ("SUCCESS", "FAILURE", "CANCELED")


class GraphQLError(RuntimeError):
    """The API answered with an error (the message says which, with Dagster's own words)."""


@dataclass(frozen=True)
class Run:
    run_id: str
    status: str
    job_name: str
    tags: dict[str, str]


@dataclass(frozen=True)
class Dagster:
    url: str

    def query(self, text: str, **variables: Any) -> dict[str, Any]:
        request = urllib.request.Request(  # noqa: S310 (the webserver's http URL)
            f"{self.url}/graphql",
            data=json.dumps({"query": text, "variables": variables}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (http URL)
            answer: dict[str, Any] = json.loads(response.read())
        if answer.get("errors"):
            raise GraphQLError(str(answer["errors"]))
        data: dict[str, Any] = answer["data"]
        return data

    def _result(self, data: dict[str, Any], field: str, ok: str) -> dict[str, Any]:
        result: dict[str, Any] = data[field]
        if result["__typename"] != ok:
            raise GraphQLError(f"{field}: {result}")
        return result

    def launch_backfill(self, assets: Sequence[str], partitions: Sequence[str]) -> str:
        """An asset backfill, which the daemon's backfill daemon carries out."""
        data = self.query(
            """mutation($p: LaunchBackfillParams!) { launchPartitionBackfill(backfillParams: $p) {
                __typename ... on LaunchBackfillSuccess { backfillId }
                ... on PythonError { message } } }""",
            p={
                "partitionNames": list(partitions),
                "assetSelection": [{"path": [a]} for a in assets],
            },
        )
        backfill_id: str = self._result(data, "launchPartitionBackfill", "LaunchBackfillSuccess")[
            "backfillId"
        ]
        return backfill_id

    def backfill_status(self, backfill_id: str) -> str:
        data = self.query(
            """query($id: String!) { partitionBackfillOrError(backfillId: $id) {
                __typename ... on PartitionBackfill { status } } }""",
            id=backfill_id,
        )
        status: str = self._result(data, "partitionBackfillOrError", "PartitionBackfill")["status"]
        return status

    def launch_run(self, job: str, tags: dict[str, str]) -> str:
        """Submit a run of `job`; the queued run coordinator queues it for the daemon."""
        data = self.query(
            """mutation($p: ExecutionParams!) { launchRun(executionParams: $p) {
                __typename ... on LaunchRunSuccess { run { runId } }
                ... on PythonError { message }
                ... on RunConfigValidationInvalid { errors { message } }
                } }""",
            p={
                "selector": {
                    "repositoryLocationName": LOCATION,
                    "repositoryName": REPOSITORY,
                    "jobName": job,
                },
                "runConfigData": {},
                "executionMetadata": {"tags": [{"key": k, "value": v} for k, v in tags.items()]},
            },
        )
        run_id: str = self._result(data, "launchRun", "LaunchRunSuccess")["run"]["runId"]
        return run_id

    def runs(self, **run_filter: Any) -> list[Run]:
        """Runs matching a RunsFilter (runIds, tags as {key: value}, statuses)."""
        if "tags" in run_filter:
            run_filter["tags"] = [{"key": k, "value": v} for k, v in run_filter["tags"].items()]
        data = self.query(
            """query($f: RunsFilter) { runsOrError(filter: $f) { __typename ... on Runs {
                results { runId status jobName tags { key value } } } } }""",
            f=run_filter,
        )
        return [
            Run(r["runId"], r["status"], r["jobName"], {t["key"]: t["value"] for t in r["tags"]})
            for r in self._result(data, "runsOrError", "Runs")["results"]
        ]

    def events(self, run_id: str) -> list[dict[str, Any]]:
        """The run's event log: each event's type, message, step and text metadata."""
        data = self.query(
            """query($id: ID!) { logsForRun(runId: $id) { __typename ... on EventConnection {
                events { __typename ... on MessageEvent { message stepKey }
                ... on EngineEvent { metadataEntries { label ... on TextMetadataEntry { text } } }
                } } } }""",
            id=run_id,
        )
        events: list[dict[str, Any]] = self._result(data, "logsForRun", "EventConnection")["events"]
        return events

    def step_workers(self, run_id: str) -> dict[str, set[str]]:
        """Which Celery worker ran each step, as the event log says (dagster_celery's
        'Executing steps ... in celery worker' event names the worker)."""
        workers: dict[str, set[str]] = {}
        for event in self.events(run_id):
            for entry in event.get("metadataEntries") or []:
                if entry["label"] == "Celery worker":
                    workers.setdefault(event["stepKey"], set()).add(entry["text"])
        return workers

    def set_instigator(self, kind: str, name: str, *, running: bool) -> None:
        """Start or stop a schedule (`kind` "schedule") or a sensor ("sensor")."""
        selector = {"repositoryLocationName": LOCATION, "repositoryName": REPOSITORY}
        if kind == "schedule":
            selector["scheduleName"] = name
            state = self.query(
                "query($s: ScheduleSelector!) { scheduleOrError(scheduleSelector: $s) {"
                " __typename ... on Schedule { id scheduleState { status } } } }",
                s=selector,
            )
            schedule = self._result(state, "scheduleOrError", "Schedule")
            if (schedule["scheduleState"]["status"] == "RUNNING") == running:
                return
            if running:
                self.query(
                    "mutation($s: ScheduleSelector!) { startSchedule(scheduleSelector: $s) {"
                    " __typename } }",
                    s=selector,
                )
            else:
                self.query(
                    "mutation($id: String!) { stopRunningSchedule(id: $id) { __typename } }",
                    id=schedule["id"],
                )
            return
        selector["sensorName"] = name
        state = self.query(
            "query($s: SensorSelector!) { sensorOrError(sensorSelector: $s) {"
            " __typename ... on Sensor { id sensorState { status } } } }",
            s=selector,
        )
        sensor = self._result(state, "sensorOrError", "Sensor")
        if (sensor["sensorState"]["status"] == "RUNNING") == running:
            return
        if running:
            self.query(
                "mutation($s: SensorSelector!) { startSensor(sensorSelector: $s) { __typename } }",
                s=selector,
            )
        else:
            self.query(
                "mutation($id: String!) { stopSensor(id: $id) { __typename } }", id=sensor["id"]
            )


def wait_for(what: str, condition: Callable[[], Any], timeout: float, every: float = 1) -> Any:
    """Poll until `condition()` is truthy and return it; fail naming `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)
