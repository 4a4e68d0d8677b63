"""Every question the dashboard asks the database, and nothing else: counts summed in the database
from the prepared `daily_case_counts` (bounded by days x clinics x mechanisms x triage levels,
never by the number of cases), bounded paged lists, each loader cached for a time-to-live."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
import streamlit as st
from sqlalchemy import (
    ColumnElement,
    Date,
    DateTime,
    Float,
    Integer,
    Row,
    Select,
    and_,
    exists,
    func,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.sql.expression import type_coerce
from sqlalchemy.types import TypeEngine

from dashboards import shaping, sql_functions
from dashboards.database import engine_for
from dashboards.filters import Filters
from dashboards.red_flags import CASE_SCHEMA, NEEDING_CORRECTION_SCHEMA, WorklistQuery
from dashboards.settings import (
    AUDIT_PAGE_SIZE,
    AUDIT_TTL,
    CACHE_MAX_ENTRIES,
    CACHE_TTL,
    EXPORT_ROW_LIMIT,
    QUARANTINE_EXAMPLES,
    RECENT_FILES,
    RECENT_RUNS,
    WORKLIST_PAGE_SIZE,
)
from db import needs_correction
from db.models import (
    RECORD_OUTCOMES,
    AuditEvent,
    CaseClassification,
    DailyCaseCount,
    IngestedFile,
    IntakeCase,
    PipelineRun,
    QuarantinedRecord,
    table_of,
)
from db.states import RunStatus
from pipeline.aggregate.daily_counts import AGE_BANDS
from pipeline.alerts import ledger

COUNTS = table_of(DailyCaseCount)
CASES = table_of(IntakeCase)
CLASSIFICATIONS = table_of(CaseClassification)
FILES = table_of(IngestedFile)
QUARANTINE = table_of(QuarantinedRecord)
RUNS = table_of(PipelineRun)
EVENTS = table_of(AuditEvent)

cached = st.cache_data(ttl=CACHE_TTL, max_entries=CACHE_MAX_ENTRIES, show_spinner=False)


@dataclass(frozen=True, slots=True)
class DataBounds:
    """The first and last intake day with counted cases, and every clinic that has some."""

    earliest: dt.date
    latest: dt.date
    clinics: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DataVersion:
    """The last successful pipeline run: the data the pages show is as of it."""

    run_id: str | None
    finished_at: dt.datetime | None


def last_successful_run(url: str) -> DataVersion:
    """Not cached: asked on every page run, so a run that has committed is seen at once."""
    query = (
        select(RUNS.c.run_id, RUNS.c.finished_at)
        .where(RUNS.c.status == RunStatus.SUCCESS)
        .order_by(RUNS.c.finished_at.desc())
        .limit(1)
    )
    with engine_for(url).connect() as connection:
        row = connection.execute(query).one_or_none()
    return (
        DataVersion(None, None) if row is None else DataVersion(row.run_id, as_utc(row.finished_at))
    )


@cached
def data_bounds(url: str) -> DataBounds | None:
    """What the filters can choose from; None while no case has been counted."""
    earliest = select(func.min(COUNTS.c.intake_date)).scalar_subquery()
    latest = select(func.max(COUNTS.c.intake_date)).scalar_subquery()
    with engine_for(url).connect() as connection:
        first, last = connection.execute(select(earliest, latest)).one()
        if first is None:
            return None
        clinics = connection.execute(
            select(COUNTS.c.clinic_id).distinct().order_by(COUNTS.c.clinic_id)
        ).scalars()
        return DataBounds(first, last, tuple(clinics))


@cached
def period_counts(url: str, filters: Filters, *, by_clinic: bool = False) -> pl.DataFrame:
    """Cases per period (the chosen one and the one as long before it), week (starting
    Monday), mechanism and triage level [and clinic], from the daily aggregate.

    The database sums per day, in the order of the covering index
    `ix_daily_case_counts_dashboard`, so it reads the index alone and streams; what comes
    back is at most days x 5 mechanisms x 3 triage levels [x clinics] rows, which polars
    folds into periods and weeks."""
    keys = [COUNTS.c.intake_date, COUNTS.c.mechanism, COUNTS.c.triage]
    if by_clinic:
        keys.append(COUNTS.c.clinic_id)
    query = (
        select(*keys, func.sum(COUNTS.c.cases).label("cases"))
        .where(*_count_conditions(filters))
        .group_by(*keys)
    )
    with engine_for(url).connect() as connection:
        rows = connection.execute(query).all()
    by = ("clinic_id",) if by_clinic else ()
    daily = _frame(rows, _schema_of(query))
    return shaping.periods_and_weeks(daily, filters.start, by=by)


@cached
def month_counts(url: str, filters: Filters, first_day: dt.date, last_day: dt.date) -> pl.DataFrame:
    """Cases per calendar month, clinic, mechanism and triage level from `first_day` to
    `last_day`, under every filter but the period (calendar comparisons choose their own)."""
    keys = [COUNTS.c.intake_date, COUNTS.c.clinic_id, COUNTS.c.mechanism, COUNTS.c.triage]
    query = (
        select(*keys, func.sum(COUNTS.c.cases).label("cases"))
        .where(COUNTS.c.intake_date.between(first_day, last_day), *_dimension_conditions(filters))
        .group_by(*keys)
    )
    with engine_for(url).connect() as connection:
        rows = connection.execute(query).all()
    return shaping.months(_frame(rows, _schema_of(query)))


@dataclass(frozen=True, slots=True)
class WorklistPage:
    """One page of follow-up cases and how many the query matches in all."""

    cases: pl.DataFrame
    total: int


@cached
def worklist_page(url: str, query: WorklistQuery, page: int) -> WorklistPage:
    """Page `page` (from 1) of the urgent and evaluate cases the query matches, newest first."""
    engine = engine_for(url)
    conditions = _worklist_conditions(query, engine.dialect.name)
    with engine.connect() as connection:
        total = connection.execute(
            select(func.count()).select_from(_cases_joined()).where(*conditions)
        ).scalar_one()
        rows = connection.execute(
            _worklist_select(conditions)
            .limit(WORKLIST_PAGE_SIZE)
            .offset((max(page, 1) - 1) * WORKLIST_PAGE_SIZE)
        ).all()
    return WorklistPage(_frame(rows, CASE_SCHEMA), int(total))


def worklist_export(url: str, query: WorklistQuery) -> pl.DataFrame:
    """Every case the query matches, newest first, up to EXPORT_ROW_LIMIT. Not cached: it is
    run when someone exports."""
    engine = engine_for(url)
    with engine.connect() as connection:
        rows = connection.execute(
            _worklist_select(_worklist_conditions(query, engine.dialect.name)).limit(
                EXPORT_ROW_LIMIT
            )
        ).all()
    return _frame(rows, CASE_SCHEMA)


@cached
def recent_runs(url: str) -> pl.DataFrame:
    """The latest pipeline runs, newest first."""
    query = (
        select(RUNS.c.finished_at, RUNS.c.job_name, RUNS.c.status, RUNS.c.first_day)
        .add_columns(RUNS.c.last_day, RUNS.c.detail, RUNS.c.run_id)
        .order_by(RUNS.c.finished_at.desc())
        .limit(RECENT_RUNS)
    )
    return _load(url, query)


@cached
def clinic_freshness(url: str, clinics: tuple[str, ...]) -> pl.DataFrame:
    """Per clinic (all, or those chosen): the last intake day loaded."""
    query = select(CASES.c.clinic_id, func.max(CASES.c.intake_date).label("last_intake_date"))
    if clinics:
        query = query.where(CASES.c.clinic_id.in_(clinics))
    query = query.group_by(CASES.c.clinic_id).order_by(CASES.c.clinic_id)
    return _load(url, query)


@cached
def file_totals(url: str) -> pl.DataFrame:
    """Files ingested per status, with their records in, loaded, unchanged, corrected and
    quarantined."""
    sums = [func.coalesce(func.sum(FILES.c[c]), 0, type_=Integer).label(c) for c in _RECORD_COUNTS]
    query = (
        select(FILES.c.status, func.count().label("files"), *sums)
        .group_by(FILES.c.status)
        .order_by(FILES.c.status)
    )
    return _load(url, query)


@cached
def recent_files(url: str) -> pl.DataFrame:
    """The latest files received, newest first."""
    query = (
        select(FILES.c.received_at, FILES.c.source_path, FILES.c.landing_date, FILES.c.status)
        .add_columns(*(FILES.c[c] for c in _RECORD_COUNTS))
        .order_by(FILES.c.received_at.desc(), FILES.c.id.desc())
        .limit(RECENT_FILES)
    )
    return _load(url, query)


@cached
def quarantine_reasons(url: str) -> pl.DataFrame:
    """Each reason records were quarantined for (field and rule), how many records, and the
    latest few examples of it (value, file, line)."""
    engine = engine_for(url)
    reason = sql_functions.json_array_items(QUARANTINE.c.reasons, engine.dialect.name)
    field = sql_functions.json_text(reason, "field", engine.dialect.name)
    rule = sql_functions.json_text(reason, "rule", engine.dialect.name)
    value = sql_functions.json_text(reason, "value", engine.dialect.name)
    ranked = (
        select(
            field.label("field"),
            rule.label("rule"),
            func.count().over(partition_by=(field, rule)).label("records"),
            func.row_number(type_=Integer)
            .over(partition_by=(field, rule), order_by=QUARANTINE.c.id.desc())
            .label("example"),
            value.label("value"),
            FILES.c.source_path,
            QUARANTINE.c.line_number,
        )
        .select_from(QUARANTINE.join(FILES).join(reason, true()))
        .subquery()
    )
    query = (
        select(ranked)
        .where(ranked.c.example <= QUARANTINE_EXAMPLES)
        .order_by(ranked.c.records.desc(), ranked.c.field, ranked.c.rule, ranked.c.example)
    )
    return _load(url, query)


@cached
def records_needing_correction(url: str, clinics: tuple[str, ...]) -> pl.DataFrame:
    """Quarantined records whose red flag is unresolved (`db.needs_correction`), newest
    first, at most `EXPORT_ROW_LIMIT`: file, line, clinic and intake id as received, the red
    flags and the quarantine reasons. `clinics` empty: every clinic."""
    query = (
        select(
            QUARANTINE.c.quarantined_at,
            FILES.c.source_path,
            QUARANTINE.c.line_number,
            QUARANTINE.c.clinic_id,
            QUARANTINE.c.intake_id,
            QUARANTINE.c.red_flags,
            QUARANTINE.c.reasons,
        )
        .select_from(QUARANTINE.join(FILES))
        .where(needs_correction.unresolved())
        .order_by(QUARANTINE.c.quarantined_at.desc(), QUARANTINE.c.id.desc())
        .limit(EXPORT_ROW_LIMIT)
    )
    if clinics:
        query = query.where(QUARANTINE.c.clinic_id.in_(clinics))
    engine = engine_for(url)
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return pl.DataFrame(
        [
            {
                "quarantined_at": as_utc(r.quarantined_at),
                "file": r.source_path.rsplit("/", 1)[-1],
                "line_number": r.line_number,
                "clinic_id": r.clinic_id,
                "intake_id": r.intake_id,
                "red_flags": _json_value(r.red_flags),
                "reasons": [
                    f"{reason['field']}: {reason['rule']}" for reason in _json_value(r.reasons)
                ],
            }
            for r in rows
        ],
        schema=NEEDING_CORRECTION_SCHEMA,
    )


@cached
def needing_correction_per_clinic(url: str) -> pl.DataFrame:
    """How many unresolved red-flag records need correction, per clinic as received."""
    query = (
        select(QUARANTINE.c.clinic_id, func.count().label("records"))
        .where(needs_correction.unresolved())
        .group_by(QUARANTINE.c.clinic_id)
        .order_by(QUARANTINE.c.clinic_id)
    )
    return _load(url, query)


@cached
def alert_status(url: str) -> pl.DataFrame:
    """The alert ledger per clinic and status (`pipeline.alerts.ledger.status_counts`)."""
    with engine_for(url).connect() as connection:
        rows = ledger.status_counts(connection)
    return pl.DataFrame(
        [row | {"last_sent_at": as_utc(row["last_sent_at"])} for row in rows],
        schema={
            "clinic_id": pl.String,
            "status": pl.String,
            "items": pl.Int64,
            "last_sent_at": pl.Datetime("us", "UTC"),
            "last_error": pl.String,
        },
    )


@cached
def rules_versions(url: str) -> pl.DataFrame:
    """The rule-set versions that classified the current cases: how many each, and when last;
    the newest first (the one in force)."""
    last = func.max(CLASSIFICATIONS.c.classified_at)
    query = (
        select(
            CLASSIFICATIONS.c.rules_version,
            func.count().label("cases"),
            last.label("last_classified_at"),
        )
        .group_by(CLASSIFICATIONS.c.rules_version)
        .order_by(last.desc())
    )
    return _load(url, query)


@st.cache_data(ttl=AUDIT_TTL, max_entries=CACHE_MAX_ENTRIES, show_spinner=False)
def audit_log(url: str, events: tuple[str, ...], page: int) -> tuple[pl.DataFrame, int]:
    """Page `page` (from 1) of the audit record, newest first, of the `events` chosen (empty:
    all), and how many events match in all."""
    condition = EVENTS.c.event.in_(events) if events else true()
    query = (
        select(EVENTS.c.at, EVENTS.c.username, EVENTS.c.event, EVENTS.c.filters)
        .where(condition)
        .order_by(EVENTS.c.at.desc(), EVENTS.c.id.desc())
        .limit(AUDIT_PAGE_SIZE)
        .offset((max(page, 1) - 1) * AUDIT_PAGE_SIZE)
    )
    with engine_for(url).connect() as connection:
        total = connection.execute(
            select(func.count()).select_from(EVENTS).where(condition)
        ).scalar_one()
        rows = [r._asdict() | {"filters": _json_text(r.filters)} for r in connection.execute(query)]
    return _frame(rows, _schema_of(query)), int(total)


_RECORD_COUNTS = ("records_in", *RECORD_OUTCOMES)


def _count_conditions(filters: Filters) -> list[ColumnElement[bool]]:
    """The filters on the daily aggregate, over both periods."""
    return [
        COUNTS.c.intake_date.between(filters.previous_start, filters.end),
        *_dimension_conditions(filters),
    ]


def _dimension_conditions(filters: Filters) -> list[ColumnElement[bool]]:
    """The filters on the daily aggregate other than the period."""
    conditions: list[ColumnElement[bool]] = []
    for column, chosen in (
        (COUNTS.c.clinic_id, filters.clinics),
        (COUNTS.c.knee_injury, filters.knee_injuries),
        (COUNTS.c.age_band, filters.age_bands),
        (COUNTS.c.sex, filters.sexes),
    ):
        if chosen:
            conditions.append(column.in_(chosen))
    return conditions


def _cases_joined() -> Any:
    return CASES.join(CLASSIFICATIONS, CLASSIFICATIONS.c.intake_id == CASES.c.intake_id)


def _worklist_conditions(query: WorklistQuery, dialect: str) -> list[ColumnElement[bool]]:
    """The worklist's filters on cases and their classification."""
    filters = query.filters
    conditions: list[ColumnElement[bool]] = [
        CLASSIFICATIONS.c.triage.in_(query.triage_levels),
        CASES.c.intake_date.between(filters.start, filters.end),
    ]
    for column, chosen in (
        (CASES.c.clinic_id, filters.clinics),
        (CASES.c.knee_injury, filters.knee_injuries),
        (CASES.c.sex, filters.sexes),
    ):
        if chosen:
            conditions.append(column.in_(chosen))
    if filters.age_bands:
        conditions.append(
            or_(
                *(
                    CASES.c.age_years.between(low, high)
                    for label, low, high in AGE_BANDS
                    if label in filters.age_bands
                ),
                literal(False),
            )
        )
    if query.reason:
        conditions.append(_has_reason(query.reason, dialect))
    return conditions


