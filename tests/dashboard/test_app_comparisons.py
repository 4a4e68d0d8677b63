"""Honest comparisons (AppTest, SQLite and PostgreSQL): with nothing earlier to compare with,
the pages say "no earlier data" instead of a difference from nothing; the Clinics page sets
this calendar month against last month per clinic, shares included."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.dashboard import seed
from tests.dashboard.conftest import OpenApp, metrics, table

FIRST_DAY = min(c.day for c in seed.standard_cases())


def test_with_no_earlier_data_the_overview_says_so_instead_of_a_difference(
    open_standard_app: OpenApp,
) -> None:
    at = open_standard_app(seed.ADMIN)
    at.date_input(key="filter_period").set_value((FIRST_DAY, seed.LATEST_DAY)).run()
    cases, change = metrics(at)["Cases"]
    assert cases == str(len(seed.standard_cases()))
    assert change == "no earlier data"
    assert metrics(at)["Urgent cases"][1] == "no earlier data"


def test_a_clinic_with_no_earlier_cases_says_so(open_standard_app: OpenApp) -> None:
    at = open_standard_app(seed.ADMIN).switch_page("app_pages/clinics.py").run()
    east = table(at, "Previous period").set_index("Clinic").loc["east"]
    assert east["Change"] == "no earlier data"
    assert east["Previous period"] is None or east["Previous period"] != east["Previous period"]


def _month_of(case: seed.Case) -> dt.date:
    return case.day.replace(day=1)


def test_the_clinics_page_compares_this_month_with_last_month_per_clinic(
    open_standard_app: OpenApp,
) -> None:
    at = open_standard_app(seed.ADMIN).switch_page("app_pages/clinics.py").run()
    assert not at.exception
    months = table(at, "This month").set_index("Clinic")
    november, october = dt.date(2026, 11, 1), dt.date(2026, 10, 1)
    for clinic in ("east", "north", "south"):
        mine = [c for c in seed.standard_cases() if c.clinic_id == clinic]
        now = [c for c in mine if _month_of(c) == november]
        before = [c for c in mine if _month_of(c) == october]
        row = months.loc[clinic]
        assert row["This month"] == len(now)
        if before:
            assert row["Last month"] == len(before)
            referred = sum(c.mechanism == "referred" for c in before)
            assert row["Referred (%) last month"] == pytest.approx(100 * referred / len(before))
        if now:
            compensatory = sum(c.mechanism == "compensatory" for c in now)
            assert row["Compensatory (%) this month"] == pytest.approx(
                100 * compensatory / len(now)
            )
    assert any("against all of October 2026" in c.value for c in at.main.caption)


def test_a_viewer_sees_the_month_comparison_under_the_small_cell_rule(
    open_standard_app: OpenApp,
) -> None:
    at = open_standard_app(seed.VIEWER).switch_page("app_pages/clinics.py").run()
    months = table(at, "This month")
    for value in months["This month"].tolist():
        assert value in {"0", "<11"} or int(value.replace(",", "")) > 10
