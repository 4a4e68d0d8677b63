"""`intake users ...`: who may sign in to the dashboard, and with which role."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy import Engine

from db import problems, users
from db.states import Role
from pipeline.cli.errors import ExitCode, fail

app = typer.Typer(
    help="Dashboard users and their roles: admin (everything, exact counts, worklist, audit "
    "log) or viewer (aggregates, small counts shown as <11).",
    no_args_is_help=True,
)

UrlOption = Annotated[
    str | None,
    typer.Option("--url", help="Database URL; default DATABASE_URL, else var/intake.db."),
]


def _engine(url: str | None) -> Engine:
    return problems.engine_at_newest_schema(url)


@app.command()
def add(
    name: Annotated[str, typer.Argument(help="Username (an e-mail address for OIDC users).")],
    *,
    role: Annotated[str, typer.Option(help=f"One of: {', '.join(Role)}.")],
    password: Annotated[
        str | None,
        typer.Option(
            help="The password; prompted for (hidden, twice) when not given. Prefer the prompt: "
            "a password on the command line stays in the shell history."
        ),
    ] = None,
    oidc: Annotated[
        bool,
        typer.Option(
            "--oidc", help="No password: the user signs in through the OpenID Connect provider."
        ),
    ] = False,
    generate_password: Annotated[
        bool,
        typer.Option(
            "--generate-password",
            help="Make a random password and print it once (for scripts such as `make demo`).",
        ),
    ] = False,
    if_missing: Annotated[
        bool,
        typer.Option("--if-missing", help="Do nothing (and succeed) when the user already exists."),
    ] = False,
    url: UrlOption = None,
) -> None:
    """Register a dashboard user with a role and a password (hashed with argon2id)."""
    if role not in tuple(Role):
        raise typer.BadParameter(f"one of {', '.join(Role)}", param_hint="--role")
    engine = _engine(url)
    try:
        with engine.begin() as connection:
            if if_missing and users.get_user(connection, name) is not None:
                typer.echo(f"user {name} already exists: unchanged")
                return
            if generate_password and not oidc:
                password = users.generate_password()
            elif not oidc and password is None:
                password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
            users.add_user(connection, name, role, None if oidc else password)
    except users.UserError as exc:
        raise fail(str(exc), ExitCode.DATA) from exc
    finally:
        engine.dispose()
    how = "through OpenID Connect" if oidc else "with a password"
    typer.echo(f"added {role} {name} (signs in {how})")
    if generate_password and not oidc:
        typer.echo(f"password for {name} (shown once, not stored): {password}")


@app.command(name="list")
def list_users(url: UrlOption = None) -> None:
    """Show every dashboard user, their role and how they sign in."""
    engine = _engine(url)
    with engine.connect() as connection:
        registered = users.list_users(connection)
    engine.dispose()
    if not registered:
        typer.echo("no dashboard users yet: add one with `intake users add NAME --role admin`")
        return
    for user in registered:
        how = "password" if user.signs_in_with_password else "oidc"
        typer.echo(f"{user.username}\t{user.role}\t{how}\tsince {user.created_at:%Y-%m-%d}")


@app.command()
def remove(
    name: Annotated[str, typer.Argument(help="Username to remove.")], url: UrlOption = None
) -> None:
    """Take a user's access away (their audit record stays)."""
    engine = _engine(url)
    with engine.begin() as connection:
        removed = users.remove_user(connection, name)
    engine.dispose()
    if not removed:
        raise fail(f"no user {name}", ExitCode.ATTENTION)
    typer.echo(f"removed {name}")
