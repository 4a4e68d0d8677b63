"""`intake`: the command line of the knee-to-hip intake pipeline."""

from __future__ import annotations

from typing import Annotated

import typer

from pipeline import settings
from pipeline.cli import (
    alerts_command,
    bench_command,
    classify_commands,
    db_commands,
    evaluate_commands,
    rerun_command,
    rules_command,
    run_command,
    seed_command,
    users_command,
)
from pipeline.cli.errors import ASKS_HELP, EXIT_CODES_HELP, IntakeGroup, configure_logging

app = typer.Typer(
    name="intake",
    help=(
        "Knee-to-hip intake pipeline: seed synthetic intake files, validate and classify them, "
        "load them into the database and serve the dashboard. The database is DATABASE_URL "
        "(default: the SQLite file var/intake.db)."
    ),
    epilog=EXIT_CODES_HELP,
    cls=IntakeGroup,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)


@app.callback()
def _options(
    ctx: typer.Context,
    debug: Annotated[
        bool,
        typer.Option("--debug", help="Log what the command does, with the traceback of an error."),
    ] = False,
) -> None:
    configure_logging(debug)
    if not ctx.meta.get(ASKS_HELP):  # help needs no settings; every command is refused
        settings.current()  # without them: a variable that cannot be used is exit 3, named


app.add_typer(db_commands.app, name="db")
app.command(name="seed")(seed_command.seed_intake_files)
app.command(name="classify")(classify_commands.classify)
app.command(name="evaluate")(evaluate_commands.evaluate)
app.add_typer(users_command.app, name="users")
app.add_typer(alerts_command.app, name="alerts")
app.command(name="run")(run_command.run_pipeline)
app.command(name="rerun")(rerun_command.rerun)
app.command(name="bench")(bench_command.bench)
app.add_typer(rules_command.app, name="rules")

__all__ = ["app"]
