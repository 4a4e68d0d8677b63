"""The impact report of the rule set in the code (the candidate) against the one in force."""

import datetime as dt
from typing import Final

import dagster as dg

from pipeline.defs.resources import IntakeDatabase
from pipeline.rules_change import in_force, report_text, reports

GROUP: Final = "rules_change"


@dg.asset(group_name=GROUP, kinds={"polars", "sql"})
def rules_impact_report(
    context: dg.AssetExecutionContext, database: IntakeDatabase
) -> dg.MaterializeResult[None]:
    """What approving the rule set in the code would change, before it touches a case: every
    current case classified by it in memory and compared with its classification in force
    (mechanism and triage transitions per clinic, the Overview's weekly shares, triage
    downgrades, examples). Stored for `intake rules approve` and the dashboard's Rules change
    page; case ids stay there (administrators only), not in this metadata."""
    with database.engine.connect() as connection:
        status = in_force.status(connection)
    if not status.waiting:
        return dg.MaterializeResult(
            metadata={
                "in_force": status.in_force or "none (nothing classified)",
                "candidate": status.candidate,
                "waiting_for_approval": False,
            }
        )
    report = reports.make_report(database.engine, dt.datetime.now(dt.UTC), status.candidate)
    document = report.report
    summary = "\n".join(
        [
            *report_text.summary_lines(document),
            "",
            "Mechanism (rows: in force; columns: candidate)",
            "",
            *report_text.matrix_lines(document, "mechanism"),
            "",
            "Triage",
            "",
            *report_text.matrix_lines(document, "triage"),
        ]
    )
    context.log.info(
        f"impact report {report.id}: {report.in_force_version} -> {report.candidate_version}, "
        f"{report.mechanism_changes} of {report.cases} cases change mechanism, "
        f"{report.triage_downgrades} triage downgrades"
    )
    return dg.MaterializeResult(
        metadata={
            "report_id": report.id,
            "in_force": report.in_force_version,
            "candidate": report.candidate_version,
            "waiting_for_approval": True,
            "dagster/row_count": report.cases,
            "mechanism_changes": report.mechanism_changes,
            "triage_changes": report.triage_changes,
            "triage_downgrades": report.triage_downgrades,
            "summary": dg.MetadataValue.md(summary),
        }
    )
