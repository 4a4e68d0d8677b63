"""The Rules change page's questions to the database, and nothing else: the version in force,
whether a candidate waits, and the impact report to show (a prepared aggregate, read whole)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from dashboards.database import engine_for
from dashboards.queries import cached
from db.models import RulesApproval, table_of
from pipeline.rules_change import in_force, reports

APPROVALS = table_of(RulesApproval)


@dataclass(frozen=True, slots=True)
class ApprovalSeen:
    """The approval that put the version in force: who, why, when."""

    version: str
    approved_by: str
    reason: str
    accepted_downgrades: bool
    approved_at: dt.datetime


@dataclass(frozen=True, slots=True)
class RulesChange:
    """What the page shows: the status, the report (None when none was made) and, when no
    candidate waits, the approval of the version in force."""

    status: in_force.RulesStatus
    report: reports.StoredReport | None
    approval: ApprovalSeen | None


@cached
def rules_status(url: str) -> in_force.RulesStatus:
    """The version in force and the code's version (waiting when they differ)."""
    with engine_for(url).connect() as connection:
        return in_force.status(connection)


@cached
def rules_change(url: str) -> RulesChange:
    """The waiting candidate's newest report; else the report the version in force was approved
    on (None for a version taken up by a fresh database or by the upgrade)."""
    with engine_for(url).connect() as connection:
        status = in_force.status(connection)
        if status.in_force is None:
            return RulesChange(status, None, None)
        if status.waiting:
            report = reports.latest(connection, status.in_force, status.candidate)
            return RulesChange(status, report, None)
        row = connection.execute(
            select(APPROVALS)
            .order_by(APPROVALS.c.approved_at.desc(), APPROVALS.c.id.desc())
            .limit(1)
        ).first()
        if row is None:
            return RulesChange(status, None, None)
        approval = ApprovalSeen(
            row.version,
            row.approved_by,
            row.reason,
            bool(row.accepted_downgrades),
            row.approved_at if row.approved_at.tzinfo else row.approved_at.replace(tzinfo=dt.UTC),
        )
        report = None if row.report_id is None else reports.by_id(connection, row.report_id)
        return RulesChange(status, report, approval)
