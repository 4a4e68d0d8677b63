"""End to end, the Rules change page in headless Chromium on the real dashboard server: on a
database still on rules 2026.11.1 with 2026.11.2 waiting, an administrator is told a candidate
waits, opens the page, reads the stored report's counts, sees the Overview's chart drawn twice
(in force, candidate) and the downgraded case by id; the opening is audited (screenshot
test-artifacts/screenshots/7_rules_change.png). A viewer has no such page, even by its URL.

Skipped like the other browser tests when /usr/bin/chromium is missing (a failure under CI).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import Engine, select

from db import migrate
from db.engine import make_engine
from db.models import RulesImpactReport
from pipeline.classify.versions import NEWEST
from tests.dashboard import seed, served
from tests.dashboard.conftest import audit_events
from tests.dashboard.test_browser import (
    PAGE_TIMEOUT_MS,
    VIEWPORT,
    _metric,
    _open,
    _screenshot,
    _sign_in,
    browser,  # noqa: F401  (the shared Chromium fixture)
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('rules') / 'intake.db'}")
    migrate.upgrade(engine)
    seed.seed_cases(engine, seed.standard_cases())
    seed.seed_users(engine)
    seed.seed_run(engine, "run-1", "success", dt.datetime(2026, 11, 21, 6, tzinfo=dt.UTC))
    seed.seed_rules_candidate(engine, downgraded=1)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def server(database: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = database.url.render_as_string(hide_password=False)
    with served.dashboard(url, tmp_path_factory.mktemp("server")) as running:
        yield running.base


def test_an_administrator_reviews_the_waiting_rules_change_in_a_real_browser(
    browser: Browser,  # noqa: F811
    server: str,
    database: Engine,
) -> None:
    with database.connect() as connection:
        report = connection.execute(select(RulesImpactReport)).one()
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    _sign_in(page, server, seed.ADMIN)
    expect(page.get_by_text(f"Rules version {NEWEST} waits for approval")).to_be_visible()

    _open(page, "Rules change", "Rules change")
    assert _metric(page, "Cases compared") == f"{report.cases:,}"
    assert _metric(page, "Mechanism would change") == f"{report.mechanism_changes:,}"
    assert _metric(page, "Triage would go down") == "1"
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(2, timeout=PAGE_TIMEOUT_MS)
    expect(page.get_by_text(f"In force: {seed.PREVIOUS_RULES}")).to_be_visible()
    expect(page.get_by_text(f"Candidate: {NEWEST}")).to_be_visible()
    _screenshot(page, "7_rules_change", "Examples of each mechanism change")
    (downgrade,) = report.report["downgrades"]
    expect(page.get_by_role("heading", name="Cases whose triage would go down")).to_be_visible()
    opened = [e for e in audit_events(database, seed.ADMIN) if e[1] == "rules_change_opened"]
    assert opened == [
        (seed.ADMIN, "rules_change_opened", {"report_id": report.id, "candidate": NEWEST})
    ]
    assert downgrade["before"] == "urgent"
    context.close()


def test_a_viewer_in_a_real_browser_has_no_rules_change_page_even_by_url(
    browser: Browser,  # noqa: F811
    server: str,
    database: Engine,
) -> None:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    _sign_in(page, server, seed.VIEWER)
    expect(page.get_by_text(f"Rules version {NEWEST} waits for approval")).to_be_visible()
    expect(page.get_by_role("link", name="Rules change")).to_have_count(0)
    page.goto(f"{server}/rules_change")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible(
        timeout=PAGE_TIMEOUT_MS
    )
    assert [e for e in audit_events(database, seed.VIEWER) if e[1] == "rules_change_opened"] == []
    context.close()
