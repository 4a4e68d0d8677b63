"""The Rules change page (AppTest, SQLite and PostgreSQL): an administrator reads the waiting
candidate's impact report (the counts stored, both charts, transition tables that add up to
the cases, per clinic, the downgraded cases by id), and the opening is audited once; every
page's sidebar says a candidate waits; after approval the page shows the report it was
approved on; a viewer has no such page and the page itself refuses one."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, func, select
from streamlit.testing.v1 import AppTest

from dashboards.session import SignedIn
from db.models import IntakeCase, RulesImpactReport
from pipeline.classify.versions import NEWEST
from pipeline.rules_change import approval
from tests.dashboard import seed
from tests.dashboard.conftest import APP, APP_TIMEOUT_S, OpenApp, audit_events, metrics

PAGE = "app_pages/rules_change.py"
WAITING = f"Rules version {NEWEST} waits for approval"


def _report(engine: Engine) -> RulesImpactReport:
    with engine.connect() as connection:
        row = connection.execute(select(RulesImpactReport)).one()
    return RulesImpactReport(**row._mapping)


def _cases(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(IntakeCase)).scalar_one())


def _matrix_total(at: AppTest, index: int) -> int:
    table = at.dataframe[index].value
    return int(table.drop(columns=["in force"]).to_numpy().sum())


def test_an_administrator_reads_the_waiting_candidates_report_and_the_opening_is_audited(
    seeded_engine: Engine, open_app: OpenApp
) -> None:
    seed.seed_rules_candidate(seeded_engine, downgraded=2)
    report = _report(seeded_engine)
    at = open_app(seed.ADMIN)
    assert any(WAITING in c.value for c in at.sidebar.caption)

    at.switch_page(PAGE).run()

    assert not at.exception
    assert [t.value for t in at.title] == ["Rules change"]
    assert WAITING.replace(NEWEST, f"**{NEWEST}**") in at.warning[0].value
    shown = metrics(at)
    assert shown["Cases compared"][0] == f"{_cases(seeded_engine):,}" == f"{report.cases:,}"
    assert shown["Mechanism would change"][0] == f"{report.mechanism_changes:,}"
    assert shown["Triage would go down"][0] == "2"
    # the Overview's chart by the rules in force and by the candidate, side by side
    charts = [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]
    assert len(charts) == 2
    assert all("layer" in chart for chart in charts)
    assert _matrix_total(at, 0) == _matrix_total(at, 1) == report.cases
    downgraded = at.dataframe[2].value
    assert list(downgraded["Triage in force"]) == ["urgent", "urgent"]
    assert set(downgraded["Intake id"]) == {d["intake_id"] for d in report.report["downgrades"]}

    clinic = "north"
    at.selectbox(key="rules_change_clinic").select(clinic).run()
    north = sum(1 for c in seed.standard_cases() if c.clinic_id == clinic)
    assert _matrix_total(at, 0) == _matrix_total(at, 1) == north
    opened = [e for e in audit_events(seeded_engine, seed.ADMIN) if e[1] == "rules_change_opened"]
    assert opened == [
        (seed.ADMIN, "rules_change_opened", {"report_id": report.id, "candidate": NEWEST})
    ]


def test_after_approval_the_page_shows_the_report_it_was_approved_on(
    seeded_engine: Engine, open_app: OpenApp
) -> None:
    seed.seed_rules_candidate(seeded_engine)
    report = _report(seeded_engine)
    with seeded_engine.begin() as connection:
        approval.approve(
            connection,
            NEWEST,
            by="dr.lee",
            reason="reviewed at the rules meeting",
            accept_downgrades=False,
            now=dt.datetime.now(dt.UTC),
        )
    at = open_app(seed.ADMIN)
    assert not any(WAITING in c.value for c in at.sidebar.caption)
    at.switch_page(PAGE).run()
    assert not at.exception
    assert not at.warning
    assert any("Approved by dr.lee" in c.value and "rules meeting" in c.value for c in at.caption)
    assert metrics(at)["Cases compared"][0] == f"{report.cases:,}"


def test_with_no_report_yet_the_page_says_how_to_make_one(
    seeded_engine: Engine, open_app: OpenApp
) -> None:
    seed.seed_rules_candidate(seeded_engine)
    with seeded_engine.begin() as connection:
        connection.execute(delete(RulesImpactReport))
    at = open_app(seed.ADMIN)
    at.switch_page(PAGE).run()
    assert not at.exception
    assert "intake rules impact" in at.info[0].value
    assert not at.dataframe
    assert [e for e in audit_events(seeded_engine) if e[1] == "rules_change_opened"] == []


def test_a_viewer_has_no_rules_change_page_and_the_page_refuses_one(
    seeded_engine: Engine, open_app: OpenApp, dashboard_env: str
) -> None:
    seed.seed_rules_candidate(seeded_engine, downgraded=1)
    at = open_app(seed.VIEWER)
    assert any(WAITING in c.value for c in at.sidebar.caption)
    with pytest.raises(ValueError, match="navigation page"):
        at.switch_page(PAGE)
    page = AppTest.from_file(str(Path(APP).parent / PAGE), default_timeout=APP_TIMEOUT_S)
    page.session_state["signed_in"] = SignedIn(seed.VIEWER, "viewer", "password")
    page.run()
    assert [e.value for e in page.error] == [
        "This page is for administrators. Ask one if you need access."
    ]
    assert not page.dataframe
    assert audit_events(seeded_engine, seed.VIEWER) == []
