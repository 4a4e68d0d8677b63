"""Find a case (AppTest, SQLite and PostgreSQL): an administrator finds a case by its intake
id, or a patient's cases by their patient ref, whatever the filters; every lookup is in the
audit log with what was searched and how many were found; viewers have no such page."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from tests.dashboard import seed
from tests.dashboard.conftest import OpenApp, audit_events, table

FIND = "app_pages/find_case.py"


def _find(at: AppTest, text: str) -> AppTest:
    at.text_input(key="find_text").set_value(text)
    return at.button(key="find").click().run()


def test_an_administrator_finds_a_case_by_intake_id_or_patient_ref_and_it_is_audited(
    seeded_engine: Engine, open_app: OpenApp
) -> None:
    at = open_app(seed.ADMIN).switch_page(FIND).run()
    assert not at.exception
    routine = next(c for c in seed.standard_cases() if c.triage == "routine")
    at = _find(at, routine.intake_id)
    found = table(at, "Patient ref")
    assert found["Intake id"].tolist() == [routine.intake_id], "routine and any period too"
    patient_ref = found["Patient ref"][0]
    at = _find(at, patient_ref)
    by_patient = table(at, "Patient ref")
    assert routine.intake_id in by_patient["Intake id"].tolist()
    assert set(by_patient["Patient ref"]) == {patient_ref}
    at = _find(at, "no-such-case")
    assert "No case has this intake id or patient ref." in [i.value for i in at.info]
    lookups = [f for _, e, f in audit_events(seeded_engine, seed.ADMIN) if e == "case_lookup"]
    assert lookups == [
        {"search": routine.intake_id, "found": 1},
        {"search": patient_ref, "found": len(by_patient)},
        {"search": "no-such-case", "found": 0},
    ]


def test_a_viewer_has_no_find_page_and_cannot_open_it(
    seeded_engine: Engine, open_app: OpenApp
) -> None:
    at = open_app(seed.VIEWER)
    with pytest.raises(ValueError, match="navigation page"):
        at.switch_page(FIND)
    assert not [e for _, e, _ in audit_events(seeded_engine) if e == "case_lookup"]
