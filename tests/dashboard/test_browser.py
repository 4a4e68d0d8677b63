"""End to end: the real dashboard server on a free localhost port and the standard data, driven in
Debian's headless Chromium through Playwright (skipped without /usr/bin/chromium, failed under
CI=true); each page is saved as a screenshot under test-artifacts/screenshots/."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect, sync_playwright
from sqlalchemy import Engine, func, select

from db import migrate
from db.engine import make_engine
from db.models import DailyCaseCount, FollowUpItem, IngestedFile
from pipeline.follow_up.items import open_due_items
from pipeline.follow_up.policy import DuePolicy
from pipeline.load.locks import write_transaction
from tests.conftest import IN_CI
from tests.dashboard import seed, served
from tests.dashboard.conftest import audit_events

CHROMIUM: Final = Path("/usr/bin/chromium")
CHROMIUM_ARGS: Final = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
SCREENSHOTS: Final = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
VIEWPORT: Final = ViewportSize(width=1400, height=2200)
"""Tall enough for the longest page: Streamlit scrolls inside the page, not the window."""
PAGE_TIMEOUT_MS: Final = 30_000
CHART_DRAW_MS: Final = 800
"""Charts draw after their data arrives."""
DOWNLOAD_COUNTS: Final = "Download these counts (CSV)"
RECORD_SOCKETS: Final = """
window.__protocols = []; window.__sockets = [];
const OriginalWebSocket = window.WebSocket;
window.WebSocket = function (url, protocols) {
  if (window.__forceSession && Array.isArray(protocols)) {
    protocols = [protocols[0], protocols[1] || "", window.__forceSession];
  }
  window.__protocols.push(protocols);
  const socket = new OriginalWebSocket(url, protocols);
  window.__sockets.push(socket);
  return socket;
};
window.WebSocket.prototype = OriginalWebSocket.prototype;
Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
"""
"""Records the page's WebSocket connections and the subprotocols they offer (Streamlit sends
its session id as the third when it reconnects); with `__forceSession` set, offers that
session id instead: what an attacker who learnt a session id would do."""

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = f"the browser test needs Debian's chromium at {CHROMIUM}"
        if IN_CI:
            pytest.fail(f"{message} (CI=true: required, not skipped)")
        pytest.skip(f"{message}: install it with `apt-get install chromium`")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A SQLite database with the standard data, users, a pipeline run and a quarantine."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('browser') / 'intake.db'}")
    migrate.upgrade(engine)
    seed.seed_cases(engine, seed.standard_cases())
    seed.seed_users(engine)
    seed.seed_run(engine, "run-1", "success", dt.datetime(2026, 11, 21, 6, tzinfo=dt.UTC))
    seed.seed_quarantine(engine, [[{"field": "age_years", "rule": "range", "value": "150"}]])
    with write_transaction(engine) as connection:  # as the pipeline's classification step does
        open_due_items(connection, DuePolicy(), dt.datetime.now(dt.UTC))
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def served_dashboard(
    database: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[served.Served]:
    """`streamlit run dashboards/server.py` started from another directory (its configuration
    must come from next to the app), on a free port."""
    url = database.url.render_as_string(hide_password=False)
    with served.dashboard(url, tmp_path_factory.mktemp("server")) as running:
        yield running
    log = running.log.read_text()
    assert not served_session_ids(log), "session ids must stay out of the log"


@pytest.fixture(scope="module")
def server(served_dashboard: served.Served) -> str:
    return served_dashboard.base


def served_session_ids(log: str) -> list[str]:
    return re.findall(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", log)


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(base)
    _sign_in_here(page, username)


def _sign_in_here(page: Page, username: str) -> None:
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(seed.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Overview")).to_be_visible(timeout=PAGE_TIMEOUT_MS)


def _metric(page: Page, label: str) -> str:
    card = page.get_by_test_id("stMetric").filter(has_text=label).first
    return card.get_by_test_id("stMetricValue").inner_text().strip()


def _open(page: Page, link: str, heading: str) -> None:
    page.get_by_role("link", name=link).click()
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible(
        timeout=PAGE_TIMEOUT_MS
    )
    page.wait_for_load_state("networkidle")


def _screenshot(page: Page, name: str, last: str) -> None:
    """Once the page's last element (`last`) is there and the script has stopped running."""
    expect(page.get_by_text(last).first).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=PAGE_TIMEOUT_MS)
    page.wait_for_timeout(CHART_DRAW_MS)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png")


