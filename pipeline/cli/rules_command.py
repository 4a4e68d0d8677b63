"""`intake rules ...`: a rules change reviewed before it touches a case (`impact` stores the
report, `approve` puts the candidate in force, audited; `status` says which is which)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import Engine

from db import problems
from pipeline.classify.versions import NEWEST, UnknownRulesVersionError
from pipeline.cli.db_commands import UrlOption
from pipeline.cli.errors import ExitCode, fail
from pipeline.rules_change import approval, in_force, report_text, reports

app = typer.Typer(
    help="Review a rules change before it touches a case: the impact report, then approval.",
    no_args_is_help=True,
)

DEFAULT_REPORT_DIR = Path("var")


def _engine(url: str | None) -> Engine:
    return problems.engine_at_newest_schema(url)


@app.command()
def impact(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Markdown file to write the report to; default "
            "var/rules-impact-<in force>-to-<candidate>.md.",
        ),
    ] = None,
    candidate: Annotated[
        str,
        typer.Option(
            "--candidate",
            help="Another version this code has (e.g. the previous one, to review a rollback).",
        ),
    ] = NEWEST,
    url: UrlOption = None,
) -> None:
    """What the rules in the code would change: every case compared, none changed.

    Classify every current case by the rule set in the code (the candidate) and compare with
    the classifications in force, writing no classification: print the tables, write the
    report as Markdown and store it. Exits 1 when any case's triage would go down."""
    engine = _engine(url)
    try:
        report = reports.make_report(engine, dt.datetime.now(dt.UTC), candidate)
    except reports.NothingToCompareError as exc:
        raise fail(str(exc), ExitCode.ATTENTION) from exc
    except UnknownRulesVersionError as exc:
        raise fail(str(exc), ExitCode.DATA) from exc
    finally:
        engine.dispose()
    document = report.report
    path = out or DEFAULT_REPORT_DIR / (
        f"rules-impact-{report.in_force_version}-to-{report.candidate_version}.md"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report.markdown, encoding="utf-8")
    typer.echo(
        f"Rules impact report {report.id}: {report.in_force_version} -> {report.candidate_version}"
    )
    typer.echo("\n".join(report_text.summary_lines(document)))
    for kind in ("mechanism", "triage"):
        typer.echo(f"\n{kind.capitalize()} (rows: in force; columns: candidate), every clinic")
        typer.echo("\n".join(report_text.matrix_lines(document, kind)))
    typer.echo("\nReferred and compensatory shares per week (%)")
    shares = report_text.weekly_shares(document)
    typer.echo("\n".join(report_text.table_lines(shares)))
    typer.echo(f"\nThe whole report, per clinic, with every downgrade and examples: {path}")
    if report.triage_downgrades:
        typer.echo(
            f"{report.triage_downgrades:,} cases would have their triage go down: approval "
            "needs --accept-downgrades.",
            err=True,
        )
        raise typer.Exit(ExitCode.ATTENTION)
    if report.candidate_version != report.in_force_version:
        typer.echo(
            f"To put it in force: intake rules approve {report.candidate_version} "
            "--by NAME --reason TEXT"
        )


@app.command()
def approve(
    version: Annotated[str, typer.Argument(help="The rules version to put in force.")],
    *,
    by: Annotated[str, typer.Option("--by", help="Who approves it (kept in the audit log).")],
    reason: Annotated[str, typer.Option("--reason", help="Why (kept with the approval).")],
    accept_downgrades: Annotated[
        bool,
        typer.Option(
            "--accept-downgrades",
            help="Needed when the impact report shows cases whose triage would go down.",
        ),
    ] = False,
    url: UrlOption = None,
) -> None:
    """Put a rules version in force after reading its impact report (audited).

    New cases are then classified by it, and the reclassify job (started by its sensor)
    applies it to every case. Refused without an impact report of the version against the
    one in force, and without --accept-downgrades when that report shows any."""
    engine = _engine(url)
    try:
        with engine.begin() as connection:
            done = approval.approve(
                connection,
                version,
                by=by,
                reason=reason,
                accept_downgrades=accept_downgrades,
                now=dt.datetime.now(dt.UTC),
            )
    except (approval.ApprovalRefusedError, UnknownRulesVersionError) as exc:
        raise fail(str(exc), ExitCode.DATA) from exc
    finally:
        engine.dispose()
    replaced = f", replacing {done.replaces}" if done.replaces else ""
    on_report = f" on impact report {done.report_id}" if done.report_id is not None else ""
    typer.echo(f"rules version {version} approved by {by}{replaced}{on_report}")
    typer.echo("the reclassify job applies it to every case (its sensor starts it)")


@app.command()
def status(url: UrlOption = None) -> None:
    """The rules version in force, and the candidate in the code if it waits for approval."""
    engine = _engine(url)
    with engine.connect() as connection:
        now = in_force.status(connection)
        report = (
            reports.latest(connection, now.in_force, NEWEST) if now.in_force is not None else None
        )
    engine.dispose()
    if now.in_force is None:
        typer.echo(f"nothing classified yet: the first run takes up {NEWEST}, no approval needed")
        return
    typer.echo(f"in force: {now.in_force}")
    if not now.waiting:
        typer.echo("no candidate waiting: the code's rules are the ones in force")
        return
    typer.echo(f"candidate waiting for approval: {now.candidate}")
    if report is None:
        typer.echo("no impact report yet: run `intake rules impact`")
    else:
        typer.echo(
            f"impact report {report.id} of {report.made_at:%Y-%m-%d %H:%M} UTC: "
            f"{report.mechanism_changes:,} of {report.cases:,} cases change mechanism, "
            f"{report.triage_downgrades:,} triage downgrades"
        )
