"""The words for states, one `StrEnum` each: files, runs, alerts, follow-up items and dashboard
roles. The models' CHECK constraints are built from them, so code and database cannot drift."""

from __future__ import annotations

from enum import StrEnum


class FileStatus(StrEnum):
    """What became of an intake file. `validated` (records staged, not merged) was a step of the
    staging load before migration 0010, which sends such files back to `landed`; no file is in
    it any more."""

    LANDED = "landed"
    """Registered, its records not loaded yet."""
    VALIDATED = "validated"
    FINISHED = "finished"
    """Its records loaded (new versions, cases and their classifications) and quarantined, in
    one transaction: its counts then add up."""


class RunStatus(StrEnum):
    """How a run of the ingestion job ended."""

    SUCCESS = "success"
    FAILURE = "failure"


class AlertSubject(StrEnum):
    """What an alert (and a follow-up item) is about: an urgent `case`, or a quarantined record
    with a red flag that needs `correction` (keyed by its quarantine row id)."""

    CASE = "case"
    CORRECTION = "correction"


class AlertStatus(StrEnum):
    """Where an alert is."""

    QUEUED = "queued"
    """New, due to be sent."""
    PENDING = "pending"
    """Claimed by a run that is sending it."""
    SENT = "sent"
    """A channel took it."""
    FAILED = "failed"
    """Every channel refused or was down: retried by the next run or tick."""
    NO_CHANNEL = "no_channel"
    """The clinic has no channel configured."""
    BEFORE_ALERTS = "before_alerts"
    """Urgent before alerts existed (never announced)."""


class FollowUpState(StrEnum):
    """A follow-up item is open, then contacted, then closed (with an outcome)."""

    OPEN = "open"
    CONTACTED = "contacted"
    CLOSED = "closed"


class FollowUpOutcome(StrEnum):
    """How a follow-up item was closed."""

    SEEN_IN_CLINIC = "seen_in_clinic"
    SENT_TO_EMERGENCY = "sent_to_emergency"
    REFERRED_ON = "referred_on"
    UNREACHABLE = "unreachable"
    NOT_NEEDED = "not_needed"


class Role(StrEnum):
    """Dashboard roles: an `admin` also sees the red-flag worklist, exact small counts and the
    audit log; a `viewer` sees aggregates with small cells suppressed."""

    ADMIN = "admin"
    VIEWER = "viewer"
