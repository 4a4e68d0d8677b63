"""Role rules (AppTest): a viewer cannot reach the red-flag worklist or its export by any page
or query parameter, sees counts from 1 to 10 as "<11" and no share resting on them, and
cannot read the audit log; an administrator sees exact counts."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, update
from streamlit.testing.v1 import AppTest

from dashboards.session import SignedIn
from db.models import DashboardUser
from tests.dashboard import seed
from tests.dashboard.conftest import APP, APP_TIMEOUT_S, OpenApp, audit_events, metrics, table

WORKLIST_PAGE = "app_pages/worklist.py"


def test_a_viewer_has_no_worklist_page_to_open(open_standard_app: OpenApp) -> None:
    at = open_standard_app(seed.VIEWER)
    assert [t.value for t in at.title] == ["Overview"]
    with pytest.raises(ValueError, match="navigation page"):
        at.switch_page(WORKLIST_PAGE)
    at.switch_page("app_pages/data_quality.py").run()
    assert not at.exception


@pytest.mark.parametrize(
    "query",
    [
        {"page": "worklist"},
        {"page": "Red-flag worklist"},
        {"url_path": "worklist", "export": "red_flag_worklist"},
    ],
)
def test_a_viewer_cannot_reach_the_worklist_by_query_parameter(
    standard_env: str, query: dict[str, str]
) -> None:
    at = AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT_S)
    at.session_state["signed_in"] = SignedIn(seed.VIEWER, "viewer", "password")
    at.query_params.update(query)
    at.run()
    assert [t.value for t in at.title] == ["Overview"]
    assert not [d for d in at.dataframe if "Patient ref" in d.value.columns]
    assert not at.get("download_button") or all(
        b.proto.label != "Export the worklist (CSV)" for b in at.get("download_button")
    )
    assert audit_events(standard_env, seed.VIEWER) == []


def test_the_worklist_page_itself_refuses_a_viewer(standard_env: str) -> None:
    page = Path(APP).parent / WORKLIST_PAGE
    at = AppTest.from_file(str(page), default_timeout=APP_TIMEOUT_S)
    at.session_state["signed_in"] = SignedIn(seed.VIEWER, "viewer", "password")
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "This page is for administrators. Ask one if you need access."
    ]
    assert not at.dataframe
    assert not at.get("download_button")
    assert audit_events(standard_env, seed.VIEWER) == []


def test_a_page_reached_without_signing_in_shows_nothing(standard_env: str) -> None:
    for page in ("overview.py", "clinics.py", "worklist.py", "data_quality.py"):
        at = AppTest.from_file(
            str(Path(APP).parent / "app_pages" / page), default_timeout=APP_TIMEOUT_S
        )
        at.run()
        assert [e.value for e in at.error] == ["Sign in to see this page."], page
        assert not at.metric
        assert not at.dataframe


def test_an_administrator_demoted_to_viewer_loses_the_worklist_at_once(
    seeded_engine: Engine, open_app: OpenApp
) -> None:
    at = open_app(seed.ADMIN).switch_page(WORKLIST_PAGE).run()
    assert table(at, "Patient ref") is not None
    with seeded_engine.begin() as connection:
        connection.execute(
            update(DashboardUser).where(DashboardUser.username == seed.ADMIN).values(role="viewer")
        )
    at.run()
    assert [t.value for t in at.title] == ["Overview"], "the worklist is no longer a page"
    assert metrics(at)["Urgent cases"][0] == "<11"


def test_a_viewer_sees_small_counts_as_less_than_eleven_and_no_change_resting_on_them(
    open_standard_app: OpenApp,
) -> None:
    at = open_standard_app(seed.VIEWER)
    assert metrics(at) == {
        "Cases": ("46", "+14 (+43.8%)"),
        "Urgent cases": ("<11", ""),
        "Referred share": ("50.0%", ""),
        "Compensatory share": ("39.1%", ""),
    }
    mechanisms = table(at, "Mechanism")
    assert mechanisms["Cases"].tolist() == ["23", "18", "<11", "0", "0"]
    assert mechanisms["Share (%)"].isna().tolist() == [False, False, True, False, False]
    assert any('shown as "<11"' in c.value for c in at.main.caption)


def test_an_administrator_sees_the_same_counts_exactly(open_standard_app: OpenApp) -> None:
    at = open_standard_app(seed.ADMIN)
    assert metrics(at)["Urgent cases"] == ("8", "+5 (+166.7%)")
    assert table(at, "Mechanism")["Cases"].tolist() == [23, 18, 5, 0, 0]


def test_a_viewer_sees_small_clinic_counts_as_less_than_eleven(open_standard_app: OpenApp) -> None:
    at = open_standard_app(seed.VIEWER).switch_page("app_pages/clinics.py").run()
    clinics = table(at, "Previous period")
    shown = clinics[["Clinic", "Cases", "Previous period", "Change", "Urgent"]]
    assert shown.astype(object).where(shown.notna(), None).values.tolist() == [
        ["east", "<11", None, "\u2013", "<11"],
        ["north", "30", "20", "+10 (+50.0%)", "<11"],
        ["south", "12", "12", "+0 (+0.0%)", "<11"],
    ]
    assert clinics["Referred (%)"].isna().tolist() == [True, False, True]


def test_a_viewers_chart_leaves_out_weeks_with_too_few_cases(open_standard_app: OpenApp) -> None:
    viewer = open_standard_app(seed.VIEWER)
    assert not viewer.get("vega_lite_chart")
    assert "No week has enough cases" in viewer.main.caption[1].value
    assert open_standard_app(seed.ADMIN).get("vega_lite_chart")


def test_a_viewer_cannot_read_the_audit_log_or_quarantined_values(
    seeded_engine: Engine, open_app: OpenApp
) -> None:
    seed.seed_quarantine(seeded_engine, [[{"field": "sex", "rule": "allowed", "value": "woman"}]])
    at = open_app(seed.VIEWER).switch_page("app_pages/data_quality.py").run()
    assert "Audit log" not in [h.value for h in at.subheader]
    assert not [d for d in at.dataframe if "event" in d.value.columns]
    assert table(at, "Examples")["Examples"][0] == "intake_bad.csv line 2"
