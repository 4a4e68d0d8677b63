"""`intake`: the command line of the knee-to-hip intake pipeline."""

from __future__ import annotations

import typer

from pipeline.cli import (
    alerts_command,
    bench_command,
    classify_commands,
    db_commands,
    evaluate_commands,
    rerun_command,
    run_command,
    seed_command,
    users_command,
)

app = typer.Typer(
    name="intake",
    help=(
        "Knee-to-hip intake pipeline: seed synthetic intake files, validate and classify them, "
        "load them into the database and serve the dashboard. The database is DATABASE_URL "
        "(default: the SQLite file var/intake.db)."
    ),
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.add_typer(db_commands.app, name="db")
app.command(name="seed")(seed_command.seed_intake_files)
app.command(name="classify")(classify_commands.classify)
app.command(name="evaluate")(evaluate_commands.evaluate)
app.add_typer(users_command.app, name="users")
app.add_typer(alerts_command.app, name="alerts")
app.command(name="run")(run_command.run_pipeline)
app.command(name="rerun")(rerun_command.rerun)
app.command(name="bench")(bench_command.bench)

__all__ = ["app"]
