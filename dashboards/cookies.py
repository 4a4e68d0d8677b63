"""The sign-in cookie: a session token signed with the server's secret (itsdangerous), so a
cookie cannot be forged or altered, and a short-lived signed ticket that carries a new
session's token from the sign-in page to the route that sets the cookie. No Streamlit here."""

from __future__ import annotations

import datetime as dt
from typing import Final

from itsdangerous import BadSignature, URLSafeTimedSerializer

from pipeline import settings

COOKIE_NAME: Final = "dashboard_session"
TICKET_ROUTE: Final = "/dashboard-session"
"""Where the sign-in page sends the browser to collect its cookie."""
TICKET_LIFETIME: Final = dt.timedelta(seconds=60)
SESSION_LIFETIME: Final = dt.timedelta(hours=settings.DEFAULT_SESSION_HOURS)
"""How long a sign-in holds, reloads and bookmarks included (DASHBOARD_SESSION_HOURS)."""
_COOKIE_PURPOSE: Final = "dashboard-session-cookie"
_TICKET_PURPOSE: Final = "dashboard-session-ticket"


def session_lifetime() -> dt.timedelta:
    """The session lifetime in force (DASHBOARD_SESSION_HOURS overrides the default)."""
    return dt.timedelta(hours=settings.current().session_hours)


def secret() -> str:
    """The signing secret: DASHBOARD_COOKIE_SECRET, else Streamlit's server.cookieSecret (a
    random one per server process unless configured: a restart then signs everyone out, and
    several server processes need the same configured secret)."""
    configured = settings.current().cookie_secret
    if configured is not None:
        return configured.get_secret_value()
    from streamlit import config

    return str(config.get_option("server.cookieSecret"))


def sign_cookie(token: str) -> str:
    return _serializer(_COOKIE_PURPOSE).dumps(token)


def token_of_cookie(value: str | None, lifetime: dt.timedelta) -> str | None:
    """The token a cookie carries if its signature holds and it is younger than `lifetime`."""
    return _unsign(value, _COOKIE_PURPOSE, lifetime)


def sign_ticket(token: str) -> str:
    return _serializer(_TICKET_PURPOSE).dumps(token)


def token_of_ticket(value: str | None) -> str | None:
    """The token a ticket carries if its signature holds and it is under a minute old."""
    return _unsign(value, _TICKET_PURPOSE, TICKET_LIFETIME)


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret(), salt=purpose)


def _unsign(value: str | None, purpose: str, lifetime: dt.timedelta) -> str | None:
    if not value:
        return None
    try:
        token = _serializer(purpose).loads(value, max_age=int(lifetime.total_seconds()))
    except BadSignature:  # also an expired signature
        return None
    return token if isinstance(token, str) else None
