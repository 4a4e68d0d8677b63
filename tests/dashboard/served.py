"""The real dashboard server for end-to-end tests: `streamlit run dashboards/server.py` on a
free loopback port, started from another directory (its configuration must come from next to
the app), on a given database; and the other loopback helpers those tests share."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Final

SERVER: Final = Path(__file__).resolve().parents[2] / "dashboards" / "server.py"
SERVER_START_TIMEOUT_S: Final = 60


@dataclass(frozen=True, slots=True)
class Served:
    """A running dashboard: its base URL, port and log file."""

    base: str
    port: int
    log: Path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def dashboard(
    database_url: str,
    workdir: Path,
    *,
    env: Mapping[str, str] | None = None,
    address: str | None = "127.0.0.1",
) -> Iterator[Served]:
    """The dashboard served on a free port (on `address`, or where its configuration says when
    None) until the block ends; its log must hold no traceback."""
    port = free_port()
    log_path = workdir / "streamlit.log"
    command = [sys.executable, "-m", "streamlit", "run", str(SERVER), "--server.port", str(port)]
    if address is not None:
        command += ["--server.address", address]
    environment = os.environ | {"DATABASE_URL": database_url} | dict(env or {})
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command, cwd=workdir, env=environment, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            wait_until_healthy(port, process)
            yield Served(f"http://127.0.0.1:{port}", port, log_path)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    server_log = log_path.read_text()
    assert "Traceback" not in server_log, server_log


def wait_until_healthy(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            connection.request("GET", "/_stcore/health")
            if connection.getresponse().read() == b"ok":
                return
        except OSError:
            time.sleep(0.3)
        finally:
            connection.close()
    raise RuntimeError(f"streamlit did not answer on port {port} in {SERVER_START_TIMEOUT_S} s")


def get(base: str, path: str, cookie: str | None = None) -> tuple[int, bytes]:
    """GET `path` like curl would: the status and body, with the session cookie if given."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        headers = {"Cookie": f"dashboard_session={cookie}"} if cookie else {}
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()