def test_an_administrator_signs_in_and_reads_every_page_in_a_real_browser(
    browser: Browser, server: str, database: Engine
) -> None:
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    page = context.new_page()
    page.goto(server)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    _screenshot(page, "0_sign_in", "Sign in")

    _sign_in(page, server, seed.ADMIN)
    with database.connect() as connection:
        in_period = DailyCaseCount.intake_date.between(seed.CURRENT_START, seed.LATEST_DAY)
        cases = connection.execute(select(func.sum(DailyCaseCount.cases)).where(in_period))
        urgent = connection.execute(
            select(func.sum(DailyCaseCount.cases)).where(
                in_period, DailyCaseCount.triage == "urgent"
            )
        )
        expected_cases, expected_urgent = cases.scalar_one(), urgent.scalar_one()
    assert _metric(page, "Cases") == str(expected_cases) == "46"
    assert _metric(page, "Urgent cases") == str(expected_urgent) == "8"
    assert _metric(page, "Referred share") == "50.0%"
    _screenshot(page, "1_overview", DOWNLOAD_COUNTS)

    _open(page, "Clinics", "Clinics")
    expect(page.get_by_text("Referred versus compensatory, per week and clinic")).to_be_visible()
    _screenshot(page, "2_clinics", DOWNLOAD_COUNTS)

    _open(page, "Red-flag cases", "Red-flag cases")
    follow_up = [
        c for c in seed.standard_cases() if c.triage != "routine" and c.day >= seed.CURRENT_START
    ]
    expect(page.get_by_text(f"Cases 1-{len(follow_up)} of {len(follow_up)}.")).to_be_visible()
    _screenshot(page, "3_red_flag_cases", "Export the worklist (CSV)")
    box = page.get_by_test_id("stDataFrame").first.bounding_box()
    assert box is not None
    assert box["height"] >= (len(follow_up) + 1) * 35, "every row of the page, no inner scroll"
    page.get_by_test_id("stDataFrame").first.hover()
    expect(page.get_by_role("button", name="Download as CSV")).to_have_count(0)
    with page.expect_download() as download:
        page.get_by_role("button", name="Export the worklist (CSV)").click()
    exported = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    assert [row["intake_id"] for row in exported][:1] == ["north-current-000"]
    assert {row["intake_id"] for row in exported} == {c.intake_id for c in follow_up}
    file_path = download.value.url.removeprefix(server)
    assert file_path.startswith("/media/")
    assert served.get(server, file_path)[0] == 404, "no download file without a signed-in browser"
    session_cookie = next(c for c in context.cookies() if c["name"] == "dashboard_session")
    assert session_cookie["httpOnly"]
    assert session_cookie["expires"] > dt.datetime.now(dt.UTC).timestamp()
    assert served.get(server, file_path, cookie=session_cookie["value"])[0] == 200

    page.reload()
    expect(page.get_by_role("heading", name="Red-flag cases", exact=True)).to_be_visible(
        timeout=PAGE_TIMEOUT_MS
    )

    _open(page, "Data quality", "Data quality")
    with database.connect() as connection:
        received = connection.execute(select(func.sum(IngestedFile.records_in))).scalar_one()
    assert _metric(page, "Records received") == str(received) == "79"
    assert _metric(page, "Status") == "Succeeded"
    expect(page.get_by_role("heading", name="Audit log")).to_be_visible()
    _screenshot(page, "4_data_quality", "events; page 1 of")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    assert served.get(server, file_path, cookie=session_cookie["value"])[0] == 404
    page.reload()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    context.close()


