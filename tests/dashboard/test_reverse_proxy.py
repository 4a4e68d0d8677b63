"""The reverse proxy of deploy/nginx/dashboard.conf, run on loopback in front of the real
dashboard with a certificate made for the test: it serves the dashboard over TLS only (plain
HTTP is redirected), shuts Streamlit's metrics and upload doors, passes the live connection
through (an administrator signs in with Chromium) and tells the dashboard the client's
address and that the connection was HTTPS (the session cookie is Secure).

Skipped, saying what to install, without Debian's nginx, openssl or chromium; under CI=true
that is a failure instead.
"""

from __future__ import annotations

import http.client
import os
import shutil
import ssl
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pytest
from playwright.sync_api import expect, sync_playwright
from sqlalchemy import Engine, select

from dashboards import access, cookies
from db import migrate, users
from db.engine import make_engine
from db.models import SignInLimit
from tests.conftest import IN_CI
from tests.dashboard import seed, served
from tests.dashboard.test_browser import CHROMIUM, CHROMIUM_ARGS, PAGE_TIMEOUT_MS

SITE: Final = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "dashboard.conf"
NGINX: Final = Path("/usr/sbin/nginx")
SECRET: Final = "a test secret for signing cookies"

pytestmark = pytest.mark.slow


@dataclass(frozen=True, slots=True)
class Proxy:
    https_port: int
    http_port: int


def _require(path: Path | None, package: str) -> None:
    if path is None or not path.exists():
        message = f"the reverse proxy test needs {package}"
        if IN_CI:
            pytest.fail(f"{message} (CI=true: required, not skipped)")
        pytest.skip(f"{message}: install it with `apt-get install {package}`")


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('proxy') / 'intake.db'}")
    migrate.upgrade(engine)
    seed.seed_cases(engine, seed.standard_cases())
    seed.seed_users(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def proxy(database: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    _require(NGINX, "nginx")
    openssl = shutil.which("openssl")
    _require(Path(openssl) if openssl else None, "openssl")
    work = tmp_path_factory.mktemp("nginx")
    key, cert = str(work / "key.pem"), str(work / "cert.pem")
    make_certificate = [str(openssl), "req", "-x509", "-newkey", "rsa:2048", "-nodes"]
    make_certificate += ["-days", "1", "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", cert]
    subprocess.run(make_certificate, check=True, capture_output=True)
    env = {"DASHBOARD_BEHIND_PROXY": "1", "DASHBOARD_COOKIE_SECRET": SECRET}
    url = database.url.render_as_string(hide_password=False)
    with served.dashboard(url, tmp_path_factory.mktemp("proxied"), env=env) as dashboard:
        ports = Proxy(served.free_port(), served.free_port())
        site = (
            SITE.read_text()
            .replace("127.0.0.1:8501", f"127.0.0.1:{dashboard.port}")
            .replace("listen 443 ssl http2;", f"listen 127.0.0.1:{ports.https_port} ssl http2;")
            .replace("listen 80;", f"listen 127.0.0.1:{ports.http_port};")
            .replace("/etc/ssl/certs/clinic-dashboard.pem", cert)
            .replace("/etc/ssl/private/clinic-dashboard.key", key)
        )
        site = "\n".join(line for line in site.splitlines() if "listen [::]" not in line)
        (work / "site.conf").write_text(site)
        temp = "".join(
            f"{kind}_temp_path {work / kind};\n" for kind in ("client_body", "proxy", "fastcgi")
        ) + "".join(f"{kind}_temp_path {work / kind};\n" for kind in ("uwsgi", "scgi"))
        (work / "nginx.conf").write_text(
            ("user root;\n" if os.geteuid() == 0 else "")
            + f"worker_processes 1;\npid {work / 'nginx.pid'};\nerror_log {work / 'error.log'};\n"
            + "daemon off;\nevents {}\n"
            + f"http {{\naccess_log {work / 'access.log'};\n{temp}"
            + f"include /etc/nginx/mime.types;\ninclude {work / 'site.conf'};\n}}\n"
        )
        command = [str(NGINX), "-p", str(work), "-c", str(work / "nginx.conf")]
        subprocess.run([*command, "-t"], check=True, capture_output=True)
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_for(ports.https_port)
            yield ports
        finally:
            process.terminate()
            process.wait(timeout=10)


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            _https(port, "/_stcore/health")
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nginx did not answer on port {port}")


def _https(
    port: int, path: str, cookie: str | None = None
) -> tuple[int, bytes, http.client.HTTPResponse]:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate
    connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=context)
    try:
        headers = {"Cookie": f"{cookies.COOKIE_NAME}={cookie}"} if cookie else {}
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(), response
    finally:
        connection.close()


def _admin(database: Engine) -> users.User:
    with database.connect() as connection:
        user = users.get_user(connection, seed.ADMIN)
    assert user is not None
    return user


def test_the_proxy_serves_over_tls_and_shuts_streamlits_own_doors(
    proxy: Proxy, database: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DASHBOARD_COOKIE_SECRET", SECRET)
    assert _https(proxy.https_port, "/_stcore/health")[:2] == (200, b"ok")
    plain = http.client.HTTPConnection("127.0.0.1", proxy.http_port, timeout=10)
    plain.request("GET", "/worklist")
    redirect = plain.getresponse()
    assert redirect.status == 301
    assert (redirect.getheader("Location") or "").startswith("https://")
    plain.close()

    ticket = access.open_browser_session(database, _admin(database), "password")
    status, _, response = _https(proxy.https_port, f"{cookies.TICKET_ROUTE}?ticket={ticket}")
    assert status == 303
    set_cookie = response.getheader("Set-Cookie") or ""
    assert "Secure" in set_cookie
    assert "HttpOnly" in set_cookie
    cookie = set_cookie.split(";")[0].split("=", 1)[1].strip('"')
    assert _https(proxy.https_port, "/_stcore/metrics", cookie)[0] == 404, "shut even for admins"
    assert _https(proxy.https_port, "/_stcore/upload_file/x/y")[0] == 404
    assert _https(proxy.https_port, "/media/0123456789abcdef0123456789abcdef.csv")[0] == 404


def test_an_administrator_signs_in_through_the_proxy_and_failures_count_per_client_address(
    proxy: Proxy, database: Engine
) -> None:
    _require(CHROMIUM, "chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_context(ignore_https_errors=True).new_page()
        page.goto(f"https://127.0.0.1:{proxy.https_port}/")
        page.get_by_role("textbox", name="Username").fill(seed.ADMIN)
        page.get_by_role("textbox", name="Password").fill("not the password")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_text("Unknown username or wrong password.")).to_be_visible(
            timeout=PAGE_TIMEOUT_MS
        )
        page.get_by_role("textbox", name="Username").fill(seed.ADMIN)
        page.get_by_role("textbox", name="Password").fill(seed.PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Overview")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
        browser.close()
    with database.connect() as connection:
        keys = connection.execute(
            select(SignInLimit.key).where(SignInLimit.scope == "address")
        ).scalars()
        assert list(keys) == ["127.0.0.1"], "the address the proxy saw, not 'local'"
