"""Who is signed in to this browser session and what they may see: found again on every run, so a
removed user is signed out and a changed role applies at once."""

from __future__ import annotations

import importlib.util
import json
import urllib.parse
from dataclasses import dataclass, replace
from typing import Final, Literal

import streamlit as st

from dashboards import access, cookies
from dashboards.database import current_url, engine_for
from db import users
from db.states import Role
from pipeline import settings

SESSION_KEY: Final = "signed_in"
SignInMethod = Literal["password", "oidc"]
ROLE_NAMES: Final[dict[str, str]] = {Role.ADMIN: "administrator", Role.VIEWER: "viewer"}


@dataclass(frozen=True, slots=True)
class SignedIn:
    """The user of this session: their name, role and how they signed in."""

    username: str
    role: str
    method: SignInMethod

    @property
    def is_admin(self) -> bool:
        """Administrators see exact counts, the worklist and the audit log."""
        return self.role == Role.ADMIN

    @property
    def role_name(self) -> str:
        return ROLE_NAMES.get(self.role, self.role)


def in_browser() -> bool:
    """True when a browser is connected (a real connection always sends headers; AppTest's
    runs have none)."""
    return bool(st.context.headers)


def session_cookie() -> str | None:
    """The session cookie the browser sent with this connection, if any."""
    value = st.context.cookies.get(cookies.COOKIE_NAME)
    return value if isinstance(value, str) else None


def signed_in(url: str) -> SignedIn | None:
    """The user signed in to this session, still registered, with their current role."""
    # In a browser the sign-in is the signed, HttpOnly session cookie (dashboards.server): a
    # reload keeps someone signed in, and a Streamlit session id alone signs no one in. Without
    # a browser (AppTest) the user lives in `st.session_state`.
    if in_browser():
        found = access.session_user(engine_for(url), session_cookie())
        if found is None:
            st.session_state.pop(SESSION_KEY, None)
            return None
        found_user, method = found
        signed = SignedIn(
            found_user.username, found_user.role, "oidc" if method == "oidc" else "password"
        )
        st.session_state[SESSION_KEY] = signed
        return signed
    session = st.session_state.get(SESSION_KEY)
    if not isinstance(session, SignedIn):
        return None
    with engine_for(url).connect() as connection:
        user = users.get_user(connection, session.username)
    if user is None:
        del st.session_state[SESSION_KEY]
        return None
    if user.role != session.role:
        session = replace(session, role=user.role)
        st.session_state[SESSION_KEY] = session
    return session


def start(url: str, user: users.User, method: SignInMethod) -> None:
    """Make `user` the user of this session. In a browser: open a session and send the
    browser to collect its cookie (a new page load, signed in from then on)."""
    if not in_browser():
        st.session_state[SESSION_KEY] = SignedIn(user.username, user.role, method)
        st.rerun()
    ticket = access.open_browser_session(engine_for(url), user, method)
    here = urllib.parse.urlsplit(st.context.url or "/").path or "/"
    target = cookies.TICKET_ROUTE + "?" + urllib.parse.urlencode({"ticket": ticket, "next": here})
    st.html(
        f"<script>window.location.replace({json.dumps(target)});</script>",
        unsafe_allow_javascript=True,
    )
    st.link_button("Continue to the dashboard", target, type="primary")
    st.stop()


def sign_out() -> None:
    """Forget everything about this session (its filters too) and end the browser's session,
    so its cookie opens nothing any more; with OpenID Connect, also drop the identity cookie,
    or the next run would sign the same person in again."""
    if in_browser():
        access.end_session(engine_for(current_url()), session_cookie())
    session = st.session_state.get(SESSION_KEY)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if isinstance(session, SignedIn) and session.method == "oidc":
        st.logout()


def client_address() -> str | None:
    """The browser's address as Streamlit sees the connection (None from the same machine);
    behind the reverse proxy of deploy/ (DASHBOARD_BEHIND_PROXY=1), the X-Real-IP header that
    proxy sets, since every connection then comes from the proxy."""
    if settings.current().behind_proxy:
        forwarded = st.context.headers.get("X-Real-IP")
        if isinstance(forwarded, str) and forwarded:
            return forwarded
    address = st.context.ip_address
    return address if isinstance(address, str) else None  # no client (AppTest): none


def oidc_configured() -> bool:
    """True when `.streamlit/secrets.toml` has an [auth] section: then people sign in through
    the OpenID Connect provider (st.login) instead of with a password."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def authlib_installed() -> bool:
    """Streamlit's OpenID Connect sign-in needs Authlib (the project's `oidc` extra)."""
    return importlib.util.find_spec("authlib") is not None


def refuse_unless_admin(user: SignedIn) -> None:
    """Stop the page here, saying why, unless `user` is an administrator."""
    if not user.is_admin:
        st.error(
            "This page is for administrators. Ask one if you need access.",
            title="Not available to viewers",
            icon=":material/lock:",
        )
        st.stop()


def current() -> SignedIn:
    """The user of this run, as the entrypoint confirmed it; a page reached any other way
    shows nothing."""
    session = st.session_state.get(SESSION_KEY)
    if not isinstance(session, SignedIn):
        st.error("Sign in to see this page.", title="Not signed in", icon=":material/lock:")
        st.stop()
    return session
