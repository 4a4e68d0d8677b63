"""`intake alerts ...`: the clinics' urgent-case alert channels: test one, read the ledger, send
what is due now."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from db import problems
from db.engine import make_engine
from pipeline import settings
from pipeline.alerts import ledger
from pipeline.alerts.announce import announce
from pipeline.alerts.channels import Channels, SendResult
from pipeline.alerts.message import trial_message
from pipeline.cli.errors import ExitCode, fail

app = typer.Typer(
    help="Urgent-case alerts: each clinic's channels (an Apprise configuration file, "
    "INTAKE_ALERTS_CONFIG, default var/alerts.yml, one tag per clinic) are told of new urgent "
    "cases after each run. Messages carry counts and a worklist link, never patient data.",
    no_args_is_help=True,
)

ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", help="Apprise configuration file; default INTAKE_ALERTS_CONFIG."),
]


@app.command(name="test")
def send_test(
    clinic: Annotated[str, typer.Argument(help="The clinic id whose channels to test.")],
    config: ConfigOption = None,
) -> None:
    """Send a test message to a clinic's channels; exits 1 if none took it."""
    channels = Channels(settings.alerts_config(config))
    title, body = trial_message(clinic, settings.worklist_url())
    result = channels.send(clinic, title, body)
    messages = {
        SendResult.SENT: f"Test alert sent to the channels of {clinic}.",
        SendResult.FAILED: f"No channel of {clinic} took the test alert: check them.",
        SendResult.NO_CHANNEL: f"No channel is configured for {clinic} in {channels.path} "
        f"(tag a URL `{clinic}`).",
    }
    if result is not SendResult.SENT:
        raise fail(messages[result], ExitCode.ATTENTION)
    typer.echo(messages[result])


@app.command()
def status() -> None:
    """What the alert ledger holds: items per clinic and status, the last send and error."""
    engine = make_engine()
    problems.require_newest_schema(engine)
    with engine.connect() as connection:
        rows = ledger.status_counts(connection)
    engine.dispose()
    table = Table(title="Alert ledger")
    for column in ("clinic", "status", "items", "last sent (UTC)", "last error"):
        table.add_column(column)
    for row in rows:
        sent = row["last_sent_at"]
        table.add_row(
            row["clinic_id"] or "(not readable)",
            row["status"],
            f"{row['items']:,}",
            f"{sent:%Y-%m-%d %H:%M}" if sent else "",
            row["last_error"] or "",
        )
    Console().print(table)


@app.command()
def send(config: ConfigOption = None) -> None:
    """Send every alert that is due now (new urgent items, failed sends), as a run does."""
    engine = make_engine()
    done = announce(
        engine,
        Channels(settings.alerts_config(config)),
        settings.worklist_url(),
        dt.datetime.now(dt.UTC),
    )
    engine.dispose()
    typer.echo(
        f"{done.queued} new items; told {len(done.sent)} clinics, {len(done.failed)} failed "
        f"(retried next time), {len(done.no_channel)} without a channel."
    )
