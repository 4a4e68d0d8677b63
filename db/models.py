"""The database schema: typed SQLAlchemy models of cases, their versions, files, quarantine and
classifications. The database enforces the contract wherever a database can (NOT NULL, CHECK,
unique `intake_id`, foreign keys), with allowed values from `pipeline.contract` and `db.states`,
never copies."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Final

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    column,
    desc,
    false,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from db.checks import check_enum_columns, id_alphabet_checks
from db.states import (
    AlertStatus,
    AlertSubject,
    FileStatus,
    FollowUpOutcome,
    FollowUpState,
    Role,
    RunStatus,
)
from pipeline.contract import fields as c
from pipeline.contract.outputs import MECHANISMS, TRIAGE_LEVELS

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JsonDocument = JSON().with_variant(JSONB(), "postgresql")
"""JSON on SQLite, JSONB on PostgreSQL."""

INTAKE_DATE_COMMENT = "the calendar date written in intake_at: the clinic's day of intake"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Map the model, then give its table the checks of its enum columns."""
        super().__init_subclass__(**kwargs)
        table = cls.__dict__.get("__table__")
        if isinstance(table, Table):
            check_enum_columns(table)


def _enum(allowed: tuple[str, ...] | type[StrEnum], name: str) -> Enum:
    """A VARCHAR as long as the longest allowed value. The allowed values are checked by the
    table (`db.checks.check_enum_columns`, in each database's own form), not by the type."""
    allowed = tuple(str(value) for value in allowed)
    return Enum(
        *allowed,
        name=name,
        native_enum=False,
        create_constraint=False,
        length=max(len(v) for v in allowed),
    )


def _age_check() -> CheckConstraint:
    age = c.FIELDS_BY_NAME["age_years"]
    return CheckConstraint(f"age_years BETWEEN {age.minimum:g} AND {age.maximum:g}", "age_range")


def _content_checks() -> list[CheckConstraint]:
    """The contract's ranges, dates, lengths and id alphabet, for a table of IntakeContent."""
    pain, temp = (c.FIELDS_BY_NAME[n] for n in ("pain_score", "temperature_c"))
    notes = c.FIELDS_BY_NAME["notes"]
    return [
        _age_check(),
        CheckConstraint(
            f"pain_score BETWEEN {pain.minimum:g} AND {pain.maximum:g}", "pain_score_range"
        ),
        CheckConstraint(
            f"temperature_c IS NULL OR temperature_c BETWEEN {temp.minimum} AND {temp.maximum}",
            "temperature_range",
        ),
        CheckConstraint("injury_date <= intake_date", "injury_not_after_intake"),
        CheckConstraint("hip_pain_onset_date <= intake_date", "onset_not_after_intake"),
        CheckConstraint(f"length(notes) <= {notes.max_length}", "notes_length"),
        *id_alphabet_checks(("intake_id", "clinic_id", "patient_ref")),
    ]


