"""Sign in: the only page anyone sees before signing in. With a password by default; through
the deployment's OpenID Connect provider when `.streamlit/secrets.toml` has an [auth] section.
Every attempt is recorded; repeated failures lock a name or an address out for a while."""

import streamlit as st

from dashboards import access, session, states
from dashboards.database import current_url, engine_for
from db import users

OIDC_REFUSAL_KEY = "oidc_refusal_recorded"

url = current_url()
engine = engine_for(url)

st.title("Knee-to-hip clinic dashboard")
st.caption(
    "How often hip pain after a knee injury is referred pain or compensation, which patients "
    "need follow-up, and whether the numbers can be trusted."
)

if session.oidc_configured():
    if not session.authlib_installed():
        st.error(
            "Sign-in through OpenID Connect is configured (an [auth] section in secrets.toml) "
            "but Authlib is not installed: run `pip install -e '.[oidc]'` and restart the "
            "dashboard.",
            title="Sign-in is not set up",
        )
        st.stop()
    identity = st.user.get("email") if st.user.is_logged_in else None
    if identity is None:
        st.button(
            "Sign in with your organisation account",
            on_click=st.login,
            type="primary",
            key="oidc_sign_in",
        )
        st.stop()
    if not st.session_state.get(OIDC_REFUSAL_KEY):
        user = access.sign_in_with_identity(engine, str(identity))
        if user is not None:
            session.start(url, user, "oidc")
        st.session_state[OIDC_REFUSAL_KEY] = True
    st.error(
        f"{identity} may not use this dashboard yet. An administrator can let you in with "
        f"`intake users add {identity} --role viewer --oidc`.",
        title="Not registered",
    )
    st.button("Sign out", on_click=st.logout, key="oidc_sign_out")
    st.stop()

with engine.connect() as connection:
    if not users.any_users(connection):
        states.render_no_users()

with st.form("sign_in", clear_on_submit=True, enter_to_submit=True):
    username = st.text_input("Username", autocomplete="username", key="username")
    password = st.text_input(
        "Password", type="password", autocomplete="current-password", key="password"
    )
    submitted = st.form_submit_button("Sign in", type="primary", key="sign_in")

if submitted:
    result = (
        access.sign_in_with_password(
            engine, username.strip(), password, address=session.client_address()
        )
        if username.strip() and password
        else access.SignInResult(None)
    )
    if result.locked_until is not None:
        st.error(
            f"Too many failed sign-ins for this name or from this address. Try again after "
            f"{result.locked_until:%H:%M} UTC.",
            icon=":material/lock_clock:",
        )
    elif result.user is None:
        st.error("Unknown username or wrong password.", icon=":material/block:")
    else:
        session.start(url, result.user, "password")