def _has_reason(reason: str, dialect: str) -> ColumnElement[bool]:
    """The case's triage reasons include `reason`."""
    reasons = CLASSIFICATIONS.c.triage_reasons
    if dialect == "postgresql":
        has_key: ColumnElement[bool] = type_coerce(reasons, JSONB).has_key(reason)
        return has_key
    item = sql_functions.json_array_items(reasons, dialect)
    return exists(select(literal(1)).select_from(item).where(item.c.value == reason))


def _worklist_select(conditions: Sequence[ColumnElement[bool]]) -> Any:
    return (
        select(
            CASES.c.intake_id,
            CASES.c.patient_ref,
            CASES.c.clinic_id,
            CASES.c.intake_at,
            CLASSIFICATIONS.c.triage,
            CLASSIFICATIONS.c.triage_reasons,
            CLASSIFICATIONS.c.mechanism,
        )
        .select_from(_cases_joined())
        .where(and_(*conditions))
        .order_by(CASES.c.intake_at.desc(), CASES.c.intake_id)
    )


def _load(url: str, query: Select[Any]) -> pl.DataFrame:
    with engine_for(url).connect() as connection:
        rows = connection.execute(query).all()
    return _frame(rows, _schema_of(query))


def _schema_of(query: Select[Any]) -> dict[str, pl.DataType]:
    """The polars types of a query's columns, from their SQL types: times in UTC, JSON as
    text, every integer as Int64."""
    return {name: _polars_type(column.type) for name, column in query.selected_columns.items()}


def _polars_type(sql_type: TypeEngine[Any]) -> pl.DataType:
    if isinstance(sql_type, DateTime):
        return pl.Datetime("us", "UTC")
    if isinstance(sql_type, Date):
        return pl.Date()
    if isinstance(sql_type, Integer):
        return pl.Int64()
    if isinstance(sql_type, Float):
        return pl.Float64()
    return pl.String()


def _frame(rows: Sequence[Any], schema: Mapping[str, Any]) -> pl.DataFrame:
    """Rows as a frame of `schema`, columns taken by name; times in UTC whichever database
    they came from (SQLite returns them without a time zone, PostgreSQL in the session's)."""
    mappings = [r._mapping if isinstance(r, Row) else r for r in rows]
    return pl.DataFrame(
        {name: [as_utc(m[name]) for m in mappings] for name in schema}, schema=schema
    )


def as_utc(value: Any) -> Any:
    """A time read back from either database as timezone-aware UTC (SQLite gives naive UTC)."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
    return value


def _json_text(value: Any) -> str | None:
    return None if value is None else json.dumps(value, sort_keys=True)


def _json_value(value: Any) -> list[Any]:
    """A JSON array column's value as a list (the JSON types decode it; null is empty)."""
    return list(value) if value else []
