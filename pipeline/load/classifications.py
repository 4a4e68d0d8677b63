"""Classifications in the database for the reclassify job and cases left unclassified: which cases
need one (none yet, or made for an older case version or another rule set), classified in chunks
so memory is bounded by the chunk. The load classifies the cases it makes current itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Final

import polars as pl
from sqlalchemy import ColumnElement, Connection, delete, exists, func, or_, select

from db.models import CaseClassification, CaseVersion, IntakeCase, table_of
from pipeline.classify.rules import INJURY_FIELD, ONSET_FIELD
from pipeline.classify.triage import TRIAGE_FIELDS
from pipeline.classify.versions import every_field
from pipeline.contract.schema import RECORD_SCHEMA
from pipeline.load.bulk import bulk_insert, read_frame

CASES = table_of(IntakeCase)
VERSIONS = table_of(CaseVersion)
CLASSIFICATIONS = table_of(CaseClassification)
CHUNK_CASES: Final = 200_000
CLASSIFIER_FIELDS: Final = tuple(
    dict.fromkeys(
        (
            "intake_id",
            ONSET_FIELD,
            INJURY_FIELD,
            *TRIAGE_FIELDS,
            *every_field(),
        )
    )
)
"""The contract fields the rule sets read: only these are read back from the case's current
version (its notes, references and times are not needed to classify it)."""
CASE_SCHEMA: Final = pl.Schema(
    {
        **{name: RECORD_SCHEMA[name] for name in CLASSIFIER_FIELDS},
        "intake_date": pl.Date(),
        "version": pl.Int32(),
    }
)

Classifier = Callable[[pl.DataFrame], pl.DataFrame]
"""The pure rule set: valid records in, one classification per `intake_id` out."""


def _current_version() -> ColumnElement[bool]:
    return (VERSIONS.c.intake_id == CASES.c.intake_id) & (VERSIONS.c.version == CASES.c.version)


def _in_scope(file_ids: Sequence[int] | None) -> ColumnElement[bool]:
    if file_ids is None:
        return CASES.c.intake_id.is_not(None)
    return CASES.c.file_id.in_(file_ids)


def stale_count(
    connection: Connection, rules_version: str, file_ids: Sequence[int] | None = None
) -> int:
    """How many cases in scope (see `classify_cases`) lack a classification by
    `rules_version` of their current version."""
    return int(
        connection.execute(
            select(func.count())
            .select_from(CASES.outerjoin(CLASSIFICATIONS))
            .where(
                _in_scope(file_ids),
                or_(
                    CLASSIFICATIONS.c.intake_id.is_(None),
                    CLASSIFICATIONS.c.rules_version != rules_version,
                    CLASSIFICATIONS.c.case_version != CASES.c.version,
                ),
            )
        ).scalar_one()
    )


def _remove_stale(connection: Connection, rules_version: str, scope: ColumnElement[bool]) -> None:
    """Delete the classifications in scope made for an older case version or rule set. The
    stale ones are found from the cases in scope (by `file_id`'s index), not by scanning every
    classification."""
    stale = (
        select(CASES.c.intake_id)
        .select_from(CASES.join(CLASSIFICATIONS))
        .where(
            scope,
            or_(
                CLASSIFICATIONS.c.rules_version != rules_version,
                CLASSIFICATIONS.c.case_version != CASES.c.version,
            ),
        )
    )
    connection.execute(delete(CLASSIFICATIONS).where(CLASSIFICATIONS.c.intake_id.in_(stale)))


class UnclassifiedCasesError(RuntimeError):
    """A classifier gave back another number of cases than it was handed."""


def classify_cases(
    connection: Connection,
    classifier: Classifier,
    rules_version: str,
    now: dt.datetime,
    file_ids: Sequence[int] | None = None,
) -> int:
    """(Re)classify every case in scope that needs it: the cases whose current version came
    from `file_ids`, or all cases when None. Returns how many were classified."""
    scope = _in_scope(file_ids)
    any_classified = select(CASES.c.intake_id).select_from(CASES.join(CLASSIFICATIONS))
    if connection.execute(any_classified.where(scope).limit(1)).first() is not None:
        # Only then look for stale ones: new cases (the usual load) have none, and the probe
        # walks the scope's index where the full search may scan every classification.
        _remove_stale(connection, rules_version, scope)
    unclassified = (
        select(*(VERSIONS.c[name] for name in CASE_SCHEMA.names()))
        .select_from(CASES.join(VERSIONS, _current_version()))
        .where(scope, ~exists().where(CLASSIFICATIONS.c.intake_id == CASES.c.intake_id))
        .order_by(CASES.c.intake_id)
        .limit(CHUNK_CASES)
    )
    classified = 0
    after = ""  # every intake id is longer: the first chunk starts at the first case
    # Each chunk starts after the last intake id of the one before, so the loop ends even if
    # a chunk came back short; a short chunk is an error, never a case left unclassified.
    while not (
        cases := read_frame(connection, unclassified.where(CASES.c.intake_id > after), CASE_SCHEMA)
    ).is_empty():
        result = classifier(cases.drop("version")).join(
            cases.select("intake_id", pl.col("version").alias("case_version")), on="intake_id"
        )
        rows = result.with_columns(pl.lit(now).alias("classified_at")).select(
            CLASSIFICATIONS.columns.keys()
        )
        if rows.height != cases.height:
            missing = cases.join(rows, on="intake_id", how="anti")["intake_id"].head(3).to_list()
            msg = f"the classifier gave {rows.height} rows for {cases.height} cases" + (
                f", none for {', '.join(missing)}" if missing else ""
            )
            raise UnclassifiedCasesError(msg)
        bulk_insert(connection, CLASSIFICATIONS, rows)
        classified += rows.height
        after = cases["intake_id"][-1]
    return classified
