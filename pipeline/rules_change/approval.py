"""Approving a candidate rule set: recorded with who approved it, why, the impact report it
was approved on and whether triage downgrades were accepted, and audited, in one transaction.
The reclassify job applies it to every case afterwards (its sensor starts it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, insert

from db import audit
from db.models import RulesApproval, table_of
from pipeline.classify.versions import rule_set
from pipeline.rules_change import in_force, reports

APPROVALS = table_of(RulesApproval)


class ApprovalRefusedError(RuntimeError):
    """The approval cannot be given as asked; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Approval:
    version: str
    replaces: str | None
    report_id: int | None
    accepted_downgrades: bool


def approve(
    connection: Connection,
    version: str,
    *,
    by: str,
    reason: str,
    accept_downgrades: bool,
    now: dt.datetime,
) -> Approval:
    """Put `version` in force. Once a version is in force, approval needs an impact report of
    `version` against it (`intake rules impact`), and `accept_downgrades` when that report
    shows any case whose triage would go down. A fresh database needs no report."""
    rule_set(version)  # a version this code does not have cannot be put in force
    if not by.strip() or not reason.strip():
        raise ApprovalRefusedError("an approval needs the name of who approves it and a reason")
    current = in_force.in_force(connection)
    if current == version:
        raise ApprovalRefusedError(f"rules version {version} is already in force")
    report = None if current is None else reports.latest(connection, current, version)
    if current is not None and report is None:
        raise ApprovalRefusedError(
            f"no impact report of {version} against {current} (in force) yet: "
            "run `intake rules impact` and read it first"
        )
    if report is not None and report.triage_downgrades and not accept_downgrades:
        raise ApprovalRefusedError(
            f"the impact report (id {report.id}) shows {report.triage_downgrades:,} cases whose "
            "triage would go down: approve with --accept-downgrades only if that is intended"
        )
    approval = Approval(
        version, current, None if report is None else report.id, bool(accept_downgrades)
    )
    connection.execute(
        insert(APPROVALS).values(
            version=version,
            replaces=current,
            report_id=approval.report_id,
            approved_by=by,
            reason=reason,
            accepted_downgrades=approval.accepted_downgrades,
            approved_at=now,
        )
    )
    audit.record(
        connection,
        by,
        "rules_approved",
        {
            "version": version,
            "replaces": current,
            "report_id": approval.report_id,
            "triage_downgrades": 0 if report is None else report.triage_downgrades,
            "accepted_downgrades": approval.accepted_downgrades,
            "reason": reason,
        },
        at=now,
    )
    return approval