class IntakeContent:
    """The contract's fields, as columns; shared by current cases and their versions."""

    intake_id: Mapped[str] = mapped_column(String(64))
    clinic_id: Mapped[str] = mapped_column(String(32))
    intake_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    intake_date: Mapped[dt.date] = mapped_column(Date, comment=INTAKE_DATE_COMMENT)
    patient_ref: Mapped[str] = mapped_column(String(64))
    age_years: Mapped[int] = mapped_column(SmallInteger)
    sex: Mapped[str] = mapped_column(_enum(c.SEXES, "sex"))
    knee_injury: Mapped[str] = mapped_column(_enum(c.KNEE_INJURIES, "knee_injury"))
    knee_side: Mapped[str] = mapped_column(_enum(c.KNEE_SIDES, "knee_side"))
    injury_date: Mapped[dt.date] = mapped_column(Date)
    knee_instability: Mapped[bool]
    knee_effusion: Mapped[bool | None]
    hip_pain_side: Mapped[str] = mapped_column(_enum(c.HIP_PAIN_SIDES, "hip_pain_side"))
    hip_pain_onset_date: Mapped[dt.date] = mapped_column(Date)
    hip_pain_location: Mapped[str] = mapped_column(_enum(c.HIP_PAIN_LOCATIONS, "hip_pain_location"))
    pain_score: Mapped[int] = mapped_column(SmallInteger)
    pain_trend: Mapped[str] = mapped_column(_enum(c.PAIN_TRENDS, "pain_trend"))
    worse_with_walking: Mapped[bool | None]
    antalgic_gait: Mapped[bool]
    trendelenburg_sign: Mapped[bool | None]
    trochanteric_tenderness: Mapped[bool | None]
    hip_rom: Mapped[str | None] = mapped_column(_enum(c.HIP_ROM, "hip_rom"))
    hip_provocation: Mapped[str | None] = mapped_column(_enum(c.HIP_PROVOCATION, "hip_provocation"))
    knee_provocation_reproduces_hip_pain: Mapped[bool | None]
    femoral_rotation: Mapped[str | None] = mapped_column(
        _enum(c.FEMORAL_ROTATION, "femoral_rotation")
    )
    knee_alignment: Mapped[str | None] = mapped_column(_enum(c.KNEE_ALIGNMENT, "knee_alignment"))
    weight_bearing: Mapped[str] = mapped_column(_enum(c.WEIGHT_BEARING, "weight_bearing"))
    temperature_c: Mapped[float | None] = mapped_column(Float)
    fever_reported: Mapped[bool | None]
    rest_tried: Mapped[bool]
    notes: Mapped[str | None] = mapped_column(String(2000))
    content_hash: Mapped[str] = mapped_column(
        String(64), comment="sha256 of the record's contract fields, to tell re-sends"
    )


RECORD_OUTCOMES: Final = (
    "records_loaded",
    "records_unchanged",
    "records_corrected",
    "records_quarantined",
)
"""Where each of a file's records went, as its columns. Once the file is finished they add up
to its `records_in` (`COUNTS_ADD_UP`): every record is counted once, none is lost."""
COUNTS_ADD_UP: Final = f"records_in = {' + '.join(RECORD_OUTCOMES)}"


class IngestedFile(Base):
    """One landing file as received: where it came from, its content hash and what became of
    its records (`RECORD_OUTCOMES`, adding up to `records_in` once finished).
    `classified_at` and `counted_at` record the later steps' progress, so a run only does the
    work its new files bring."""

    __tablename__ = "ingested_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_path: Mapped[str] = mapped_column(String(1024))
    landing_date: Mapped[dt.date] = mapped_column(
        Date, comment="the sending day in the file's name: the pipeline partition it belongs to"
    )
    content_hash: Mapped[str] = mapped_column(String(64), comment="sha256 of the file's bytes")
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(_enum(FileStatus, "file_status"))
    records_in: Mapped[int] = mapped_column(Integer, default=0)
    records_loaded: Mapped[int] = mapped_column(Integer, default=0)
    records_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    records_corrected: Mapped[int] = mapped_column(Integer, default=0)
    records_quarantined: Mapped[int] = mapped_column(Integer, default=0)
    unknown_columns: Mapped[list[str]] = mapped_column(JsonDocument, default=list)
    classified_at: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True), comment="when the cases it brought were classified"
    )
    counted_at: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True), comment="when the daily counts took in the cases it brought"
    )

    __table_args__ = (
        UniqueConstraint("source_path", "content_hash"),
        Index(None, "landing_date", "status"),
        CheckConstraint(
            f"status <> '{FileStatus.FINISHED}' OR {COUNTS_ADD_UP}",
            "counts_add_up",
        ),
        CheckConstraint(
            " AND ".join(f"{name} >= 0" for name in ("records_in", *RECORD_OUTCOMES)),
            "counts_not_negative",
        ),
    )


