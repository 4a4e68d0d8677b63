"""Who is signed in to this browser session and what they may see.

The signed-in user lives in `st.session_state`, which only the server can write. On every run
the user is looked up again, so a removed user is signed out and a changed role applies at
once.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass, replace
from typing import Final, Literal

import streamlit as st

from dashboards.database import engine_for
from db import users

SESSION_KEY: Final = "signed_in"
SignInMethod = Literal["password", "oidc"]
ROLE_NAMES: Final = {"admin": "administrator", "viewer": "viewer"}


@dataclass(frozen=True, slots=True)
class SignedIn:
    """The user of this session: their name, role and how they signed in."""

    username: str
    role: str
    method: SignInMethod

    @property
    def is_admin(self) -> bool:
        """Administrators see exact counts, the worklist and the audit log."""
        return self.role == "admin"

    @property
    def role_name(self) -> str:
        return ROLE_NAMES.get(self.role, self.role)


def signed_in(url: str) -> SignedIn | None:
    """The user signed in to this session, still registered, with their current role."""
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


def start(user: users.User, method: SignInMethod) -> None:
    """Make `user` the user of this session."""
    st.session_state[SESSION_KEY] = SignedIn(user.username, user.role, method)


def sign_out() -> None:
    """Forget everything about this session (its filters too); with OpenID Connect, also
    drop the identity cookie, or the next run would sign the same person in again."""
    session = st.session_state.get(SESSION_KEY)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if isinstance(session, SignedIn) and session.method == "oidc":
        st.logout()


def client_address() -> str | None:
    """The browser's address as Streamlit sees the connection (None from the same machine);
    behind the reverse proxy of deploy/ (DASHBOARD_BEHIND_PROXY=1), the X-Real-IP header that
    proxy sets, since every connection then comes from the proxy."""
    if os.environ.get("DASHBOARD_BEHIND_PROXY") == "1":
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
