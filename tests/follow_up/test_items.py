"""Every urgent and evaluate case, and every record needing correction, gets one follow-up item
that a person works to closure; a raised triage reopens it; two people changing one item at
once never overwrite each other (both databases, through the real pipeline)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
from sqlalchemy import Engine, func, select

from db.models import CaseClassification, CaseVersion, FollowUpEvent, FollowUpItem, table_of
from pipeline import run
from pipeline.follow_up.items import ChangedMeanwhile, Opened, change_state, open_due_items
from pipeline.follow_up.policy import DuePolicy, FollowUpError, check_change
from pipeline.generate import GenerationConfig, OutputFormat, generate
from pipeline.load.locks import write_transaction
from tests.files import csv, line

ITEMS = table_of(FollowUpItem)
EVENTS = table_of(FollowUpEvent)
VERSIONS = table_of(CaseVersion)
CLASSIFICATIONS = table_of(CaseClassification)
DAY = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 21, 9, tzinfo=dt.UTC)
PERSISTENT = {
    "hip_pain_onset_date": "2026-10-01",
    "injury_date": "2026-09-20",
    "rest_tried": "true",
}


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    with dg.instance_for_test() as test_instance:
        yield test_instance


def _ingest(
    engine: Engine, landing: Path, instance: dg.DagsterInstance, day: dt.date, *lines: str
) -> None:
    landing.mkdir(exist_ok=True)
    (landing / f"intake_C1_{day.isoformat()}.csv").write_bytes(csv(*lines))
    url = engine.url.render_as_string(hide_password=False)
    assert run.run_days(day, day, landing_dir=landing, database_url=url, instance=instance).success


def _items(engine: Engine) -> dict[str, tuple[str, str, str]]:
    with engine.connect() as connection:
        rows = connection.execute(select(ITEMS).order_by(ITEMS.c.subject_key)).all()
    return {r.subject_key: (r.subject, r.level, r.state) for r in rows}


def test_every_urgent_and_evaluate_case_and_record_needing_correction_gets_one_open_item(
    migrated_engine: Engine, tmp_path: Path, instance: dg.DagsterInstance
) -> None:
    landing = tmp_path / "landing"
    _ingest(
        migrated_engine,
        landing,
        instance,
        DAY,
        line(intake_id="URGENT", weight_bearing="none"),
        line(intake_id="EVALUATE", **PERSISTENT),
        line(intake_id="ROUTINE"),
        line(intake_id="BROKEN", sex="?", pain_trend="rapidly_worsening"),
    )
    items = _items(migrated_engine)
    correction_key = next(k for k, v in items.items() if v[0] == "correction")
    assert items == {
        "EVALUATE": ("case", "evaluate", "open"),
        "URGENT": ("case", "urgent", "open"),
        correction_key: ("correction", "urgent", "open"),
    }
    with migrated_engine.connect() as connection:
        due = {
            r.subject_key: r.due_at - r.landed_at
            for r in connection.execute(
                select(ITEMS.c.subject_key, ITEMS.c.landed_at, ITEMS.c.due_at)
            )
        }
        landed = connection.execute(
            select(VERSIONS.c.received_at).where(VERSIONS.c.intake_id == "URGENT")
        ).scalar_one()
        urgent_landed = connection.execute(
            select(ITEMS.c.landed_at).where(ITEMS.c.subject_key == "URGENT")
        ).scalar_one()
    assert due == {
        "URGENT": dt.timedelta(hours=24),
        "EVALUATE": dt.timedelta(days=7),
        correction_key: dt.timedelta(hours=24),
    }
    assert urgent_landed == landed

    _ingest(migrated_engine, landing, instance, DAY + dt.timedelta(days=1), line(intake_id="OTHER"))
    assert len(_items(migrated_engine)) == 3, "a later run opens no second item"


def test_a_run_of_several_days_opens_the_items_of_every_day_not_only_the_first(
    migrated_engine: Engine, tmp_path: Path, instance: dg.DagsterInstance
) -> None:
    # After its first day, a run looks only at what each day's files brought.
    landing = tmp_path / "landing"
    landing.mkdir()
    first, second = DAY - dt.timedelta(days=1), DAY
    (landing / f"intake_C1_{first.isoformat()}.csv").write_bytes(
        csv(line(intake_id="URGENT-1", weight_bearing="none", intake_at="2026-11-19T09:00:00Z"))
    )
    (landing / f"intake_C1_{second.isoformat()}.csv").write_bytes(
        csv(
            line(intake_id="URGENT-2", weight_bearing="none"),
            line(intake_id="EVALUATE-2", **PERSISTENT),
            line(intake_id="BROKEN-2", sex="?", pain_trend="rapidly_worsening"),
        )
    )
    url = migrated_engine.url.render_as_string(hide_password=False)
    result = run.run_days(first, second, landing_dir=landing, database_url=url, instance=instance)
    assert result.success
    items = _items(migrated_engine)
    assert {k: v for k, v in items.items() if v[0] == "case"} == {
        "EVALUATE-2": ("case", "evaluate", "open"),
        "URGENT-1": ("case", "urgent", "open"),
        "URGENT-2": ("case", "urgent", "open"),
    }
    assert [v for v in items.values() if v[0] == "correction"] == [("correction", "urgent", "open")]


def test_the_items_a_run_opens_from_memory_are_those_a_full_pass_over_the_database_finds(
    migrated_engine: Engine, tmp_path: Path, instance: dg.DagsterInstance
) -> None:
    # New cases get their items from the load's own classification, without reading the cases
    # back; re-sent and corrected cases and quarantined records are looked up. A full pass
    # afterwards (as the reclassify job runs it) must find nothing left to open or reopen.
    landing = tmp_path / "landing"
    generate(
        GenerationConfig(
            records=3_000,
            days=6,
            end_date=DAY,
            clinics=2,
            seed=5,
            output_format=OutputFormat.CSV,
            invalid_rate=0.1,
            out_dir=landing,
        )
    )
    url = migrated_engine.url.render_as_string(hide_password=False)
    first, last = run.landing_days(landing) or (DAY, DAY)
    result = run.run_days(first, last, landing_dir=landing, database_url=url, instance=instance)
    assert result.success
    with migrated_engine.connect() as connection:
        cases_due = connection.execute(
            select(func.count())
            .select_from(CLASSIFICATIONS)
            .where(CLASSIFICATIONS.c.triage.in_(("urgent", "evaluate")))
        ).scalar_one()
        landed_as_received = connection.execute(
            select(func.count())
            .select_from(ITEMS.join(VERSIONS, ITEMS.c.subject_key == VERSIONS.c.intake_id))
            .where(ITEMS.c.subject == "case", ITEMS.c.landed_at == VERSIONS.c.received_at)
        ).scalar_one()
    items = _items(migrated_engine)
    assert sum(1 for v in items.values() if v[0] == "case") == cases_due > 0
    assert landed_as_received == cases_due, "an item's clock starts when its version landed"
    with write_transaction(migrated_engine) as connection:
        assert open_due_items(connection, DuePolicy(), NOW) == Opened(0, 0)


def test_a_correction_that_raises_the_triage_reopens_the_item_and_one_that_lowers_it_does_not(
    migrated_engine: Engine, tmp_path: Path, instance: dg.DagsterInstance
) -> None:
    landing = tmp_path / "landing"
    _ingest(
        migrated_engine,
        landing,
        instance,
        DAY,
        line(intake_id="RISES", **PERSISTENT),
        line(intake_id="FALLS", weight_bearing="none", **PERSISTENT),
    )
    with migrated_engine.begin() as connection:
        for key in ("RISES", "FALLS"):
            item = connection.execute(select(ITEMS).where(ITEMS.c.subject_key == key)).one()
            version = change_state(
                connection, item.id, item.version, to="contacted", by="ada", now=NOW
            )
            change_state(
                connection,
                item.id,
                version,
                to="closed",
                by="ada",
                now=NOW,
                outcome="seen_in_clinic",
            )
    _ingest(
        migrated_engine,
        landing,
        instance,
        DAY + dt.timedelta(days=1),
        line(intake_id="RISES", fever_reported="true", **PERSISTENT),
        line(intake_id="FALLS", weight_bearing="partial", **PERSISTENT),
    )
    items = _items(migrated_engine)
    assert items["RISES"] == ("case", "urgent", "open")
    assert items["FALLS"] == ("case", "urgent", "closed")  # as it was; the change is shown
    with migrated_engine.connect() as connection:
        reopened = connection.execute(
            select(EVENTS.c.by, EVENTS.c.state_from, EVENTS.c.state_to, EVENTS.c.note)
            .join(ITEMS)
            .where(ITEMS.c.subject_key == "RISES")
            .order_by(EVENTS.c.id)
        ).all()
    assert [tuple(e) for e in reopened] == [
        ("ada", "open", "contacted", None),
        ("ada", "contacted", "closed", None),
        ("pipeline", "closed", "open", "reopened: the triage rose from evaluate to urgent"),
    ]


def test_of_two_people_changing_one_item_at_once_the_second_is_told_who_came_first(
    migrated_engine: Engine, tmp_path: Path, instance: dg.DagsterInstance
) -> None:
    _ingest(
        migrated_engine,
        tmp_path / "landing",
        instance,
        DAY,
        line(intake_id="U", weight_bearing="none"),
    )
    with migrated_engine.connect() as connection:
        item = connection.execute(select(ITEMS)).one()
    outcomes: dict[str, object] = {}
    start = threading.Barrier(2)

    def attempt(user: str) -> None:
        start.wait()
        try:
            with write_transaction(migrated_engine) as connection:  # takes the lock up front
                outcomes[user] = change_state(
                    connection, item.id, item.version, to="contacted", by=user, now=NOW
                )
        except ChangedMeanwhile as told:
            outcomes[user] = told

    threads = [threading.Thread(target=attempt, args=(u,)) for u in ("ada", "bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    told = [o for o in outcomes.values() if isinstance(o, ChangedMeanwhile)]
    won = [u for u, o in outcomes.items() if o == item.version + 1]
    assert len(won) == 1, outcomes
    assert len(told) == 1, outcomes
    assert (told[0].state, told[0].changed_by) == ("contacted", won[0])
    with migrated_engine.connect() as connection:
        events = connection.execute(select(EVENTS.c.by)).scalars().all()
    assert events == won


@pytest.mark.parametrize(
    ("state", "to", "outcome", "allowed"),
    [
        ("open", "contacted", None, True),
        ("open", "closed", "unreachable", True),
        ("contacted", "closed", "sent_to_emergency", True),
        ("open", "closed", None, False),
        ("contacted", "open", None, False),
        ("closed", "open", None, False),
        ("closed", "contacted", None, False),
        ("open", "contacted", "seen_in_clinic", False),
    ],
)
def test_a_person_moves_an_item_forward_only_and_closes_it_with_an_outcome(
    state: str, to: str, outcome: str | None, allowed: bool
) -> None:
    if allowed:
        check_change(state, to, outcome)
    else:
        with pytest.raises(FollowUpError):
            check_change(state, to, outcome)