class IntakeCase(Base):
    """The current version of each case: one row per `intake_id`, the key of the case version
    it currently holds (always the newest one received), and the few fields the dashboard
    filters and sorts cases by, copied from that version. Everything else is read from the
    version (join on `intake_id` and `version`)."""

    __tablename__ = "intake_cases"

    intake_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, comment="number of the current case version")
    file_id: Mapped[int] = mapped_column(ForeignKey("ingested_files.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    clinic_id: Mapped[str] = mapped_column(String(32))
    intake_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    intake_date: Mapped[dt.date] = mapped_column(Date, comment=INTAKE_DATE_COMMENT)
    patient_ref: Mapped[str] = mapped_column(String(64))
    age_years: Mapped[int] = mapped_column(SmallInteger)
    sex: Mapped[str] = mapped_column(_enum(c.SEXES, "sex"))
    knee_injury: Mapped[str] = mapped_column(_enum(c.KNEE_INJURIES, "knee_injury"))

    __table_args__ = (
        _age_check(),
        *id_alphabet_checks(("intake_id", "clinic_id", "patient_ref")),
        CheckConstraint("version >= 1", "version_positive"),
        ForeignKeyConstraint(
            ["intake_id", "version"], ["case_versions.intake_id", "case_versions.version"]
        ),
        Index(None, "intake_date", "clinic_id"),
        Index(None, "file_id"),
    )


CASE_FIELDS = (
    "clinic_id",
    "intake_at",
    "intake_date",
    "patient_ref",
    "age_years",
    "sex",
    "knee_injury",
)
"""The fields of a case version its current case carries too (what the dashboard filters and
sorts by)."""


class CaseVersion(IntakeContent, Base):
    """Every distinct content received for an `intake_id`, numbered 1, 2, ... in the order
    received; a correction never loses the earlier one. Written before the case that points
    at it."""

    __tablename__ = "case_versions"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    intake_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    file_id: Mapped[int] = mapped_column(ForeignKey("ingested_files.id"))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        *_content_checks(),
        UniqueConstraint("intake_id", "version"),
        UniqueConstraint("intake_id", "content_hash"),
        CheckConstraint("version >= 1", "version_positive"),
        Index(None, "file_id"),
    )


class QuarantinedRecord(Base):
    """A record that broke the contract: the raw text as received and every reason. One whose
    text still shows a red flag is an urgent item, "record needs correction", until a valid
    record with the same `intake_id` is received at or after it (the contract's "A red flag
    survives quarantine")."""

    __tablename__ = "quarantined_records"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("ingested_files.id", ondelete="CASCADE"))
    line_number: Mapped[int] = mapped_column(Integer, comment="1-based line in the file")
    intake_id: Mapped[str | None] = mapped_column(String(256), comment="as received, if any")
    raw_record: Mapped[str] = mapped_column(Text)
    reasons: Mapped[list[dict[str, str | None]]] = mapped_column(
        JsonDocument, comment="[{field, rule, value}, ...]"
    )
    quarantined_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    clinic_id: Mapped[str | None] = mapped_column(String(256), comment="as received, if any")
    red_flags: Mapped[list[str]] = mapped_column(
        JsonDocument,
        server_default=text("'[]'"),
        comment="red flags its text still shows (triage reasons)",
    )
    has_red_flag: Mapped[bool] = mapped_column(
        server_default=false(),
        comment="red_flags is not empty: urgent, the record needs correction",
    )

    __table_args__ = (
        UniqueConstraint("file_id", "line_number"),
        CheckConstraint("line_number >= 1", "line_number_positive"),
        Index(None, "has_red_flag", "intake_id"),
    )


