"""Which rules version is in force in a database: the newest approval's. New cases are classified
by it; the code's newest version (the candidate) touches no case before it is approved, except
on a fresh database, which has nothing to review."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from sqlalchemy import Connection, func, insert, select

from db.models import CaseClassification, RulesApproval, table_of
from pipeline.classify.versions import NEWEST, rule_set

APPROVALS = table_of(RulesApproval)
CLASSIFICATIONS = table_of(CaseClassification)
FRESH_DATABASE_BY: Final = "intake"
FRESH_DATABASE_REASON: Final = "a fresh database: nothing classified yet, nothing to review"


@dataclass(frozen=True, slots=True)
class RulesStatus:
    """The version in force (None: a fresh database) and the code's version, which waits for
    approval when it is not the one in force."""

    in_force: str | None
    candidate: str = NEWEST

    @property
    def waiting(self) -> bool:
        """A candidate waits for approval: the code's version is not in force."""
        return self.in_force is not None and self.in_force != self.candidate


def in_force(connection: Connection) -> str | None:
    """The version of the newest approval; else (classifications made before approvals were
    recorded) the version most cases are classified by; None for a fresh database."""
    approved = connection.execute(
        select(APPROVALS.c.version).order_by(APPROVALS.c.approved_at.desc(), APPROVALS.c.id.desc())
    ).first()
    if approved is not None:
        return str(approved.version)
    in_use = connection.execute(
        select(CLASSIFICATIONS.c.rules_version)
        .group_by(CLASSIFICATIONS.c.rules_version)
        .order_by(func.count().desc(), CLASSIFICATIONS.c.rules_version.desc())
        .limit(1)
    ).scalar()
    return None if in_use is None else str(in_use)


def status(connection: Connection) -> RulesStatus:
    return RulesStatus(in_force(connection))


def version_for_new_cases(connection: Connection, now: dt.datetime) -> str:
    """The version to classify new cases by: the one in force, or on a fresh database the
    code's newest, taken up (recorded as in force) in the caller's transaction. A version in
    force that this code does not have is an error, not a silent switch."""
    version = in_force(connection)
    if version is None:
        connection.execute(
            insert(APPROVALS).values(
                version=NEWEST,
                replaces=None,
                report_id=None,
                approved_by=FRESH_DATABASE_BY,
                reason=FRESH_DATABASE_REASON,
                accepted_downgrades=False,
                approved_at=now,
            )
        )
        return NEWEST
    rule_set(version)  # raises UnknownRulesVersionError, naming the versions the code has
    return version
