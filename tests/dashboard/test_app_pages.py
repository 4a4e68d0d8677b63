"""Every page of the dashboard (AppTest, signed in as an administrator) shows what the
database holds, the shared filters change what is counted and stay put from page to page, and
worklist openings and exports are recorded."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import Engine, insert

from db.models import AlertLedgerEntry
from tests.dashboard import seed
from tests.dashboard.conftest import OpenApp, audit_events, metrics, table


def test_the_overview_shows_the_periods_cases_urgent_cases_and_shares(
    open_standard_app: OpenApp,
) -> None:
    at = open_standard_app(seed.ADMIN)
    assert not at.exception
    assert metrics(at) == {
        "Cases": ("46", "+14 (+43.8%)"),
        "Urgent cases": ("8", "+5 (+166.7%)"),
        "Referred share": ("50.0%", ""),
        "Compensatory share": ("39.1%", ""),
    }
    assert "29 Aug 2026 to 20 Nov 2026 (84 days)" in at.main.caption[0].value


def test_the_overview_counts_all_five_mechanisms(open_standard_app: OpenApp) -> None:
    mechanisms = table(open_standard_app(seed.ADMIN), "Mechanism")
    assert mechanisms["Mechanism"].tolist() == [
        "Referred",
        "Compensatory",
        "Biomechanical",
        "Mixed",
        "Undetermined",
    ]
    assert mechanisms["Cases"].tolist() == [23, 18, 5, 0, 0]
    assert round(mechanisms["Share (%)"][0], 1) == 50.0


def test_changing_a_filter_changes_what_the_overview_counts(open_standard_app: OpenApp) -> None:
    at = open_standard_app(seed.ADMIN)
    at.multiselect(key="filter_clinics").select("south").run()
    assert metrics(at)["Cases"] == ("12", "+0 (+0.0%)")
    assert metrics(at)["Compensatory share"][0] == "75.0%"
    at.multiselect(key="filter_clinics").unselect("south").run()
    at.date_input(key="filter_period").set_value((dt.date(2026, 11, 1), seed.LATEST_DAY)).run()
    in_november = [
        c for c in seed.standard_cases() if dt.date(2026, 11, 1) <= c.day <= seed.LATEST_DAY
    ]
    assert metrics(at)["Cases"][0] == str(len(in_november))
    assert "01 Nov 2026 to 20 Nov 2026 (20 days)" in at.main.caption[0].value


def test_filters_are_kept_when_moving_between_pages(open_standard_app: OpenApp) -> None:
    at = open_standard_app(seed.ADMIN)
    at.multiselect(key="filter_clinics").select("north").run()
    at.multiselect(key="filter_sexes").select("female").run()
    north_women = [
        c
        for c in seed.standard_cases()
        if c.clinic_id == "north" and c.sex == "female" and c.day >= seed.CURRENT_START
    ]
    assert metrics(at)["Cases"][0] == str(len(north_women))
    for page in ("app_pages/clinics.py", "app_pages/worklist.py", "app_pages/data_quality.py"):
        at.switch_page(page).run()
        assert not at.exception
        assert at.multiselect(key="filter_clinics").value == ["north"]
        assert at.multiselect(key="filter_sexes").value == ["female"]
    at.switch_page("app_pages/clinics.py").run()
    assert table(at, "Previous period")["Clinic"].tolist() == ["north"]
    at.switch_page("app_pages/overview.py").run()
    assert metrics(at)["Cases"][0] == str(len(north_women))


def test_the_clinics_page_sets_the_clinics_side_by_side(open_standard_app: OpenApp) -> None:
    at = open_standard_app(seed.ADMIN).switch_page("app_pages/clinics.py").run()
    assert not at.exception
    clinics = table(at, "Previous period")
    shown = clinics[["Clinic", "Cases", "Previous period", "Change", "Urgent"]]
    assert shown.astype(object).where(shown.notna(), None).values.tolist() == [
        ["east", 4, None, "no earlier data", 1],
        ["north", 30, 20, "+10 (+50.0%)", 5],
        ["south", 12, 12, "+0 (+0.0%)", 2],
    ]
    assert clinics["Referred (%)"].round(1).tolist() == [50.0, 60.0, 25.0]
    assert clinics["Biomechanical"].tolist() == [1, 4, 0]
    (chart,) = at.get("vega_lite_chart")
    assert json.loads(chart.proto.spec)["facet"]["field"] == "clinic_id", "one chart per clinic"


def test_the_worklist_lists_follow_up_cases_newest_first_with_their_reasons(
    open_standard_app: OpenApp,
) -> None:
    at = open_standard_app(seed.ADMIN).switch_page("app_pages/worklist.py").run()
    assert not at.exception
    cases = table(at, "Patient ref")
    newest = max(
        (c for c in seed.standard_cases() if c.triage != "routine"), key=lambda c: c.intake_at
    )
    assert len(cases) == 13
    assert cases["Intake id"][0] == newest.intake_id == "north-current-000"
    assert cases["Triage"][0] == "Urgent"
    assert cases["Reasons"][0] == "Rapid worsening"
    assert cases["Clinic"][0] == "north"
    today = dt.datetime.now(dt.UTC)
    assert cases["Days since intake"][0] == (today - newest.intake_at).days
    assert at.main.caption[1].value == "Cases 1-13 of 13."


def test_the_worklist_filters_by_triage_and_reason(open_standard_app: OpenApp) -> None:
    at = open_standard_app(seed.ADMIN).switch_page("app_pages/worklist.py").run()
    at.button_group(key="worklist_levels").set_value(["evaluate"]).run()
    assert set(table(at, "Patient ref")["Triage"]) == {"Evaluate"}
    assert len(table(at, "Patient ref")) == 5
    at.button_group(key="worklist_levels").set_value([]).run()
    at.selectbox(key="worklist_reason").select("fever").run()
    reasons = table(at, "Patient ref")["Reasons"].tolist()
    assert len(reasons) == 4
    assert all("Fever" in r for r in reasons)


def test_opening_the_worklist_is_recorded_with_its_filters_once_per_opening(
    seeded_engine: Engine, open_app: OpenApp
) -> None:
    at = open_app(seed.ADMIN).switch_page("app_pages/worklist.py").run()
    at.run()
    at.number_input(key="worklist_page").set_value(1).run()
    at.selectbox(key="worklist_reason").select("fever").run()
    at.switch_page("app_pages/overview.py").run()
    at.switch_page("app_pages/worklist.py").run()
    opened = [(e, f) for _, e, f in audit_events(seeded_engine) if e == "worklist_opened"]
    assert len(opened) == 3, "arriving, changing the reason, arriving again"
    first, changed, again = (filters for _, filters in opened)
    assert first is not None
    assert changed is not None
    assert first["from"] == seed.CURRENT_START.isoformat()
    assert first["triage"] == ["urgent", "evaluate"]
    assert (first["reason"], changed["reason"]) == (None, "fever")
    assert again == changed, "the reason chosen is kept while visiting another page"


def test_exporting_the_worklist_is_recorded_with_its_filters(
    seeded_engine: Engine, open_app: OpenApp
) -> None:
    at = open_app(seed.ADMIN)
    at.multiselect(key="filter_clinics").select("north").run()
    at.switch_page("app_pages/worklist.py").run()
    at.download_button(key="export_red_flag_worklist").click().run()
    exports = [(u, f) for u, e, f in audit_events(seeded_engine) if e == "export"]
    assert len(exports) == 1
    username, details = exports[0]
    assert username == seed.ADMIN
    assert details is not None
    assert details["export"] == "red_flag_worklist"
    assert details["clinics"] == ["north"]


def test_exporting_aggregate_counts_is_recorded(seeded_engine: Engine, open_app: OpenApp) -> None:
    at = open_app(seed.ADMIN)
    at.download_button(key="export_weekly_mechanisms").click().run()
    at.switch_page("app_pages/clinics.py").run()
    at.download_button(key="export_clinics").click().run()
    exported = [f["export"] for _, e, f in audit_events(seeded_engine) if e == "export" and f]
    assert exported == ["weekly_mechanisms", "clinics"]


def test_the_data_quality_page_shows_runs_freshness_files_quarantine_and_rules(
    seeded_engine: Engine, open_app: OpenApp
) -> None:
    seed.seed_run(
        seeded_engine, "run-1", "failure", dt.datetime(2026, 11, 21, 6, tzinfo=dt.UTC), "disk full"
    )
    seed.seed_quarantine(seeded_engine, [[{"field": "sex", "rule": "allowed", "value": "woman"}]])
    at = open_app(seed.ADMIN).switch_page("app_pages/data_quality.py").run()
    assert not at.exception
    shown = metrics(at)
    assert shown["Status"][0] == "Failed"
    assert shown["Finished"][0] == "21 Nov, 06:00"
    assert shown["Files"][0] == "2"
    assert shown["Records received"][0] == "79"
    assert shown["Records loaded"][0] == "78"
    assert shown["Quarantined"][0] == "1"
    assert shown["Rules version"][0] == seed.RULES_VERSION
    assert any(e.value == "disk full" for e in at.error)
    freshness = table(at, "Last intake day")
    assert freshness["Clinic"].tolist() == ["east", "south", "north"]
    assert freshness["Days behind"].tolist() == [2, 1, 0]
    quarantine = table(at, "Examples")
    assert quarantine[["Field", "Rule", "Records"]].values.tolist() == [["sex", "allowed", 1]]
    assert quarantine["Examples"][0] == "'woman' at intake_bad.csv line 2"


def test_an_administrator_reads_the_audit_log_on_the_data_quality_page(
    seeded_engine: Engine, open_app: OpenApp
) -> None:
    at = open_app(seed.ADMIN).switch_page("app_pages/worklist.py").run()
    at.switch_page("app_pages/data_quality.py").run()
    log = table(at, "event")
    assert log[["username", "event"]].values.tolist() == [[seed.ADMIN, "worklist_opened"]]
    assert '"clinics": []' in log["filters"][0]
    at.multiselect(key="audit_events").select("export").run()
    assert table(at, "event").empty


def test_a_quarantined_red_flag_heads_the_worklist_as_a_record_needing_correction(
    seeded_engine: Engine, open_app: OpenApp
) -> None:
    seed.seed_quarantine(
        seeded_engine,
        [
            [{"field": "temperature_c", "rule": "type", "value": "38,5"}],
            [{"field": "sex", "rule": "allowed_values", "value": "x"}],
        ],
        [["fever"], []],
    )
    at = open_app(seed.ADMIN).switch_page("app_pages/worklist.py").run()
    assert not at.exception
    assert at.main.subheader[0].value == "Urgent: 1 records need correction"
    flagged = table(at, "What is wrong")
    assert flagged.to_dict("records") == [
        {
            "Triage": "urgent: record needs correction",
            "Red flags": "Fever",
            "Clinic": "north",
            "File": "intake_bad.csv",
            "Line": 2,
            "Intake id": "bad-2",
            "What is wrong": "temperature_c: type",
            "Quarantined (UTC)": flagged["Quarantined (UTC)"][0],
        }
    ]
    quality = open_app(seed.VIEWER).switch_page("app_pages/data_quality.py").run()
    assert not quality.exception
    assert "Urgent records that need correction" in [s.value for s in quality.main.subheader]


def test_the_data_quality_page_shows_alerts_that_failed_and_will_be_retried(
    seeded_engine: Engine, open_app: OpenApp
) -> None:
    now = dt.datetime.now(dt.UTC)
    with seeded_engine.begin() as connection:
        connection.execute(
            insert(AlertLedgerEntry),
            [
                {
                    "subject": "case",
                    "subject_key": "a",
                    "level": "urgent",
                    "clinic_id": "north",
                    "status": "failed",
                    "attempts": 2,
                    "queued_at": now,
                    "sent_at": None,
                    "last_error": "every channel refused or was unreachable",
                },
                {
                    "subject": "case",
                    "subject_key": "b",
                    "level": "urgent",
                    "clinic_id": "south",
                    "status": "sent",
                    "attempts": 1,
                    "queued_at": now,
                    "sent_at": now,
                    "last_error": None,
                },
            ],
        )
    at = open_app(seed.ADMIN).switch_page("app_pages/data_quality.py").run()
    assert not at.exception
    assert [w.value for w in at.warning] == [
        "Alerts could not be delivered to: north. They are retried at each run."
    ]
    alerts = table(at, "Cases and records")
    assert alerts["Status"].tolist() == ["Failed: retried at the next run", "Sent"]