class DailyCaseCount(Base):
    """The dashboard's prepared aggregate: cases per intake day and every dimension it
    filters or groups by. Replaced day by day by the pipeline, never row by row."""

    __tablename__ = "daily_case_counts"

    intake_date: Mapped[dt.date] = mapped_column(Date)
    clinic_id: Mapped[str] = mapped_column(String(32))
    mechanism: Mapped[str] = mapped_column(_enum(MECHANISMS, "mechanism"))
    triage: Mapped[str] = mapped_column(_enum(TRIAGE_LEVELS, "triage"))
    knee_injury: Mapped[str] = mapped_column(_enum(c.KNEE_INJURIES, "knee_injury"))
    age_band: Mapped[str] = mapped_column(String(8))
    sex: Mapped[str] = mapped_column(_enum(c.SEXES, "sex"))
    cases: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        PrimaryKeyConstraint(
            "intake_date", "clinic_id", "mechanism", "triage", "knee_injury", "age_band", "sex"
        ),
        CheckConstraint("cases > 0", "cases_positive"),
        Index(None, "clinic_id", "intake_date"),
        Index(
            "ix_daily_case_counts_dashboard",
            "intake_date",
            "mechanism",
            "triage",
            "clinic_id",
            "knee_injury",
            "age_band",
            "sex",
            "cases",
        ),
    )
    """`ix_daily_case_counts_dashboard` covers the dashboard's counts: a date range read from
    the index alone, already in (day, mechanism, triage) order, with every filter column."""


class PipelineRun(Base):
    """One run of the ingestion job and how it ended, for the dashboard's data-quality page."""

    __tablename__ = "pipeline_runs"

    run_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    job_name: Mapped[str] = mapped_column(String(64))
    first_day: Mapped[dt.date | None] = mapped_column(Date)
    last_day: Mapped[dt.date | None] = mapped_column(Date)
    finished_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(_enum(RunStatus, "run_status"))
    detail: Mapped[str | None] = mapped_column(Text, comment="the failure, in one line")

    __table_args__ = (Index(None, "finished_at"),)


class CaseClassification(Base):
    """The classification of a case's current version by one version of the rule set."""

    __tablename__ = "case_classifications"

    intake_id: Mapped[str] = mapped_column(
        ForeignKey("intake_cases.intake_id", ondelete="CASCADE"), primary_key=True
    )
    case_version: Mapped[int] = mapped_column(Integer)
    rules_version: Mapped[str] = mapped_column(String(32))
    mechanism: Mapped[str] = mapped_column(_enum(MECHANISMS, "mechanism"))
    mechanism_evidence: Mapped[list[str]] = mapped_column(JsonDocument)
    triage: Mapped[str] = mapped_column(_enum(TRIAGE_LEVELS, "triage"))
    triage_reasons: Mapped[list[str]] = mapped_column(JsonDocument)
    classified_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    # Only the triage is indexed: the alerts look for urgent cases (a small share); the
    # mechanism and rule-set version are read in groups of a third of the cases or more.
    __table_args__ = (Index(None, "triage"),)


USERNAME_LENGTH = 128


class RulesImpactReport(Base):
    """What a candidate rule set would change if approved, made before any case is touched
    (`pipeline.rules.impact`): the headline counts as columns, the tables as a document
    (`report`), and the report as Markdown."""

    __tablename__ = "rules_impact_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    in_force_version: Mapped[str] = mapped_column(String(32))
    candidate_version: Mapped[str] = mapped_column(String(32))
    made_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    cases: Mapped[int] = mapped_column(Integer)
    mechanism_changes: Mapped[int] = mapped_column(Integer)
    triage_changes: Mapped[int] = mapped_column(Integer)
    triage_downgrades: Mapped[int] = mapped_column(Integer)
    report: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    markdown: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index(None, "candidate_version", "made_at"),)


