"""The dashboard's web server (`streamlit run dashboards/server.py`): Streamlit's own server for
dashboards/app.py, with the doors Streamlit leaves open shut in front of it (session cookie,
download files and metrics for the signed-in only, no session ids in logs: docs/dashboard.md)."""

from __future__ import annotations

import functools
import logging
import re
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any, Final

# Every library the pages use is imported here, once, before any session runs: a page run is a
# thread of its own, and several sessions first importing numpy, pandas or altair at the same
# moment saw them half initialised ("partially initialized module 'numpy'"), found by four
# browsers signing in together to a freshly started server.
import altair  # noqa: F401
import numpy  # noqa: F401
import pandas  # type: ignore[import-untyped]  # noqa: F401
import polars  # noqa: F401
import pyarrow  # noqa: F401
import streamlit as st
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from dashboards import (  # noqa: F401  (the page modules' own imports, done up front)
    access,
    audit_trail,
    case_view,
    charts,
    components,
    cookies,
    exports,
    follow_up_actions,
    follow_up_list,
    follow_up_queries,
    quality,
    queries,
    red_flags,
    rules_change,
    rules_queries,
    shaping,
    sidebar,
    states,
)
from dashboards.database import current_url
from db.engine import make_engine
from pipeline import settings

APP: Final = Path(__file__).resolve().parent / "app.py"
NEXT_PATH: Final = re.compile(r"/[A-Za-z0-9_-]*")
"""Where a browser may be sent after collecting its cookie: one of the app's own pages."""
SESSION_ID: Final = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE
)
"""Streamlit's session ids are UUIDs."""


@functools.cache
def _engine(url: str) -> Engine:
    return make_engine(url)


def _cookie(headers: Any) -> str | None:
    raw = headers.get("cookie")
    if not raw:
        return None
    morsel = SimpleCookie(raw).get(cookies.COOKIE_NAME)
    return None if morsel is None else morsel.value


def _is_https(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"


async def collect_session_cookie(request: Request) -> Response:
    """Hand the browser its session cookie for a fresh, unused ticket, then open the app."""
    # The cookie (signed, HttpOnly) is collected once; the app then knows the browser by it
    # alone, so a reload keeps it signed in and a Streamlit session id cannot take it over.
    ticket = request.query_params.get("ticket")
    value = await run_in_threadpool(access.collect_cookie, _engine(current_url()), ticket)
    if value is None:
        return PlainTextResponse(
            "This sign-in has expired or was already used. Sign in again.", status_code=403
        )
    next_path = request.query_params.get("next", "/")
    response = RedirectResponse(next_path if NEXT_PATH.fullmatch(next_path) else "/", 303)
    response.set_cookie(
        cookies.COOKIE_NAME,
        value,
        max_age=int(cookies.session_lifetime().total_seconds()),
        path="/",
        httponly=True,
        secure=_is_https(request),
        samesite="lax",
    )
    response.headers["Cache-Control"] = "no-store"
    return response


class ShutDoors:
    """ASGI middleware: download files only for a signed-in browser, metrics only for an
    administrator; 404 for everyone else, as if there were nothing there."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path: str = scope["path"]
            media, metrics = path.startswith("/media/"), path.rstrip("/") == "/_stcore/metrics"
            if media or metrics:
                cookie = _cookie(Request(scope).headers)
                found = await run_in_threadpool(access.session_user, _engine(current_url()), cookie)
                if found is None or (metrics and not found[0].is_admin):
                    response = PlainTextResponse("Not found", status_code=404)
                    await response(scope, receive, send)
                    return
        await self.app(scope, receive, send)


class WithoutSessionIds(logging.Filter):
    """Replace Streamlit session ids in a log record by `<session>`."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if SESSION_ID.search(message):
            record.msg, record.args = SESSION_ID.sub("<session>", message), None
        return True


def keep_session_ids_out_of_logs() -> None:
    """Put the filter on every handler there is, Streamlit's own included."""
    keep_out = WithoutSessionIds()
    loggers = [
        logging.getLogger(),
        *(logging.getLogger(n) for n in logging.root.manager.loggerDict),
    ]
    for logger in loggers:
        for handler in getattr(logger, "handlers", []):
            if keep_out not in handler.filters:
                handler.addFilter(keep_out)


settings.current()  # the server does not start with a variable it cannot use: SettingsError
keep_session_ids_out_of_logs()
app = st.App(
    APP,
    routes=[Route(cookies.TICKET_ROUTE, collect_session_cookie)],
    middleware=[Middleware(ShutDoors)],
)
