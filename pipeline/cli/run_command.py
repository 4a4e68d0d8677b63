"""`intake run`: ingest the landing directory through the Dagster pipeline, in-process."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from db import problems
from db.engine import make_engine
from pipeline import settings
from pipeline.aggregate import summary
from pipeline.cli.errors import LOG, ExitCode, fail
from pipeline.cli.terminal import wants_progress


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
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print the summary as one JSON object on stdout: the Dagster run id, the "
            "days, this run's files and records (in, loaded, unchanged, corrected, "
            "quarantined) and what the database then holds (the same, and cases per "
            "mechanism and triage).",
        ),
    ] = False,
) -> None:
    """Land, validate, load, classify and aggregate intake files, day by day, through the
    Dagster job the UI runs (recorded at DAGSTER_HOME, default var/dagster). Without --from/--to
    it runs every day that has intake files. On a terminal it shows each stage as it runs, with
    its rate; then it prints what the database holds."""
    import warnings

    import dagster as dg

    # Dagster loads only for this command, not for `intake --help`. Its "beta" notices (for
    # single-run backfills, which this pipeline uses on purpose) are not for analysts' eyes.
    warnings.filterwarnings("ignore", category=dg.BetaWarning)
    from pipeline import run
    from pipeline.cli.run_progress import RunEvents, RunProgress

    landing_dir = settings.landing_dir(landing)
    console = Console(stderr=as_json)
    engine = make_engine()
    problems.require_newest_schema(engine)
    found = run.landing_days(landing_dir)
    if found is None and (from_date is None or to_date is None):
        message = f"no intake files in {landing_dir}: run `intake seed` to make some."
        raise fail(message, ExitCode.DATA)
    first = from_date.date() if from_date else found[0]  # type: ignore[index]
    last = to_date.date() if to_date else found[1]  # type: ignore[index]
    console.print(f"Ingesting {landing_dir} for {first} to {last} ...")
    progress_console = Console(stderr=True)
    live = wants_progress(progress_console)
    # The multiprocess executor's steps record their events in their own processes: this
    # one reads them when the run is over, too late to show them live.
    show_live = live and not multiprocess
    events = RunProgress(progress_console, first, last) if show_live else RunEvents()
    # Dagster's own console log shows a failure's traceback: only with --debug.
    log_level = "DEBUG" if LOG.isEnabledFor(logging.DEBUG) else "CRITICAL"
    if multiprocess:
        succeeded, run_id = run.run_days_multiprocess(
            first, last, landing_dir=landing_dir, on_event=events
        )
    else:
        with events if isinstance(events, RunProgress) else nullcontext():
            result = run.run_days(
                first, last, landing_dir=landing_dir, log_level=log_level, on_event=events
            )
        succeeded, run_id = result.success, result.run_id
    if succeeded:
        # No daemon here to start the alerts after the run: one round now. A channel that is
        # down never fails the run; its alerts wait for the next round.
        alerted = run.run_alerts()
        if not alerted.success:
            console.print("[yellow]Alerts could not be sent this time; the next run retries.")
    with engine.connect() as connection:
        totals = summary.totals(connection)
    engine.dispose()
    if as_json:
        report = _summary(
            run_id=run_id, succeeded=succeeded, first=first, last=last, events=events, totals=totals
        )
        sys.stdout.write(json.dumps(report) + "\n")
    else:
        _print_totals(console, totals)
    if not succeeded:
        where = f"run id {run_id}"
        for failure in events.failures:
            console.print(failure, style="red", markup=False, highlight=False, soft_wrap=True)
        console.print(f"[red]The run failed ({where}); see the Dagster UI.", soft_wrap=True)
        raise typer.Exit(code=ExitCode.ATTENTION)


def _summary(
    *,
    run_id: str,
    succeeded: bool,
    first: dt.date,
    last: dt.date,
    events: Any,
    totals: summary.Totals,
) -> dict[str, Any]:
    """`intake run --json`'s object: the run, its own counts, the database's totals after it."""
    return {
        "dagster_run_id": run_id,
        "succeeded": succeeded,
        "first_day": first.isoformat(),
        "last_day": last.isoformat(),
        "this_run": events.run_counts(),
        "checks": events.checks,
        "database": {
            "files": totals.files,
            "records_in": totals.records_in,
            "loaded": totals.loaded,
            "unchanged": totals.unchanged,
            "corrected": totals.corrected,
            "quarantined": totals.quarantined,
            "cases": totals.cases,
            "by_mechanism": totals.by_mechanism,
            "by_triage": totals.by_triage,
        },
    }


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