class RulesApproval(Base):
    """A rule set put in force: approved by someone for a reason after its impact report, or
    taken up by a fresh database (nothing classified yet, no report, `report_id` NULL). The
    newest row is the version in force."""

    __tablename__ = "rules_approvals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[str] = mapped_column(String(32))
    replaces: Mapped[str | None] = mapped_column(String(32))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("rules_impact_reports.id"))
    approved_by: Mapped[str] = mapped_column(String(USERNAME_LENGTH))
    reason: Mapped[str] = mapped_column(Text)
    accepted_downgrades: Mapped[bool]
    approved_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index(None, "approved_at"),)


class AlertLedgerEntry(Base):
    """What was announced to a clinic's alert channels, one row per subject and triage level:
    re-runs, retries and concurrent runs consult it, so no subject is announced twice (but a
    run killed between sending and recording may send once more) and none is lost."""

    __tablename__ = "alert_ledger"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    subject: Mapped[str] = mapped_column(_enum(AlertSubject, "alert_subject"))
    subject_key: Mapped[str] = mapped_column(
        String(256), comment="the case's intake_id, or the quarantined record's id"
    )
    level: Mapped[str] = mapped_column(_enum(TRIAGE_LEVELS, "triage"))
    clinic_id: Mapped[str | None] = mapped_column(String(256))
    status: Mapped[str] = mapped_column(_enum(AlertStatus, "alert_status"))
    attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    queued_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    claimed_at: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True), comment="when a run took it to send; its lease starts then"
    )
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(
        String(512), comment="why the last send failed, without channel addresses"
    )

    __table_args__ = (
        UniqueConstraint("subject", "subject_key", "level"),
        Index(None, "status", "claimed_at"),
        CheckConstraint("attempts >= 0", "attempts_not_negative"),
    )


FOLLOW_UP_NOTE_LENGTH = 500


class FollowUpItem(Base):
    """The follow-up of one urgent or evaluate case (or one quarantined record whose red flag
    needs a correction): open, then contacted, then closed with an outcome, by a person. Opened
    by the pipeline; `version` is checked on every change, so two administrators changing the
    same item at once cannot overwrite each other."""

    __tablename__ = "follow_up_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject: Mapped[str] = mapped_column(_enum(AlertSubject, "alert_subject"))
    subject_key: Mapped[str] = mapped_column(
        String(256), comment="the case's intake_id, or the quarantined record's id"
    )
    clinic_id: Mapped[str | None] = mapped_column(String(256))
    level: Mapped[str] = mapped_column(
        _enum(TRIAGE_LEVELS, "triage"), comment="the triage it was opened (or reopened) for"
    )
    state: Mapped[str] = mapped_column(_enum(FollowUpState, "follow_up_state"))
    outcome: Mapped[str | None] = mapped_column(_enum(FollowUpOutcome, "follow_up_outcome"))
    note: Mapped[str | None] = mapped_column(String(FOLLOW_UP_NOTE_LENGTH))
    landed_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), comment="when the record that opened it was received"
    )
    due_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    changed_by: Mapped[str] = mapped_column(String(128), comment="a user, or `pipeline`")
    version: Mapped[int] = mapped_column(Integer, comment="raised by every change")

    __table_args__ = (
        UniqueConstraint("subject", "subject_key"),
        Index(None, "state", "level", "due_at"),
        # The worklist's order (urgent before evaluate, then due soonest), read from the index
        # a page at a time instead of sorting every open item.
        Index("ix_follow_up_items_worklist_order", desc(column("level")), "due_at", "id"),
        Index(None, "clinic_id", "state"),
        CheckConstraint(
            f"state <> '{FollowUpState.CLOSED}' OR outcome IS NOT NULL", "closed_has_outcome"
        ),
        CheckConstraint(
            f"outcome IS NULL OR state = '{FollowUpState.CLOSED}'", "outcome_only_when_closed"
        ),
        CheckConstraint("version >= 1", "version_positive"),
    )


