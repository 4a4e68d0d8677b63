"""The worklist as administrators use it (AppTest, SQLite and PostgreSQL): a case is listed as
soon as the run that loaded it has committed, and every page says which run the data is as
of; a filter change goes back to the first page; triage and reason choices survive visiting
another page; the table is tall enough for its page and its id columns wide enough for the
ids."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from tests.dashboard import seed
from tests.dashboard.conftest import OpenApp, table

WORKLIST = "app_pages/worklist.py"
LATER = dt.datetime(2026, 11, 21, 1, tzinfo=dt.UTC)
"""When the cases a test adds arrive: a second file, after the standard one."""


def _as_of(at: AppTest) -> str:
    captions = [str(c.value) for c in at.sidebar.caption]
    return next(c for c in captions if c.startswith("Data as of"))


def _many_urgent(count: int) -> list[seed.Case]:
    start = dt.datetime.combine(seed.LATEST_DAY, dt.time(20), tzinfo=dt.UTC)
    return [
        seed.Case(
            f"extra-{n:03d}",
            "north",
            start - dt.timedelta(hours=n),
            triage="urgent",
            reasons=("fever",) if n % 2 else ("rapid_worsening",),
        )
        for n in range(count)
    ]


def test_a_committed_run_shows_its_new_case_at_once_and_every_page_says_as_of_when(
    seeded_engine: Engine, open_app: OpenApp
) -> None:
    seed.seed_run(seeded_engine, "run-1", "success", dt.datetime(2026, 11, 21, 6, tzinfo=dt.UTC))
    at = open_app(seed.ADMIN).switch_page(WORKLIST).run()
    assert len(table(at, "Patient ref")) == 13
    assert _as_of(at) == "Data as of the pipeline run that finished 2026-11-21 06:00 UTC."
    newest = dt.datetime.combine(seed.LATEST_DAY, dt.time(23), tzinfo=dt.UTC)
    seed.seed_cases(
        seeded_engine,
        [seed.Case("new-urgent", "south", newest, "referred", "urgent", ("fever",))],
        received_at=LATER,
    )
    seed.seed_run(seeded_engine, "run-2", "failure", dt.datetime(2026, 11, 21, 7, tzinfo=dt.UTC))
    seed.seed_run(seeded_engine, "run-3", "success", dt.datetime(2026, 11, 21, 8, tzinfo=dt.UTC))
    at.run()
    cases = table(at, "Patient ref")
    assert (len(cases), cases["Intake id"][0]) == (14, "new-urgent")
    assert _as_of(at) == "Data as of the pipeline run that finished 2026-11-21 08:00 UTC."
    for page in ("app_pages/overview.py", "app_pages/clinics.py", "app_pages/data_quality.py"):
        assert _as_of(at.switch_page(page).run()).startswith("Data as of the pipeline run")


def test_with_no_run_yet_the_pages_say_so(seeded_engine: Engine, open_app: OpenApp) -> None:
    assert _as_of(open_app(seed.ADMIN)) == "Data as of: no pipeline run has succeeded yet."


def test_a_filter_change_goes_back_to_the_first_page(
    seeded_engine: Engine, open_app: OpenApp
) -> None:
    seed.seed_cases(seeded_engine, _many_urgent(70), received_at=LATER)
    at = open_app(seed.ADMIN).switch_page(WORKLIST).run()
    at.number_input(key="worklist_page").set_value(3).run()
    assert at.main.caption[1].value == "Cases 51-75 of 83."
    at.selectbox(key="worklist_reason").select("fever").run()
    assert at.number_input(key="worklist_page").value == 1
    assert at.main.caption[1].value.startswith("Cases 1-25 of ")
    assert table(at, "Patient ref")["Intake id"][0] == "extra-001", "the newest fever case"


def test_choices_and_page_survive_visiting_another_page(
    seeded_engine: Engine, open_app: OpenApp
) -> None:
    seed.seed_cases(seeded_engine, _many_urgent(70), received_at=LATER)
    at = open_app(seed.ADMIN).switch_page(WORKLIST).run()
    at.button_group(key="worklist_levels").set_value(["urgent"]).run()
    at.selectbox(key="worklist_reason").select("fever").run()
    at.number_input(key="worklist_page").set_value(2).run()
    at.switch_page("app_pages/overview.py").run()
    at.switch_page(WORKLIST).run()
    assert at.button_group(key="worklist_levels").value == ["urgent"]
    assert at.selectbox(key="worklist_reason").value == "fever"
    assert at.number_input(key="worklist_page").value == 2


def test_the_id_columns_are_wide_enough_for_the_ids(
    seeded_engine: Engine, open_app: OpenApp
) -> None:
    long_id = "clinic-with-a-long-name-2026-11-20-000123"
    at_time = dt.datetime.combine(seed.LATEST_DAY, dt.time(22), tzinfo=dt.UTC)
    seed.seed_cases(
        seeded_engine,
        [seed.Case(long_id, "north", at_time, triage="urgent", reasons=("fever",))],
        received_at=LATER,
    )
    at = open_app(seed.ADMIN).switch_page(WORKLIST).run()
    frame = at.dataframe[0]
    assert frame.value["Intake id"][0] == long_id
    sent = json.loads(frame.proto.columns)  # the column configuration the browser gets
    assert sent["Intake id"]["width"] >= 8 * len(long_id)
    assert sent["Patient ref"]["width"] >= 8 * max(len(r) for r in frame.value["Patient ref"])
