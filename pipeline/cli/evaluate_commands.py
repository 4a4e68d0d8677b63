"""`intake evaluate DIR`: compare validation and classification with the generator's truth."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import polars as pl
import typer
from rich.console import Console
from rich.table import Table

from pipeline.evaluate import TRUTH_FILE, Evaluation, as_dict, evaluate_directory, intake_files


class ReportFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


def evaluate(
    directory: Annotated[Path, typer.Argument(help=f"Intake files and {TRUTH_FILE}.")],
    output: Annotated[ReportFormat, typer.Option("--format", help="table or json.")] = (
        ReportFormat.TABLE
    ),
    now: Annotated[
        datetime | None,
        typer.Option(help="Validation time (ISO 8601, UTC if no offset); default: now."),
    ] = None,
) -> None:
    """Evaluate validation and classification against the ground truth in DIR: validity
    agreement, mechanism and triage confusion matrices, per-class precision and recall, and
    sensitivity per triage reason. Exits 1 when a red flag the truth names was missed (red-flag
    sensitivity must be 100%), 2 when it cannot run."""
    if not (directory / TRUTH_FILE).is_file() or not intake_files(directory):
        typer.echo(f"intake evaluate: {directory} needs {TRUTH_FILE} and intake_* files", err=True)
        raise typer.Exit(code=2)
    at = now or datetime.now(UTC)
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    evaluation = evaluate_directory(directory, at)
    if output is ReportFormat.JSON:
        sys.stdout.write(json.dumps(as_dict(evaluation), indent=2) + "\n")
    else:
        render(evaluation, Console())
    if not evaluation.red_flags_all_found:
        raise typer.Exit(code=1)


def render(evaluation: Evaluation, console: Console) -> None:
    """The evaluation as tables for a person."""
    console.print(
        f"{evaluation.files} files, {evaluation.matched} records compared "
        f"({evaluation.truth_only} only in the truth, {evaluation.predicted_only} only read)"
    )
    console.print(_table("Validity (truth x validation)", evaluation.validity))
    console.print(
        f"Quarantined records naming every rule the truth names: {evaluation.rules_named} of "
        f"{evaluation.both_invalid}"
    )
    console.print(
        _table("Mechanism: truth (rows) x predicted (columns)", evaluation.mechanism_confusion)
    )
    console.print(_table("Mechanism per class", evaluation.mechanism_classes))
    console.print(_table("Triage: truth (rows) x predicted (columns)", evaluation.triage_confusion))
    console.print(_table("Sensitivity per triage reason", evaluation.reason_sensitivity))
    console.print(
        _table(
            "Red flags of quarantined records (found by the lenient reading)",
            evaluation.quarantined_red_flags,
        )
    )
    verdict = "100%: no red flag missed" if evaluation.red_flags_all_found else "MISSED red flags"
    console.print(
        f"Red-flag sensitivity: {verdict}",
        style="bold" if evaluation.red_flags_all_found else "bold red",
    )


def _table(title: str, frame: pl.DataFrame) -> Table:
    table = Table(title=title, title_justify="left")
    for name, dtype in frame.schema.items():
        table.add_column(name, justify="right" if dtype.is_numeric() else "left")
    for row in frame.iter_rows():
        table.add_row(*(_cell(value) for value in row))
    return table


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1%}"
    return str(value)
