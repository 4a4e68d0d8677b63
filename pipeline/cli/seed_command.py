"""`intake seed`: write synthetic intake files, with their ground truth, into the landing dir."""

from __future__ import annotations

import sys
import time
from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from pipeline.generate import (
    MAX_CLINICS,
    MAX_DAYS,
    MAX_INVALID_RATE,
    MAX_RECORDS,
    ForeignIntakeFilesError,
    GenerationConfig,
    OutputFormat,
    generate,
)
from pipeline.settings import LANDING_DIR_ENV, landing_dir


def seed_intake_files(
    *,
    records: Annotated[
        int, typer.Option(min=1, max=MAX_RECORDS, help="Records to write in total.")
    ] = 10_000,
    days: Annotated[
        int, typer.Option(min=1, max=MAX_DAYS, help="Days of intake, ending on --end-date.")
    ] = 30,
    end_date: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="Last day of intake (default: today, UTC)."),
    ] = None,
    clinics: Annotated[
        int, typer.Option(min=1, max=MAX_CLINICS, help="Clinics sending files.")
    ] = 3,
    seed: Annotated[
        int, typer.Option(min=0, help="Random seed: the same arguments give the same bytes.")
    ] = 0,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="File format of the intake files.")
    ] = OutputFormat.CSV,
    invalid_rate: Annotated[
        float,
        typer.Option(
            min=0.0,
            max=MAX_INVALID_RATE,
            help="Share of records that break the contract (also scales re-sends/corrections).",
        ),
    ] = 0.02,
    out: Annotated[
        Path | None,
        typer.Option(help=f"Output directory (default: ${LANDING_DIR_ENV}, else var/landing)."),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Delete intake files already in the directory.")
    ] = False,
) -> None:
    """Write synthetic intake files (one per clinic per day) and ground_truth.csv next to them."""
    config = GenerationConfig(
        records=records,
        days=days,
        end_date=(end_date or datetime.now(UTC)).date(),
        clinics=clinics,
        seed=seed,
        output_format=output_format,
        invalid_rate=invalid_rate,
        out_dir=landing_dir(out),
        replace_existing=replace,
    )
    started = time.perf_counter()
    progress = _progress_bar() if sys.stderr.isatty() else None
    with progress or nullcontext():
        task = progress.add_task("seeding", total=records) if progress else None
        try:
            summary = generate(
                config,
                on_progress=(lambda n: progress.advance(task, n))
                if progress is not None and task is not None
                else None,
            )
        except ForeignIntakeFilesError as error:
            typer.echo(f"{error} Or pass --replace to delete them first.", err=True)
            raise typer.Exit(code=1) from error
    elapsed = time.perf_counter() - started
    typer.echo(
        f"wrote {summary.records:,} records ({summary.invalid_records:,} invalid, "
        f"{summary.resends:,} re-sends, {summary.corrections:,} corrections) in "
        f"{summary.files:,} {output_format.value} files to {summary.out_dir} "
        f"in {elapsed:.1f} s; ground truth: {summary.truth_file}"
    )


def _progress_bar() -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
