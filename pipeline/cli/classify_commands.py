"""`intake classify FILE...`: validate and classify intake files without any database."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import polars as pl
import typer
from rich.console import Console
from rich.table import Table

from pipeline.classify.outcomes import as_json_lines, file_outcomes
from pipeline.validate.file import READERS


class OutputFormat(StrEnum):
    JSONL = "jsonl"
    TABLE = "table"


def classify(
    files: Annotated[list[Path], typer.Argument(help="CSV or JSON Lines intake files.")],
    output: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format",
            help="jsonl: one JSON object per record; table: for reading. "
            "Default: table on a terminal, jsonl otherwise.",
        ),
    ] = None,
) -> None:
    """Validate and classify intake files; print one result per input record, in file order
    then line order: valid records with mechanism, evidence, triage, reasons and rules
    version, invalid ones with every reason (and `urgent` with the red flags their text still
    shows: such a record needs correction, and the patient care today). Exits 0 whenever it
    ran, invalid records or not; non-zero only when a file cannot be read."""
    for path in files:
        problem = unreadable(path)
        if problem:
            typer.echo(f"intake classify: cannot read {path}: {problem}", err=True)
            raise typer.Exit(code=2)
    chosen = output or (OutputFormat.TABLE if sys.stdout.isatty() else OutputFormat.JSONL)
    now = datetime.now(UTC)
    console = Console(stderr=True)
    for path in files:
        frame, batch = file_outcomes(path, now)
        if batch.unknown_columns:
            console.print(f"{path}: unknown columns left out: {', '.join(batch.unknown_columns)}")
        if batch.missing_columns:
            console.print(f"{path}: columns missing: {', '.join(batch.missing_columns)}")
        if chosen is OutputFormat.JSONL:
            for text in as_json_lines(frame):
                sys.stdout.write(f"{text}\n")
        else:
            Console().print(_table(path, frame))
    sys.stdout.flush()


def unreadable(path: Path) -> str | None:
    """Why `path` cannot be classified, or None when it can."""
    if path.suffix.lower() not in READERS:
        return f"not a {' or '.join(READERS)} file"
    try:
        with path.open("rb"):
            pass
    except OSError as error:
        return error.strerror or str(error)
    if not path.is_file():
        return "not a file"
    return None


def _table(path: Path, frame: pl.DataFrame) -> Table:
    table = Table(title=f"{path.name}: {frame.height} records", title_justify="left")
    for column in ("line", "intake_id", "valid", "mechanism", "evidence", "triage", "reasons"):
        table.add_column(column, overflow="fold")
    for row in frame.iter_rows(named=True):
        if row["valid"]:
            cells = [
                row["mechanism"],
                ", ".join(row["mechanism_evidence"]),
                row["triage"],
                ", ".join(row["triage_reasons"]),
            ]
            style = "red" if row["triage"] == "urgent" else None
        else:
            reasons = "; ".join(
                f"{r['field']}: {r['rule']} ({r['value']!r})" for r in row["reasons"]
            )
            if row["triage"]:  # a red flag survives quarantine: the record needs correction
                flags = ", ".join(row["triage_reasons"])
                cells = ["", "", "urgent: record needs correction", f"{flags}; {reasons}"]
                style = "red"
            else:
                cells, style = ["", "", "", reasons], "dim"
        valid = "yes" if row["valid"] else "no"
        table.add_row(str(row["line_number"]), row["intake_id"] or "", valid, *cells, style=style)
    return table
