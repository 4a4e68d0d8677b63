"""One round of alerts: queue what is new, claim what is due, send one message per clinic,
record how it went. The data work is committed before and apart from this, so a channel that is
down never fails or delays it; it only leaves items `failed`, for the next round."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Engine

from db.states import AlertSubject
from pipeline.alerts import ledger
from pipeline.alerts.channels import Channels, SendResult
from pipeline.alerts.message import ClinicAlert
from pipeline.faults import fault_point
from pipeline.load import locks

UNKNOWN_CLINIC = "(clinic not readable)"
"""Where a quarantined record whose clinic could not be read is announced (`all-clinics`)."""


@dataclass
class Round:
    """What one round did: items queued, and per clinic the alert sent and how it went."""

    queued: int = 0
    sent: dict[str, ClinicAlert] = field(default_factory=dict)
    failed: dict[str, ClinicAlert] = field(default_factory=dict)
    no_channel: dict[str, ClinicAlert] = field(default_factory=dict)


def announce(engine: Engine, channels: Channels, worklist_url: str, now: dt.datetime) -> Round:
    """Queue new urgent items, then send every due one, grouped by clinic."""
    done = Round()
    with locks.write_transaction(engine, shared=True) as connection:
        done.queued = ledger.queue_new(connection, now)
        claimed = ledger.claim_due(connection, now)
    by_clinic: dict[str, list[ledger.Claimed]] = defaultdict(list)
    for item in claimed:
        by_clinic[item.clinic_id or UNKNOWN_CLINIC].append(item)
    for clinic, items in sorted(by_clinic.items()):
        alert = ClinicAlert(
            clinic,
            cases=sum(i.subject == AlertSubject.CASE for i in items),
            corrections=sum(i.subject == AlertSubject.CORRECTION for i in items),
        )
        result = channels.send(clinic, alert.title, alert.body(worklist_url))
        fault_point("alerts:after_send")
        outcome = {
            SendResult.SENT: done.sent,
            SendResult.FAILED: done.failed,
            SendResult.NO_CHANNEL: done.no_channel,
        }[result]
        outcome[clinic] = alert
        error = "every channel refused or was unreachable" if result is SendResult.FAILED else None
        with locks.write_transaction(engine, shared=True) as connection:
            ledger.record(connection, [i.id for i in items], result.value, now, error)
    return done
