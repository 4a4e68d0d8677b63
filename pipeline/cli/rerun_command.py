"""`intake rerun`: run intake files already ingested through the pipeline again, so their cases
and quarantine follow how records are read now (the written date of intake, red flags in
quarantine)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from db import problems
from db.engine import make_engine
from pipeline import settings
from pipeline.cli.errors import ExitCode, fail
from pipeline.load.landing import intake_files
from pipeline.load.rerun import rerun_files


def rerun(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Intake files to run again; default: every one in the landing store."),
    ] = None,
    landing: Annotated[
        Path | None,
        typer.Option(help="Landing directory; default INTAKE_LANDING_DIR, else var/landing."),
    ] = None,
) -> None:
    """Run ingested intake files again: each case they brought takes the date of intake written
    in its intake_at (cases loaded before that rule carry the UTC date; their days are counted
    again), and the files are validated again, so a record quarantined only because of the UTC
    date is loaded and every quarantined record shows its red flags. Corrections received
    later are kept. Prints what changed."""
    import warnings

    import dagster as dg

    warnings.filterwarnings("ignore", category=dg.BetaWarning)
    from pipeline import run

    console = Console()
    engine = make_engine()
    problems.require_newest_schema(engine)
    landing_dir = settings.landing_dir(landing)
    paths = files or intake_files(landing_dir)
    reopened = rerun_files(engine, paths, dt.datetime.now(dt.UTC))
    engine.dispose()
    if not reopened:
        raise fail(
            "none of these files was ingested before: `intake run` ingests them.", ExitCode.DATA
        )
    for file in reopened:
        moved = file.redated.versions
        console.print(f"{file.path.name}: {moved:,} case versions take their written intake day")
    first = min(f.landing_date for f in reopened)
    last = max(f.landing_date for f in reopened)
    result = run.run_days(first, last, landing_dir=landing_dir)
    if not result.success:
        console.print(f"[red]The run failed (run id {result.run_id}); see the Dagster UI.")
        raise typer.Exit(code=ExitCode.ATTENTION)
    console.print(f"Ran {len(reopened)} files again for {first} to {last}.")
