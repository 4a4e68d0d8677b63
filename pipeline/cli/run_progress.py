"""What `intake run` learns from its Dagster run's own events as they are recorded: each
stage's start, its days, records and rate when it ends, the checks' verdicts. `RunEvents` keeps
them (for the summary); `RunProgress` shows them live with rich, on a terminal only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Final

import dagster as dg
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

STAGES: Final = {
    "landed_files": ("land", ("files_new",), "files"),
    "load": ("validate, load and classify", ("records_in",), "records"),
    "daily_case_counts": ("aggregate", ("dagster/row_count",), "count rows"),
}
"""Each ingestion step: its name for people, the metadata that counts its work, and the unit.
The `load` step materializes validated_records, intake_cases and case_classifications."""

RUN_COUNTS: Final = {
    "files": ("landed_files", "files_new"),
    "records_in": ("load", "records_in"),
    "loaded": ("load", "records_loaded"),
    "unchanged": ("load", "records_unchanged"),
    "corrected": ("load", "records_corrected"),
    "quarantined": ("load", "records_quarantined"),
}
"""The run's own counts (`intake run --json`'s "this_run"): where each is in the step results."""


@dataclass
class Stage:
    """One step of the run as its events describe it."""

    name: str
    started: float | None = None
    seconds: float | None = None
    failed: bool = False
    days: set[str] = field(default_factory=set)
    metadata: dict[str, object] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return STAGES[self.name][0]

    @property
    def work(self) -> int:
        return sum(int(self.metadata.get(key, 0) or 0) for key in STAGES[self.name][1])  # type: ignore[call-overload]

    def describe(self) -> str:
        """'42 days, 1,000,000 records, 81,300 records/s' once finished."""
        unit = STAGES[self.name][2]
        days = f"{len(self.days)} day{'s' if len(self.days) != 1 else ''}"
        if self.failed:
            return f"{days}: failed"
        if self.seconds is None:
            return "running"
        rate = f", {self.work / self.seconds:,.0f} {unit}/s" if self.seconds > 0 else ""
        return f"{days}, {self.work:,} {unit}{rate}"


class RunEvents:
    """The run's events, kept as they arrive: call it with each `EventLogEntry`."""

    def __init__(self) -> None:
        self.stages = {name: Stage(name) for name in STAGES}
        self.checks: dict[str, bool] = {}
        self.failures: list[str] = []

    def __call__(self, entry: dg.EventLogEntry) -> None:
        event = entry.dagster_event
        if event is None:
            return
        stage = self.stages.get(event.step_key or "")
        kind = event.event_type
        if kind == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.event_specific_data
            self.checks[evaluation.check_name] = bool(evaluation.passed)  # type: ignore[union-attr]
        elif kind == dg.DagsterEventType.STEP_FAILURE:
            self.failures.append(f"{event.step_key}: {_one_line(event)}")
            if stage is not None:
                stage.failed = True
        elif stage is None:
            return
        elif kind == dg.DagsterEventType.STEP_START:
            stage.started = entry.timestamp
        elif kind == dg.DagsterEventType.ASSET_MATERIALIZATION:
            materialization = event.event_specific_data.materialization  # type: ignore[union-attr]
            stage.days.add(str(materialization.partition))
            # A range's step reports the same totals for each of its days: keep them once. A
            # step materializing several assets adds each one's (the first row count stays).
            values = {k: v.value for k, v in materialization.metadata.items()}
            stage.metadata = values | stage.metadata if stage.metadata else values
        elif kind == dg.DagsterEventType.STEP_SUCCESS:
            stage.seconds = event.event_specific_data.duration_ms / 1000  # type: ignore[union-attr]

    def run_counts(self) -> dict[str, int]:
        """Files and records this run took in, loaded, found unchanged, corrected, quarantined."""
        return {
            key: int(self.stages[step].metadata.get(name, 0) or 0)  # type: ignore[call-overload]
            for key, (step, name) in RUN_COUNTS.items()
        }


def _one_line(event: dg.DagsterEvent) -> str:
    """The first line of what went wrong: the innermost cause, not Dagster's wrapper of it."""
    error = getattr(event.event_specific_data, "error", None)
    while error is not None and getattr(error, "cause", None) is not None:
        error = error.cause
    message = (getattr(error, "message", None) or event.message or "failed").strip()
    return message.splitlines()[0] if message else "failed"


class RunProgress(RunEvents):
    """`RunEvents` that also shows each stage live: spinner and time while it runs, then its
    days, its work and its rate."""

    def __init__(self, console: Console, first: dt.date, last: dt.date) -> None:
        super().__init__()
        self.progress = Progress(
            SpinnerColumn(finished_text="[green]done"),
            TextColumn("{task.description:<10}"),
            TextColumn("{task.fields[detail]}"),
            TimeElapsedColumn(),
            console=console,
        )
        days = (last - first).days + 1
        self.progress.console.print(f"Days {first} to {last} ({days} days):", highlight=False)
        self.tasks: dict[str, TaskID] = {
            name: self.progress.add_task(stage.label, total=1, start=False, detail="[dim]waiting")
            for name, stage in self.stages.items()
        }

    def __enter__(self) -> RunProgress:
        self.progress.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.progress.stop()

    def __call__(self, entry: dg.EventLogEntry) -> None:
        super().__call__(entry)
        event = entry.dagster_event
        if event is None or event.step_key not in self.tasks:
            return
        stage, task = self.stages[event.step_key], self.tasks[event.step_key]
        if event.event_type == dg.DagsterEventType.STEP_START:
            self.progress.start_task(task)
        if stage.failed:
            self.progress.update(task, detail=f"[red]{stage.describe()}")
            self.progress.stop_task(task)
        elif stage.seconds is not None:
            self.progress.update(task, completed=1, detail=stage.describe())
        elif stage.started is not None:
            self.progress.update(task, detail=f"{stage.describe()}")
