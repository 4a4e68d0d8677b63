"""`intake run`: ingest the landing directory through the Dagster pipeline, in-process."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from db import migrate
from db.engine import make_engine
from pipeline import settings
from pipeline.aggregate import summary


def run_pipeline(
    landing: Annotated[
        Path | None,
        typer.Option(help="Landing directory; default INTAKE_LANDING_DIR, else var/landing."),
    ] = None,
    from_date: Annotated[
        dt.datetime | None,
        typer.Option("--from", formats=["%Y-%m-%d"], help="First intake day to run."),
    ] = None,
    to_date: Annotated[
        dt.datetime | None,
        typer.Option("--to", formats=["%Y-%m-%d"], help="Last intake day to run."),
    ] = None,
    multiprocess: Annotated[
        bool,
        typer.Option(
            "--multiprocess",
            help="Run each step in its own process (Dagster's multiprocess executor), as a "
            "cluster would; the default runs all steps in this process.",
        ),
    ] = False,
) -> None:
    """Land, validate, load, classify and aggregate intake files, day by day, through the
    Dagster job the UI runs (recorded at DAGSTER_HOME, default var/dagster). Without --from/--to
    it runs every day that has intake files. Prints what the database then holds."""
    import warnings

    import dagster as dg

    # Dagster loads only for this command, not for `intake --help`. Its "beta" notices (for
    # single-run backfills, which this pipeline uses on purpose) are not for analysts' eyes.
    warnings.filterwarnings("ignore", category=dg.BetaWarning)
    from pipeline import run

    landing_dir = settings.landing_dir(landing)
    console = Console()
    engine = make_engine()
    if migrate.current_revision(engine) != migrate.head_revision():
        console.print("[red]The database schema is not up to date: run `intake db upgrade`.")
        raise typer.Exit(code=2)
    found = run.landing_days(landing_dir)
    if found is None and (from_date is None or to_date is None):
        console.print(f"No intake files in {landing_dir}: run `intake seed` to make some.")
        raise typer.Exit(code=1)
    first = from_date.date() if from_date else found[0]  # type: ignore[index]
    last = to_date.date() if to_date else found[1]  # type: ignore[index]
    console.print(f"Ingesting {landing_dir} for {first} to {last} ...")
    if multiprocess:
        succeeded = run.run_days_multiprocess(first, last, landing_dir=landing_dir)
        run_id = "see the Dagster UI"
    else:
        result = run.run_days(first, last, landing_dir=landing_dir)
        succeeded, run_id = result.success, f"run id {result.run_id}"
    if succeeded:
        alerted = run.run_alerts()
        if not alerted.success:
            console.print("[yellow]Alerts could not be sent this time; the next run retries.")
    with engine.connect() as connection:
        totals = summary.totals(connection)
    engine.dispose()
    _print_totals(console, totals)
    if not succeeded:
        console.print(f"[red]The run failed ({run_id}); see the Dagster UI.")
        raise typer.Exit(code=1)


def _print_totals(console: Console, totals: summary.Totals) -> None:
    files = Table(title="Ingested", show_header=False)
    for label, value in (
        ("files", totals.files),
        ("records in", totals.records_in),
        ("loaded (new cases)", totals.loaded),
        ("unchanged (re-sent)", totals.unchanged),
        ("corrected", totals.corrected),
        ("quarantined", totals.quarantined),
    ):
        files.add_row(label, f"{value:,}")
    console.print(files)
    for title, counts in (
        ("Cases by mechanism", totals.by_mechanism),
        ("Cases by triage", totals.by_triage),
    ):
        table = Table(title=title, show_header=False)
        for key, value in counts.items():
            table.add_row(key, f"{value:,}")
        console.print(table)
