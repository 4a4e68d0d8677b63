"""The Rules change page's pieces: the report's tables and the Overview's chart before and
after (pure shaping), and how each is drawn. The status line every page shows is here too."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import polars as pl
import streamlit as st

from dashboards import charts, components, shaping
from pipeline.rules_change import impact, in_force, report_text

SIDES: Final = ("before", "after")


def weekly_shares(report: Mapping[str, Any], side: str) -> pl.DataFrame:
    """The Overview chart's frame (week, mechanism, share, days) for the classifications in
    force (`before`) or the candidate's (`after`), every week of the report (exact counts:
    the page is for administrators)."""
    weekly = report_text.weekly_of(report).select(
        "week",
        "cases",
        *(pl.col(f"{m}_{side}").alias(m) for m in impact.SHARED),
    )
    shares = shaping.weekly_shares(weekly, exact=True)
    return shares.with_columns(pl.lit(7, pl.Int64).alias("days"))


def matrix(report: Mapping[str, Any], kind: str, clinic: str | None = None) -> pl.DataFrame:
    transitions = report_text.transitions_of(report)
    if clinic is not None:
        transitions = transitions.filter(pl.col("clinic_id") == clinic)
    return impact.as_matrix(impact.overall(transitions, kind))


def clinics(report: Mapping[str, Any]) -> list[str]:
    return sorted({row["clinic_id"] for row in report["transitions"]})


def examples(report: Mapping[str, Any]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "Change": f"{e['before']} → {e['after']}",
                "Intake id": e["intake_id"],
                "Clinic": e["clinic_id"],
                "Evidence before": ", ".join(e["evidence_before"]),
                "Evidence after": ", ".join(e["evidence_after"]),
            }
            for e in report["examples"]
        ],
        schema={
            name: pl.String()
            for name in ("Change", "Intake id", "Clinic", "Evidence before", "Evidence after")
        },
    )


def downgrades(report: Mapping[str, Any]) -> pl.DataFrame:
    return pl.DataFrame(report["downgrades"], schema=impact.DOWNGRADES).rename(
        {
            "intake_id": "Intake id",
            "clinic_id": "Clinic",
            "before": "Triage in force",
            "after": "Triage by the candidate",
        }
    )


def render_status(status: in_force.RulesStatus) -> None:
    """Say in the sidebar which rules version the counts are by, and that a candidate waits."""
    with st.sidebar:
        if status.in_force is None:
            st.caption("Rules: nothing classified yet.")
            return
        st.caption(f"Classified by rules version {status.in_force} (in force).")
        if status.waiting:
            st.caption(
                f":orange[Rules version {status.candidate} waits for approval]: the counts "
                "stay by the version in force until it is approved."
            )


def render_matrix(table: pl.DataFrame, what: str) -> None:
    st.dataframe(
        table,
        hide_index=True,
        height=components.table_height(table.height),
        alt=f"{what}: cases by the classification in force (rows) and the candidate (columns)",
    )


def render_charts(report: Mapping[str, Any]) -> None:
    """The Overview's chart by the rules in force and by the candidate, side by side."""
    for column, side, title in zip(
        st.columns(2),
        SIDES,
        (f"In force: {report['in_force']}", f"Candidate: {report['candidate']}"),
        strict=True,
    ):
        with column:
            st.markdown(f"**{title}**")
            shares = weekly_shares(report, side)
            chart = charts.weekly_share_chart(shares)
            components.render_share_chart(chart, shares, key=f"rules_change_chart_{side}")
