"""What `intake bench` shows: the row being measured on a terminal, then the printed report."""

from __future__ import annotations

import os
import platform

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from benchmarks.intake_bench.report import ROWS, Ratios, format_table
from benchmarks.intake_bench.runner import BenchResult


class BenchProgress:
    """The benchmark's progress on a terminal: the row being measured, rows done of all, and
    the time so far. Fed by the runner's progress messages ("measuring NAME")."""

    def __init__(self, console: Console) -> None:
        self.labels = dict(ROWS)
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self.task = self.progress.add_task("starting", total=len(ROWS))
        self.measuring: str | None = None

    def __enter__(self) -> BenchProgress:
        self.progress.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.progress.stop()

    def __call__(self, message: str) -> None:
        name = message.removeprefix("measuring ")
        if self.measuring is not None:
            self.progress.advance(self.task)
        if name in self.labels:
            self.measuring = name
            message = f"measuring: {self.labels[name]}"
        self.progress.update(self.task, description=message)


def describe(result: BenchResult) -> list[str]:
    """The printed report: what was measured and where, the table, the ratios."""
    config = result.config
    before, after = result.load_average
    return [
        f"intake bench: {config.records:,} records in {result.files:,} files "
        f"({config.days} days, {config.clinics} clinics), database {config.database.value}",
        f"machine: {os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}; load average {before:.1f} before, {after:.1f} after",
        f"generated in {result.generate_seconds:.1f} s (not part of any figure)",
        "",
        *format_table(result.measurements),
        "",
        *Ratios.of(result.measurements, config.database.value).lines(),
        "",
        *(
            f"{label}: {m.detail}"
            for task, label in (
                ("raw_load", "raw bulk load"),
                ("naive", "naive ORM"),
                ("floor", "floor"),
                ("dlt", "dlt merge load"),
            )
            if (m := result.measurements.get(task)) is not None
        ),
        "peak MiB: VmHWM of the fresh process that ran the row (Python and libraries "
        "included; a database server's own memory is not)",
    ]
