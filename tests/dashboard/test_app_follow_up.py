"""The red-flag worklist is worked, not just listed (issue 13): it opens on open follow-up items,
urgent first and the longest waiting first; selected rows are marked contacted or closed with an
outcome in one or two clicks; a change someone made first is never overwritten; a case opens in
full; everything is audited, and viewers reach none of it (AppTest, both databases)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import Engine, select
from streamlit.testing.v1 import AppTest

from dashboards.session import SignedIn
from db.models import FollowUpItem, table_of
from pipeline.follow_up.items import change_state, open_due_items
from pipeline.follow_up.policy import DuePolicy
from pipeline.load.locks import write_transaction
from tests.dashboard import seed
from tests.dashboard.conftest import APP, OpenApp, audit_events, table

ITEMS = table_of(FollowUpItem)
PAGE = "app_pages/follow_up.py"


@pytest.fixture
def worked_engine(seeded_engine: Engine) -> Engine:
    """The standard cases with their follow-up items, as the pipeline opens them."""
    with write_transaction(seeded_engine) as connection:
        open_due_items(connection, DuePolicy(), dt.datetime.now(dt.UTC))
    return seeded_engine


def _select(at: AppTest, *rows: int) -> None:
    (key,) = [d.key for d in at.dataframe if d.key and d.key.startswith("follow_up_table")]
    at.session_state[key] = {"selection": {"rows": list(rows), "columns": [], "cells": []}}


def _button(at: AppTest, label: str) -> Any:
    (button,) = [b for b in at.button if b.label == label]
    return button


def _states(engine: Engine) -> dict[str, str]:
    with engine.connect() as connection:
        return dict(connection.execute(select(ITEMS.c.subject_key, ITEMS.c.state)).all())


def test_the_worklist_opens_on_open_items_urgent_first_then_the_longest_waiting(
    worked_engine: Engine, open_app: OpenApp
) -> None:
    at = open_app(seed.ADMIN).switch_page(PAGE).run()
    assert not at.exception
    items = table(at, "Due")
    follow_up = [c for c in seed.standard_cases() if c.triage != "routine"]
    assert len(items) == len(follow_up) == 16  # every open item: the period does not apply
    triage = items["Triage"].tolist()
    urgent = sum(c.triage == "urgent" for c in follow_up)
    assert triage == ["Urgent"] * urgent + ["Evaluate"] * (16 - urgent)
    for level in ("Urgent", "Evaluate"):  # the longest waiting first, within each level
        landed = items[items["Triage"] == level]["Landed (UTC)"].tolist()
        assert landed == sorted(landed)
    assert all(d.startswith("⚠ overdue") for d in items["Due"][:urgent])


def test_two_clicks_mark_a_case_contacted_then_close_it_and_it_leaves_the_open_list(
    worked_engine: Engine, open_app: OpenApp
) -> None:
    at = open_app(seed.ADMIN).switch_page(PAGE).run()
    first = table(at, "Due")["Intake id"][0]
    _select(at, 0)
    at.run()
    _button(at, "Mark contacted").click().run()
    assert not at.exception
    assert _states(worked_engine)[first] == "contacted"
    assert not [b for b in at.button if b.label == "Close"], "done: the selection starts again"
    _select(at, 0)
    at.run()
    at.selectbox(key="follow_up_outcome").select("sent_to_emergency").run()
    _button(at, "Close").click().run()
    assert _states(worked_engine)[first] == "closed"
    assert first not in table(at, "Due")["Intake id"].tolist()
    changes = [f for _, e, f in audit_events(worked_engine, seed.ADMIN) if e == "follow_up_changed"]
    assert [(c["to"], c["outcome"]) for c in changes if c] == [
        ("contacted", None),
        ("closed", "sent_to_emergency"),
    ]
    at.segmented_control(key="follow_up_show").set_value("closed").run()
    closed = table(at, "Due")
    assert closed["Intake id"].tolist() == [first]
    assert closed["State"].tolist() == ["Closed: Sent to emergency"]


def test_a_change_someone_made_first_is_not_overwritten_and_the_user_is_told_who(
    worked_engine: Engine, open_app: OpenApp
) -> None:
    at = open_app(seed.ADMIN).switch_page(PAGE).run()
    first = table(at, "Due")["Intake id"][0]
    _select(at, 0)
    at.run()
    with write_transaction(worked_engine) as connection:  # bob, in another browser
        item = connection.execute(select(ITEMS).where(ITEMS.c.subject_key == first)).one()
        now = dt.datetime.now(dt.UTC)
        change_state(connection, item.id, item.version, to="contacted", by="bob", now=now)
    _button(at, "Close").click().run()  # on the item as ada saw it
    assert _states(worked_engine)[first] == "contacted"
    (warning,) = at.warning
    assert warning.value.startswith("bob changed this item at ")
    assert "it is contacted now. Nothing was changed" in warning.value


def test_a_selection_starts_again_when_the_list_changes_under_it(
    worked_engine: Engine, open_app: OpenApp
) -> None:
    at = open_app(seed.ADMIN).switch_page(PAGE).run()
    first = table(at, "Due")["Intake id"][0]
    _select(at, 0)
    at.run()
    with write_transaction(worked_engine) as connection:  # bob closes the selected item
        item = connection.execute(select(ITEMS).where(ITEMS.c.subject_key == first)).one()
        now = dt.datetime.now(dt.UTC)
        change_state(
            connection, item.id, item.version, to="closed", by="bob", now=now, outcome="not_needed"
        )
    at.run()
    assert first not in table(at, "Due")["Intake id"].tolist()
    assert not [b for b in at.button if b.label in ("Mark contacted", "Close")]


def test_opening_a_case_shows_it_in_full_and_is_audited_with_its_intake_id(
    worked_engine: Engine, open_app: OpenApp
) -> None:
    at = open_app(seed.ADMIN).switch_page(PAGE).run()
    first = table(at, "Due")["Intake id"][0]
    _select(at, 0)
    at.run()
    _button(at, "Open case").click().run()
    assert not at.exception
    assert at.title[0].value == f"Case {first}"
    assert [s.value for s in at.subheader][:4] == ["History", "Knee", "Hip", "Red flags"]
    assert "Follow-up" in [s.value for s in at.subheader]
    assert ("ada", "case_opened", {"intake_id": first}) in audit_events(worked_engine)


def test_looking_a_case_up_by_intake_id_finds_it_and_is_audited(
    worked_engine: Engine, open_app: OpenApp
) -> None:
    at = open_app(seed.ADMIN).switch_page(PAGE).run()
    wanted = table(at, "Due")["Intake id"][3]
    at.text_input(key="follow_up_find").input(wanted).run()
    assert table(at, "Due")["Intake id"].tolist() == [wanted]
    assert ("ada", "case_searched", {"find": wanted}) in audit_events(worked_engine)


@pytest.mark.parametrize("page", ["follow_up", "case"])
def test_a_viewer_running_the_follow_up_or_case_page_directly_is_refused(
    worked_engine: Engine, dashboard_env: str, page: str
) -> None:
    at = AppTest.from_file(str(APP.parent / "app_pages" / f"{page}.py"), default_timeout=60)
    at.session_state["signed_in"] = SignedIn(seed.VIEWER, "viewer", "password")
    at.query_params["intake_id"] = seed.standard_cases()[0].intake_id
    at.run()
    assert not at.dataframe
    assert not at.table
    assert all(e != "case_opened" for _, e, _ in audit_events(worked_engine))


def test_the_overview_shows_per_clinic_how_many_urgent_items_are_open_past_due(
    worked_engine: Engine, open_app: OpenApp
) -> None:
    with worked_engine.connect() as connection:
        overdue = (
            connection.execute(
                select(ITEMS.c.clinic_id).where(
                    ITEMS.c.level == "urgent", ITEMS.c.due_at < dt.datetime.now(dt.UTC)
                )
            )
            .scalars()
            .all()
        )
    at = open_app(seed.ADMIN).run()
    assert not at.exception
    texts = [e.value for e in at.error]
    per_clinic = ", ".join(f"{c} {overdue.count(c)}" for c in sorted(set(overdue)))
    assert f"{len(overdue)} urgent follow-up items are open past their due time ({per_clinic})" in (
        " ".join(texts)
    )
    viewer = open_app(seed.VIEWER).run()
    assert not [e for e in viewer.error if "follow-up" in e.value]
