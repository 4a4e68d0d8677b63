"""The command line's exit codes and its one place for errors: any command's error becomes one
line saying what went wrong and what to do, and an exit code saying whose it is; the traceback
goes to the log only with `intake --debug`."""

from __future__ import annotations

import logging
import sys
from enum import IntEnum
from typing import Any, Final

import typer
from typer.core import TyperGroup

from db import problems
from pipeline.settings import SettingsError

LOG: Final = logging.getLogger("intake")
ASKS_HELP: Final = "intake.asks_help"
"""Set on the group's context when a `--help` is among the arguments, wherever it stands."""


class ExitCode(IntEnum):
    """What an exit status tells a script or a scheduler."""

    OK = 0
    ATTENTION = 1
    """It ran, and what it found needs someone: a failed pipeline run, a missed red flag."""
    DATA = 2
    """Your data or your command: an input file or folder that cannot be used, an option or
    value that is refused."""
    ENVIRONMENT = 3
    """Your configuration or environment: an environment variable that cannot be used, the
    database (unreachable, credentials refused, missing, schema not migrated or newer than the
    code, unsupported URL, a SQLite file that cannot be written) or a folder that cannot be
    written."""


EXIT_CODES_HELP: Final = "\n".join(
    [
        "Exit codes:",
        "0  done",
        "1  it ran and the outcome needs you: a failed pipeline run, a missed red flag",
        "2  your data or your command: an input file or folder that cannot be used, an option "
        "or a value refused",
        "3  your configuration or environment: a variable that cannot be used, the database "
        "(unreachable, credentials refused, "
        "missing, not migrated or newer than this code, unsupported URL, a SQLite file that "
        "cannot be written) or a folder that cannot be written",
        "An error is one line on stderr; intake --debug COMMAND also logs its traceback.",
    ]
)


def fail(message: str, code: ExitCode) -> typer.Exit:
    """Print `message` as the command's one line on stderr; the exit to raise."""
    typer.echo(f"intake: {message}", err=True)
    return typer.Exit(code=code)


def describe(error: Exception) -> tuple[str, ExitCode]:
    """The one line for `error` and whose fault it is."""
    problem = problems.explain(error)
    if problem is not None:
        return problem.line, ExitCode.ENVIRONMENT
    if isinstance(error, SettingsError):
        return f"a setting cannot be used: {error}", ExitCode.ENVIRONMENT
    if isinstance(error, OSError):
        where = f"{error.filename}: " if error.filename else ""
        return f"{where}{error.strerror or error}", ExitCode.ENVIRONMENT
    first = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return (
        f"unexpected error {type(error).__name__}: {first} (run again with --debug for the "
        "traceback)",
        ExitCode.ATTENTION,
    )


def configure_logging(debug: bool) -> None:
    """With --debug: the command's log, tracebacks included, on stderr. Without: none at all
    (the level drops the debug records before any handler could print them)."""
    LOG.handlers.clear()  # one invocation's handler, on its own stderr (tests run many)
    LOG.setLevel(logging.DEBUG if debug else logging.WARNING)
    LOG.propagate = not debug
    if debug:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        LOG.addHandler(handler)


class IntakeGroup(TyperGroup):
    """The `intake` command group: every subcommand's error goes through `describe`."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        ctx.meta[ASKS_HELP] = any(arg in ctx.help_option_names for arg in args)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:  # click.Context (Typer vendors its own click)
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # the command's own exit, or a usage error Typer explains itself
        except Exception as error:
            message, code = describe(error)
            LOG.debug("%s", message, exc_info=error)
            raise fail(message, code) from None
