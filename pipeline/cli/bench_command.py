"""`intake bench`: measure the pipeline against the database driver's raw bulk load of the
same rows and against the naive ORM approach, and print the table."""

from __future__ import annotations

from contextlib import nullcontext
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Final

import typer
from rich.console import Console

from db.engine import make_engine
from pipeline.cli.errors import ExitCode, fail
from pipeline.cli.terminal import wants_progress
from pipeline.generate import MAX_RECORDS

NO_BENCHMARKS: Final = (
    "intake bench needs the benchmarks package of a source checkout (git clone, then "
    "pip install -e '.[dev,bench]'); an installed wheel does not ship it"
)


class DatabaseKind(StrEnum):
    """The database `intake bench` measures."""

    SQLITE = "sqlite"
    POSTGRES = "postgres"


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
    try:  # dev tooling, not in the wheel: imported only when the command runs
        from benchmarks.intake_bench.console import BenchProgress, describe
        from benchmarks.intake_bench.runner import BenchConfig, run_benchmark
    except ModuleNotFoundError as error:
        if (error.name or "").partition(".")[0] != "benchmarks":
            raise  # a dependency missing inside the benchmarks: its own error says which
        raise fail(NO_BENCHMARKS, ExitCode.ENVIRONMENT) from None
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