class FollowUpEvent(Base):
    """One change of a follow-up item: who, when, from which state to which, and why."""

    __tablename__ = "follow_up_events"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("follow_up_items.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    by: Mapped[str] = mapped_column(String(128))
    state_from: Mapped[str | None] = mapped_column(_enum(FollowUpState, "follow_up_state_from"))
    state_to: Mapped[str] = mapped_column(_enum(FollowUpState, "follow_up_state"))
    level: Mapped[str] = mapped_column(_enum(TRIAGE_LEVELS, "triage"))
    outcome: Mapped[str | None] = mapped_column(_enum(FollowUpOutcome, "follow_up_outcome"))
    note: Mapped[str | None] = mapped_column(String(FOLLOW_UP_NOTE_LENGTH))

    __table_args__ = (Index(None, "item_id", "at"),)


AUDIT_EVENTS = (
    "sign_in",
    "sign_in_failed",
    "worklist_opened",
    "export",
    "case_opened",
    "follow_up_changed",
    "case_searched",
    "rules_approved",
    "rules_change_opened",
)
"""What the dashboard records about its users (and `intake rules approve`, who approved a
rule set and why)."""


class DashboardUser(Base):
    """Someone who may sign in to the dashboard, with their role.

    `password_hash` is an argon2id hash (argon2-cffi); it is NULL for a user who signs in only
    through the deployment's OpenID Connect provider."""

    __tablename__ = "dashboard_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(USERNAME_LENGTH))
    role: Mapped[str] = mapped_column(_enum(Role, "role"))
    password_hash: Mapped[str | None] = mapped_column(String(256))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (UniqueConstraint("username"),)


class AuditEvent(Base):
    """One thing a dashboard user did that must stay on record: a sign-in (or a failed one),
    an opening of the red-flag worklist, an export. `username` is as typed, so failed sign-ins
    of unknown names are kept too; `filters` holds the filters in force (JSON)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    username: Mapped[str] = mapped_column(String(USERNAME_LENGTH))
    event: Mapped[str] = mapped_column(_enum(AUDIT_EVENTS, "audit_event"))
    filters: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index(None, "at"), Index(None, "username", "event", "at"))


SIGN_IN_METHODS = ("password", "oidc")
LIMIT_SCOPES = ("username", "address")
"""What failed sign-ins are counted against: the name typed, and the client's address."""


class SignInLimit(Base):
    """Failed sign-ins counted against one user name or one client address (NIST SP 800-63B
    5.2.2), across every dashboard session and server process: how many since
    `window_started_at`, and until when further attempts are refused (`locked_until`)."""

    __tablename__ = "sign_in_limits"

    scope: Mapped[str] = mapped_column(_enum(LIMIT_SCOPES, "limit_scope"), primary_key=True)
    key: Mapped[str] = mapped_column(String(USERNAME_LENGTH), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    window_started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class DashboardSession(Base):
    """A signed-in browser: the hash of the random token its signed, HttpOnly cookie holds,
    whose it is, until when it holds, when the browser collected its cookie (once only) and
    when it was signed out. The token itself is never stored."""

    __tablename__ = "dashboard_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(USERNAME_LENGTH))
    method: Mapped[str] = mapped_column(_enum(SIGN_IN_METHODS, "sign_in_method"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    collected_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index(None, "username"),)


__all__ = [
    "AlertLedgerEntry",
    "AuditEvent",
    "Base",
    "CaseClassification",
    "CaseVersion",
    "DailyCaseCount",
    "DashboardSession",
    "DashboardUser",
    "FollowUpEvent",
    "FollowUpItem",
    "IngestedFile",
    "IntakeCase",
    "PipelineRun",
    "QuarantinedRecord",
    "RulesApproval",
    "RulesImpactReport",
    "SignInLimit",
    "table_of",
]


def table_of(model: type[Base]) -> Table:
    """The Core table of a model, for set-based SQL (typed, unlike `Model.__table__`)."""
    return Base.metadata.tables[model.__tablename__]
