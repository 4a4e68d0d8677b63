"""Which quarantined records are urgent items, "record needs correction": those whose text
shows a red flag that no valid record of the same `intake_id` has since resolved (the
contract's "A red flag survives quarantine"). One definition for every reader of it."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists

from db.models import CaseVersion, QuarantinedRecord, table_of

QUARANTINE = table_of(QuarantinedRecord)
VERSIONS = table_of(CaseVersion)


def unresolved() -> ColumnElement[bool]:
    """True for a quarantined record with a red flag and no valid version of its `intake_id`
    received at or after it: the patient may still need care today. A valid record received
    before it does not resolve it, since the quarantined one may report something new."""
    resolved = exists().where(
        VERSIONS.c.intake_id == QUARANTINE.c.intake_id,
        VERSIONS.c.received_at >= QUARANTINE.c.quarantined_at,
    )
    return and_(QUARANTINE.c.has_red_flag, ~resolved)
