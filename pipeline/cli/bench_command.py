"""`intake bench`: measure the pipeline against the database driver's raw bulk load of the
same rows and against the naive ORM approach, and print the table."""

from __future__ import annotations

import os
import platform
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from db.engine import make_engine
from pipeline.bench.databases import DatabaseKind
from pipeline.bench.report import ROWS, Ratios, format_table
from pipeline.bench.runner import BenchConfig, BenchResult, run_benchmark
from pipeline.cli.terminal import wants_progress
from pipeline.generate import MAX_RECORDS


def bench(
    *,
    records: Annotated[
        int, typer.Option(min=1, max=MAX_RECORDS, help="Records to generate and ingest.")
    ] = 1_000_000,
    db: Annotated[DatabaseKind, typer.Option(help="The database to measure.")] = (
        DatabaseKind.SQLITE
    ),
    days: Annotated[int, typer.Option(min=1, help="Days of intake the records spread over.")] = 30,
    clinics: Annotated[int, typer.Option(min=1, max=99, help="Clinics sending files.")] = 5,
    naive_rows: Annotated[
        int, typer.Option(min=1, help="Cases the naive ORM approach loads (then scaled).")
    ] = 20_000,
    postgres_url: Annotated[
        str | None,
        typer.Option(
            help="A PostgreSQL server whose user may create databases; default: start a "
            "throwaway server from the machine's PostgreSQL binaries."
        ),
    ] = None,
    work_dir: Annotated[
        Path | None,
        typer.Option(help="Keep the generated files and SQLite databases here (default: temp)."),
    ] = None,
) -> None:
    """Generate intake records, then time each stage of the pipeline, the whole pipeline
    through Dagster (and its re-run on unchanged files), the driver's raw bulk load of the same
    rows and the naive ORM approach, each in a fresh process; print seconds, rows per second,
    peak memory and the ratios. On a terminal it shows which row it is measuring."""
    config = BenchConfig(
        records=records,
        database=db,
        days=days,
        clinics=clinics,
        naive_rows=naive_rows,
        postgres_url=postgres_url,
        work_dir=work_dir,
    )
    if postgres_url is not None:  # a server that cannot be used: say so before generating
        with make_engine(postgres_url).connect():
            pass
    console = Console(stderr=True)
    view = BenchProgress(console) if wants_progress(console) else None
    with view or nullcontext():
        result = run_benchmark(config, progress=view or (lambda _: None))
    for line in describe(result):
        typer.echo(line)


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
