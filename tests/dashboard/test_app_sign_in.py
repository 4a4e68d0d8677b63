"""Signing in to the dashboard (AppTest): nobody sees data before signing in, a wrong password
or an unknown name is refused the same way, every attempt is recorded, and a deployment with
an OpenID Connect provider signs people in through it instead."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from dashboards import session
from db import users
from tests.dashboard import seed
from tests.dashboard.conftest import APP, APP_TIMEOUT_S, OpenApp, audit_events, metrics

OIDC_SECRETS = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "not-a-real-secret-only-for-tests",
    "client_id": "dashboard",
    "client_secret": "not-a-real-secret",
    "server_metadata_url": "https://id.clinic.example/.well-known/openid-configuration",
}


def _sign_in(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="username").set_value(username)
    at.text_input(key="password").set_value(password)
    return at.button(key="sign_in").click().run()


def test_before_signing_in_only_the_sign_in_form_is_shown(
    seeded_engine: Engine, open_app: OpenApp
) -> None:
    at = open_app()
    assert not at.exception
    assert [t.value for t in at.title] == ["Knee-to-hip clinic dashboard"]
    assert not at.metric
    assert not at.dataframe
    assert not at.sidebar.multiselect, "no filters, no clinic names"
    with pytest.raises(ValueError, match="navigation page"):
        at.switch_page("app_pages/overview.py")


def test_the_right_password_opens_the_overview_and_is_recorded(
    seeded_engine: Engine, open_app: OpenApp
) -> None:
    at = _sign_in(open_app(), seed.ADMIN, seed.PASSWORD)
    assert not at.exception
    assert [t.value for t in at.title] == ["Overview"]
    assert metrics(at)["Cases"][0] == "46"
    assert audit_events(seeded_engine) == [(seed.ADMIN, "sign_in", None)]


@pytest.mark.parametrize(
    ("username", "password"),
    [
        pytest.param(seed.ADMIN, "not the password", id="wrong password"),
        pytest.param("mallory", seed.PASSWORD, id="unknown user"),
    ],
)
def test_a_wrong_password_or_an_unknown_user_is_refused_the_same_way(
    seeded_engine: Engine, open_app: OpenApp, username: str, password: str
) -> None:
    at = _sign_in(open_app(), username, password)
    assert not at.exception
    assert [e.value for e in at.error] == ["Unknown username or wrong password."]
    assert [t.value for t in at.title] == ["Knee-to-hip clinic dashboard"]
    assert not at.metric
    assert audit_events(seeded_engine) == [(username, "sign_in_failed", None)]


def test_with_no_users_yet_the_sign_in_page_says_how_to_create_one(
    migrated_engine: Engine, open_app: OpenApp
) -> None:
    at = open_app()
    assert "intake users add NAME --role admin" in at.info[0].value


def test_signing_out_forgets_the_user_and_the_filters(
    seeded_engine: Engine, open_app: OpenApp
) -> None:
    at = open_app(seed.ADMIN)
    at.multiselect(key="filter_clinics").select("north").run()
    at.button(key="sign_out").click().run()
    assert [t.value for t in at.title] == ["Knee-to-hip clinic dashboard"]
    at = _sign_in(at, seed.ADMIN, seed.PASSWORD)
    assert at.multiselect(key="filter_clinics").value == []


def test_a_removed_user_is_signed_out_at_their_next_click(
    seeded_engine: Engine, open_app: OpenApp
) -> None:
    at = open_app(seed.VIEWER)
    assert [t.value for t in at.title] == ["Overview"]
    with seeded_engine.begin() as connection:
        users.remove_user(connection, seed.VIEWER)
    at.run()
    assert [t.value for t in at.title] == ["Knee-to-hip clinic dashboard"]
    assert not at.metric


@pytest.fixture
def authlib(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if the `oidc` extra (Authlib) were installed: these tests never reach the provider."""
    monkeypatch.setattr(session, "authlib_installed", lambda: True)


def _oidc_app(user: dict[str, object]) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT_S)
    at.secrets["auth"] = OIDC_SECRETS
    at.user = user
    return at.run()


def test_with_oidc_configured_but_authlib_missing_the_page_says_what_to_install(
    seeded_engine: Engine, dashboard_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(session, "authlib_installed", lambda: False)
    at = _oidc_app({"is_logged_in": False})
    assert [e.title for e in at.error] == ["Sign-in is not set up"]
    assert "pip install -e '.[oidc]'" in at.error[0].value
    assert not at.button


@pytest.mark.usefixtures("authlib")
def test_with_oidc_configured_people_sign_in_through_the_provider(
    seeded_engine: Engine, dashboard_env: str
) -> None:
    at = _oidc_app({"is_logged_in": False})
    assert not at.exception
    assert at.button(key="oidc_sign_in").label == "Sign in with your organisation account"
    assert not at.text_input, "no password form"


@pytest.mark.usefixtures("authlib")
def test_an_oidc_identity_registered_as_a_user_gets_that_users_role(
    seeded_engine: Engine, dashboard_env: str
) -> None:
    with seeded_engine.begin() as connection:
        users.add_user(connection, "ann@clinic.example", "viewer", None)
    at = _oidc_app({"is_logged_in": True, "email": "ann@clinic.example", "name": "Ann"})
    assert not at.exception
    assert [t.value for t in at.title] == ["Overview"]
    assert metrics(at)["Urgent cases"][0] == "<11", "a viewer"
    assert audit_events(seeded_engine) == [("ann@clinic.example", "sign_in", None)]


@pytest.mark.usefixtures("authlib")
def test_an_oidc_identity_not_registered_is_refused_and_recorded_once(
    seeded_engine: Engine, dashboard_env: str
) -> None:
    at = _oidc_app({"is_logged_in": True, "email": "eve@elsewhere.example"})
    at.run()
    assert "may not use this dashboard" in at.error[0].value
    assert "intake users add eve@elsewhere.example --role viewer --oidc" in at.error[0].value
    assert not at.metric
    assert audit_events(seeded_engine) == [("eve@elsewhere.example", "sign_in_failed", None)]
