"""An impact report as a document (JSON, as stored), as Markdown and as its headline counts.
Pure functions: the comparison in, text out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Final

import polars as pl

from pipeline.rules_change import impact

REPORT_FORMAT: Final = 1
"""The version of the document's layout (a later layout can still read earlier reports)."""


def document(
    in_force: str,
    candidate: str,
    made_at: dt.datetime,
    compared: impact.Impact,
    evidence_before: Mapping[str, list[str]],
) -> dict[str, Any]:
    """The report as a JSON document: both versions, when, the counts, the transitions per
    clinic, the weekly shares' counts, every downgrade and the examples with their evidence
    before and after."""
    transitions = compared.transitions
    before = pl.DataFrame(
        {"intake_id": list(evidence_before), "evidence_before": list(evidence_before.values())},
        schema={"intake_id": pl.String(), "evidence_before": pl.List(pl.String())},
    )
    examples = compared.examples.join(before, on="intake_id", how="left").with_columns(
        pl.col("evidence_before").fill_null(pl.lit([], pl.List(pl.String())))
    )
    return {
        "format": REPORT_FORMAT,
        "in_force": in_force,
        "candidate": candidate,
        "made_at": made_at.isoformat(),
        "cases": compared.cases,
        "mechanism_changes": impact.changed_counts(transitions, "mechanism"),
        "triage_changes": impact.changed_counts(transitions, "triage"),
        "triage_downgrades": compared.downgrades.height,
        "transitions": transitions.to_dicts(),
        "weekly": compared.weekly.with_columns(pl.col("week").dt.to_string()).to_dicts(),
        "downgrades": compared.downgrades.to_dicts(),
        "examples": examples.select(
            "before", "after", "intake_id", "clinic_id", "evidence_before", "evidence_after"
        ).to_dicts(),
    }


def headline(report: Mapping[str, Any]) -> dict[str, int]:
    """The counts stored as columns beside the document."""
    keys = ("cases", "mechanism_changes", "triage_changes", "triage_downgrades")
    return {key: int(report[key]) for key in keys}


def transitions_of(report: Mapping[str, Any]) -> pl.DataFrame:
    return pl.DataFrame(report["transitions"], schema=impact.TRANSITIONS)


def weekly_of(report: Mapping[str, Any]) -> pl.DataFrame:
    return pl.DataFrame(
        report["weekly"], schema={**impact.WEEKLY, "week": pl.String()}
    ).with_columns(pl.col("week").str.to_date())


def weekly_shares(report: Mapping[str, Any]) -> pl.DataFrame:
    """Per week: the share (%) of its cases that were referred and compensatory, before and
    after, and how each would move (percentage points)."""
    weekly = weekly_of(report)
    return weekly.select(
        "week",
        "cases",
        *(
            (100 * pl.col(f"{m}_{side}") / pl.col("cases")).round(1).alias(f"{m} {side} (%)")
            for m in impact.SHARED
            for side in ("before", "after")
        ),
        *(
            (100 * (pl.col(f"{m}_after") - pl.col(f"{m}_before")) / pl.col("cases"))
            .round(1)
            .alias(f"{m} moves (points)")
            for m in impact.SHARED
        ),
    )


def table_lines(frame: pl.DataFrame) -> list[str]:
    """A frame as a Markdown table (numbers right-aligned)."""
    if frame.width == 0:
        return ["(none)"]
    cells = [[str(v) for v in row] for row in frame.iter_rows()]
    header = [str(c) for c in frame.columns]
    widths = [max(len(r[i]) for r in (header, *cells)) for i in range(len(header))]
    numeric = [frame.schema[c].is_numeric() for c in frame.columns]

    def line(row: Sequence[str]) -> str:
        padded = (
            cell.rjust(w) if num else cell.ljust(w)
            for cell, w, num in zip(row, widths, numeric, strict=True)
        )
        return "| " + " | ".join(padded) + " |"

    rule = (
        "|"
        + "|".join(
            ("-" * (w + 1) + ":") if n else "-" * (w + 2)
            for w, n in zip(widths, numeric, strict=True)
        )
        + "|"
    )
    return [line(header), rule, *(line(r) for r in cells)]


def matrix_lines(report: Mapping[str, Any], kind: str, clinic: str | None = None) -> list[str]:
    """One kind's transitions (a row per value before, a column per value after), overall or
    for one clinic."""
    transitions = transitions_of(report)
    if clinic is not None:
        transitions = transitions.filter(pl.col("clinic_id") == clinic)
    return table_lines(impact.as_matrix(impact.overall(transitions, kind)))


def summary_lines(report: Mapping[str, Any]) -> list[str]:
    return [
        f"- Rules in force: **{report['in_force']}**; candidate: **{report['candidate']}**",
        f"- Made: {report['made_at']}",
        f"- Cases compared: {report['cases']:,}",
        f"- Mechanism would change: {report['mechanism_changes']:,}",
        f"- Triage would change: {report['triage_changes']:,}",
        f"- Triage would go down: **{report['triage_downgrades']:,}**",
    ]


def _evidence(values: Sequence[str]) -> str:
    return ", ".join(f"`{v}`" for v in values) or "(none)"


def markdown(report: Mapping[str, Any]) -> str:
    """The whole report as Markdown: summary, transition tables overall and per clinic, the
    weekly shares, every downgrade (by intake id) and the examples."""
    clinics = sorted({row["clinic_id"] for row in report["transitions"]})
    lines = [
        f"# Rules impact report: {report['in_force']} -> {report['candidate']}",
        "",
        "What approving the candidate would change; no classification has been changed yet.",
        "Rows: the classification in force; columns: the candidate's.",
        "",
        *summary_lines(report),
    ]
    for kind in impact.KINDS:
        lines += ["", f"## {kind.capitalize()}, every clinic", "", *matrix_lines(report, kind)]
    for clinic in clinics:
        lines += ["", f"## Clinic {clinic}"]
        for kind in impact.KINDS:
            lines += ["", f"### {kind.capitalize()}", "", *matrix_lines(report, kind, clinic)]
    lines += [
        "",
        "## Referred and compensatory shares per week (the Overview's chart)",
        "",
        *table_lines(weekly_shares(report).with_columns(pl.col("week").dt.to_string())),
        "",
        "## Cases whose triage would go down",
        "",
    ]
    downgrades = pl.DataFrame(report["downgrades"], schema=impact.DOWNGRADES)
    lines += ["None."] if downgrades.is_empty() else table_lines(downgrades)
    lines += ["", "## Examples of each mechanism change"]
    if not report["examples"]:
        lines += ["", "No case would change mechanism."]
    moved = impact.overall(transitions_of(report), "mechanism")
    change: tuple[str, str] | None = None
    for example in report["examples"]:
        if change != (example["before"], example["after"]):
            before, after = change = (example["before"], example["after"])
            cases = moved.filter((pl.col("before") == before) & (pl.col("after") == after))
            moved_cases = int(cases["cases"].sum())
            noun = "case" if moved_cases == 1 else "cases"
            lines += ["", f"### {before} -> {after} ({moved_cases:,} {noun})", ""]
        lines += [
            f"- `{example['intake_id']}` (clinic {example['clinic_id']})",
            f"  - before: {_evidence(example['evidence_before'])}",
            f"  - after: {_evidence(example['evidence_after'])}",
        ]
    return "\n".join(lines) + "\n"