def test_a_viewer_in_a_real_browser_sees_small_cells_and_no_worklist_even_by_url(
    browser: Browser, server: str
) -> None:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    _sign_in(page, server, seed.VIEWER)
    assert _metric(page, "Urgent cases") == "<11"
    expect(page.get_by_role("link", name="Red-flag worklist")).to_have_count(0)
    _screenshot(page, "5_viewer_overview", DOWNLOAD_COUNTS)
    page.goto(f"{server}/worklist")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible(
        timeout=PAGE_TIMEOUT_MS
    )
    page.get_by_role("button", name="Close").click()
    expect(page.get_by_role("heading", name="Overview")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    expect(page.get_by_role("heading", name="Red-flag worklist")).to_have_count(0)
    expect(page.get_by_text("Export the worklist (CSV)")).to_have_count(0)
    context.close()


def test_two_browsers_signing_in_at_the_same_moment_both_get_in_and_are_audited(
    browser: Browser, server: str, database: Engine
) -> None:
    before = len(audit_events(database))
    contexts = [browser.new_context(viewport=VIEWPORT) for _ in range(2)]
    pages = [context.new_page() for context in contexts]
    for page in pages:
        page.goto(server)
        page.get_by_role("textbox", name="Username").fill(seed.ADMIN)
        page.get_by_role("textbox", name="Password").fill(seed.PASSWORD)
    for page in pages:  # the second click goes out before the first sign-in is answered
        page.get_by_role("button", name="Sign in").click(no_wait_after=True)
    for page in pages:
        expect(page.get_by_role("heading", name="Overview")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
        assert _metric(page, "Cases") == "46"
    events = audit_events(database)[before:]
    assert [(name, event) for name, event, _ in events] == [(seed.ADMIN, "sign_in")] * 2
    for context in contexts:
        context.close()


def _select_first_row(page: Page) -> None:
    """Tick the first data row's selection box (the grid draws on a canvas: by position)."""
    grid = page.get_by_test_id("stDataFrame").first
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)
    expect(page.get_by_role("button", name="Mark contacted")).to_be_visible(timeout=PAGE_TIMEOUT_MS)


def test_an_administrator_works_an_item_from_open_to_closed_in_a_real_browser(
    browser: Browser, server: str, database: Engine
) -> None:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    _sign_in(page, server, seed.ADMIN)
    _open(page, "Red-flag worklist", "Red-flag worklist")
    with database.connect() as connection:
        states = connection.execute(select(FollowUpItem.state)).scalars().all()
    open_items = sum(state != "closed" for state in states)
    expect(page.get_by_text(f"Items 1-{open_items} of {open_items}", exact=False)).to_be_visible()
    _screenshot(page, "6_worklist_open_items", "Select rows to mark them contacted")

    _select_first_row(page)
    page.get_by_role("button", name="Open case").click()
    expect(page.get_by_role("heading", name="History")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    case_heading = page.get_by_role("heading", level=1).first.inner_text()
    intake_id = case_heading.removeprefix("Case ").strip()
    _screenshot(page, "7_case_view", "Follow-up")

    _open(page, "Red-flag worklist", "Red-flag worklist")
    _select_first_row(page)
    page.get_by_role("button", name="Mark contacted").click()
    expect(page.get_by_text("Select rows to mark them contacted")).to_be_visible(
        timeout=PAGE_TIMEOUT_MS
    )  # done: the selection starts again
    _select_first_row(page)
    page.get_by_role("button", name="Close").click()
    expect(
        page.get_by_text(f"Items 1-{open_items - 1} of {open_items - 1}", exact=False)
    ).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    with database.connect() as connection:
        state, outcome = connection.execute(
            select(FollowUpItem.state, FollowUpItem.outcome).where(
                FollowUpItem.subject_key == intake_id
            )
        ).one()
    assert (state, outcome) == ("closed", "seen_in_clinic")
    steps = [(e, f) for name, e, f in audit_events(database, seed.ADMIN) if e != "sign_in"]
    assert ("case_opened", {"intake_id": intake_id}) in steps
    changes = [f["to"] for e, f in steps if e == "follow_up_changed" and f]
    assert changes[-2:] == ["contacted", "closed"]
    context.close()


def test_a_session_id_alone_does_not_take_over_a_signed_in_session(
    browser: Browser, server: str
) -> None:
    victim = browser.new_context(viewport=VIEWPORT)
    victim.add_init_script(RECORD_SOCKETS)
    page = victim.new_page()
    _sign_in(page, server, seed.ADMIN)
    page.evaluate("window.__sockets[window.__sockets.length - 1].close()")  # it reconnects
    page.wait_for_function(
        "window.__protocols.some(p => Array.isArray(p) && p.length > 2 && p[2])",
        timeout=PAGE_TIMEOUT_MS,
    )
    offered = page.evaluate("window.__protocols")
    session_id = next(p[2] for p in offered if len(p) > 2 and p[2])

    attacker = browser.new_context(viewport=VIEWPORT)
    attacker.add_init_script(f"window.__forceSession = {session_id!r};" + RECORD_SOCKETS)
    stolen = attacker.new_page()
    stolen.goto(server)
    expect(stolen.get_by_role("button", name="Sign in")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    assert stolen.evaluate("window.__protocols")[0][2] == session_id, "the id was offered"
    expect(stolen.get_by_role("heading", name="Overview")).to_have_count(0)
    victim.close()
    attacker.close()


def test_four_browsers_signing_in_together_to_a_fresh_server_all_see_their_pages(
    browser: Browser, database: Engine, tmp_path: Path
) -> None:
    # A new server process: the sessions' first page runs are also its first imports of the
    # pages' libraries (once "partially initialized module 'numpy'" in two of four sessions).
    url = database.url.render_as_string(hide_password=False)
    with served.dashboard(url, tmp_path) as fresh:  # its log must hold no traceback
        contexts = [browser.new_context(viewport=VIEWPORT) for _ in range(4)]
        pages = [context.new_page() for context in contexts]
        for page in pages:
            page.goto(fresh.base)
            page.get_by_role("textbox", name="Username").fill(seed.ADMIN)
            page.get_by_role("textbox", name="Password").fill(seed.PASSWORD)
        for page in pages:
            page.get_by_role("button", name="Sign in").click(no_wait_after=True)
        for page in pages:
            expect(page.get_by_text(DOWNLOAD_COUNTS).first).to_be_visible(timeout=PAGE_TIMEOUT_MS)
            expect(page.get_by_text("This app has encountered an error")).to_have_count(0)
        for context in contexts:
            context.close()
