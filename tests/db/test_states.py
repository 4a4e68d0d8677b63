"""The words for states and the rules said once: the database allows exactly the states the
code names, a file's counts add up by one list of outcomes, triage reads the fields it names."""

from __future__ import annotations

from enum import StrEnum

import polars as pl
import pytest
from sqlalchemy import CheckConstraint, Enum

from db.models import COUNTS_ADD_UP, RECORD_OUTCOMES, Base, table_of
from db.models import IngestedFile as File
from db.states import (
    AlertStatus,
    AlertSubject,
    FileStatus,
    FollowUpOutcome,
    FollowUpState,
    Role,
    RunStatus,
)
from pipeline.alerts.channels import SendResult
from pipeline.classify.triage import INTAKE_DATE, TRIAGE_FIELDS, triage_columns
from pipeline.contract.schema import RECORD_SCHEMA
from pipeline.follow_up.policy import NEXT_STATES


@pytest.mark.parametrize(
    ("table", "column", "words"),
    [
        ("ingested_files", "status", FileStatus),
        ("pipeline_runs", "status", RunStatus),
        ("alert_ledger", "status", AlertStatus),
        ("alert_ledger", "subject", AlertSubject),
        ("follow_up_items", "state", FollowUpState),
        ("follow_up_items", "outcome", FollowUpOutcome),
        ("follow_up_events", "state_from", FollowUpState),
        ("dashboard_users", "role", Role),
    ],
)
def test_the_database_allows_exactly_the_states_the_code_names(
    table: str, column: str, words: type[StrEnum]
) -> None:
    column_type = Base.metadata.tables[table].c[column].type
    assert isinstance(column_type, Enum)
    assert column_type.enums == [word.value for word in words]


def test_a_files_counts_add_up_over_every_count_column_it_has() -> None:
    counts = {c.name for c in table_of(File).columns if c.name.startswith("records_")}
    assert counts == {"records_in", *RECORD_OUTCOMES}
    checks = {
        c.name: str(c.sqltext) for c in table_of(File).constraints if isinstance(c, CheckConstraint)
    }
    assert checks["ck_ingested_files_counts_add_up"] == f"status <> 'finished' OR {COUNTS_ADD_UP}"


def test_every_send_result_is_an_alert_status() -> None:
    assert {result.value for result in SendResult} <= {status.value for status in AlertStatus}


def test_a_person_may_change_an_item_only_between_follow_up_states() -> None:
    assert set(NEXT_STATES) == set(FollowUpState)
    assert {to for targets in NEXT_STATES.values() for to in targets} <= set(FollowUpState)


def test_triage_decides_from_the_fields_it_names_and_the_intake_date_alone() -> None:
    schema = {name: RECORD_SCHEMA[name] for name in TRIAGE_FIELDS} | {INTAKE_DATE: pl.Date()}
    decided = pl.LazyFrame(schema=schema).select(*triage_columns()).collect()
    assert decided.columns[0] == "triage"
    for missing in TRIAGE_FIELDS:
        narrower = {name: kind for name, kind in schema.items() if name != missing}
        with pytest.raises(pl.exceptions.ColumnNotFoundError):
            pl.LazyFrame(schema=narrower).select(*triage_columns()).collect()
