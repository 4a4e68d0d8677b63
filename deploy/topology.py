"""The production topology of deploy/ on one host's loopback, each part its own process: Redis,
the code server, the Dagster daemon and webserver, Celery workers and the dashboard. PostgreSQL
is given (`deploy.local` starts one for `make prod-up`; the tests start their own)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Final

DEPLOY: Final = Path(__file__).resolve().parent
PROJECT: Final = DEPLOY.parent
BIN: Final = Path(sys.executable).parent
WORKER_QUEUE: Final = "dagster"
"""The queue dagster_celery sends steps to."""


class TopologyError(RuntimeError):
    """A part of the topology did not start; the message names it and ends with its log."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def worker_name(number: int) -> str:
    """A Celery worker's node name (the event log's 'Celery worker' says it for each step)."""
    return f"intake-worker-{number}@{socket.gethostname()}"


@dataclass(frozen=True)
class Config:
    """Where everything lives and listens."""

    var: Path
    """Logs, DAGSTER_HOME and Redis' directory (thrown away by `make prod-down`)."""
    intake_url: str
    """SQLAlchemy URL of the intake database."""
    dagster_pg_url: str
    """libpq URL of the database holding Dagster's runs, events, schedules and sensors."""
    landing: Path
    redis_port: int
    code_server_port: int
    webserver_port: int
    dashboard_port: int | None = None
    workers: int = 2
    max_concurrent_runs: int = 2
    visibility_timeout: int = 7200
    restore_interval: int = 10
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def dagster_home(self) -> Path:
        return self.var / "dagster-home"

    @property
    def broker_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    @property
    def webserver_url(self) -> str:
        return f"http://127.0.0.1:{self.webserver_port}"

    def environment(self) -> dict[str, str]:
        """What every process of the deployment runs with (deploy/intake.env on a host)."""
        return {
            **os.environ,
            "DAGSTER_HOME": str(self.dagster_home),
            "DAGSTER_PG_URL": self.dagster_pg_url,
            "DATABASE_URL": self.intake_url,
            "INTAKE_LANDING_DIR": str(self.landing),
            "INTAKE_EXECUTOR": "celery",
            "INTAKE_CODE_SERVER_PORT": str(self.code_server_port),
            "INTAKE_MAX_CONCURRENT_RUNS": str(self.max_concurrent_runs),
            "INTAKE_CELERY_BROKER_URL": self.broker_url,
            "INTAKE_CELERY_BACKEND_URL": f"redis://127.0.0.1:{self.redis_port}/1",
            "INTAKE_CELERY_VISIBILITY_TIMEOUT": str(self.visibility_timeout),
            "INTAKE_CELERY_RESTORE_INTERVAL": str(self.restore_interval),
            "PYTHONPATH": str(DEPLOY / "celery"),
            **self.extra_env,
        }

    def commands(self) -> dict[str, list[str]]:
        """Each process's command line, in the order they start."""
        workspace = str(DEPLOY / "workspace.yaml")
        host = "127.0.0.1"
        commands = {
            "redis": [
                "redis-server",
                "--port", str(self.redis_port), "--bind", host,
                "--save", "", "--appendonly", "no", "--dir", str(self.var / "redis"),
            ],
            "code-server": [
                str(BIN / "dagster"), "code-server", "start", "-h", host,
                "-p", str(self.code_server_port), "-m", "pipeline.definitions",
                "--location-name", "intake",
            ],
            "webserver": [
                str(BIN / "dagster-webserver"), "-h", host, "-p", str(self.webserver_port),
                "-w", workspace,
            ],
            "daemon": [str(BIN / "dagster-daemon"), "run", "-w", workspace],
        }  # fmt: skip
        for number in range(1, self.workers + 1):
            commands[f"worker-{number}"] = [
                str(BIN / "celery"), "-A", "dagster_celery.app", "worker",
                "-n", worker_name(number), "--concurrency", "1", "--prefetch-multiplier", "1",
                "-Q", WORKER_QUEUE, "--loglevel", "INFO", "--without-mingle", "--without-gossip",
            ]  # fmt: skip
        if self.dashboard_port is not None:
            commands["dashboard"] = [
                str(BIN / "streamlit"), "run", str(PROJECT / "dashboards" / "server.py"),
                "--server.port", str(self.dashboard_port), "--server.address", host,
                "--server.headless", "true", "--browser.gatherUsageStats", "false",
            ]  # fmt: skip
        return commands


@dataclass
class Topology:
    """The running processes, by name; `save` and `load` let another process stop them."""

    config: Config
    pids: dict[str, int] = field(default_factory=dict)

    def start(self, timeout: float = 180) -> None:
        """Start every process and wait until each answers; on failure stop what started."""
        (self.config.var / "redis").mkdir(parents=True, exist_ok=True)
        (self.config.var / "logs").mkdir(parents=True, exist_ok=True)
        self.config.dagster_home.mkdir(parents=True, exist_ok=True)
        shutil.copy(DEPLOY / "dagster.yaml", self.config.dagster_home / "dagster.yaml")
        try:
            self._run([str(BIN / "intake"), "db", "upgrade"], "the intake database's migrations")
            for name in self.config.commands():
                self.start_process(name)
            for name in self.config.commands():
                self.wait_ready(name, timeout)
        except BaseException:
            self.stop()
            raise

    def start_process(self, name: str) -> None:
        """Start one process (again, after `stop_process` or `kill`), logging to var/logs."""
        log = (self.config.var / "logs" / f"{name}.log").open("ab")
        process = subprocess.Popen(
            self.config.commands()[name],
            cwd=PROJECT,
            env=self.config.environment(),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopping it stops its children
        )
        log.close()
        self.pids[name] = process.pid

    def wait_ready(self, name: str, timeout: float = 180) -> None:
        """Wait until the process answers as it should; raise with its log if it does not."""
        health = [str(BIN / "dagster"), "api", "grpc-health-check", "-h", "127.0.0.1"]
        dashboard = f"http://127.0.0.1:{self.config.dashboard_port}/_stcore/health"
        checks: dict[str, Callable[[], bool]] = {
            "redis": lambda: _redis_ping(self.config.redis_port),
            "code-server": lambda: self._succeeds(
                [*health, "-p", str(self.config.code_server_port)]
            ),
            "webserver": lambda: _http_ok(f"{self.config.webserver_url}/server_info"),
            "daemon": lambda: self._succeeds([str(BIN / "dagster-daemon"), "liveness-check"]),
            "dashboard": lambda: _http_ok(dashboard),
        }
        check = checks.get(name) or (lambda: self._worker_answers(name))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.is_running(name):
                raise TopologyError(f"{name} exited while starting\n{self.log_tail(name)}")
            if check():
                return
            time.sleep(1)
        raise TopologyError(f"{name} did not answer within {timeout:.0f} s\n{self.log_tail(name)}")

    def is_running(self, name: str) -> bool:
        pid = self.pids.get(name)
        if pid is None:
            return False
        try:
            waited, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:  # not this process's child (loaded from a state file)
            return Path(f"/proc/{pid}").exists()
        return waited == 0

    def stop_process(self, name: str, timeout: float = 30) -> None:
        """SIGTERM to the process's group, SIGKILL if it is still there after `timeout`."""
        pid = self.pids.pop(name, None)
        if pid is None:
            return
        _signal_group(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and _group_alive(pid):
            _reap(pid)
            time.sleep(0.2)
        _signal_group(pid, signal.SIGKILL)
        _reap(pid)

    def kill(self, name: str) -> None:
        """SIGKILL the process and its children at once, as a lost host or the OOM killer."""
        pid = self.pids.pop(name)
        _signal_group(pid, signal.SIGKILL)
        _reap(pid)

    def stop(self) -> None:
        """Stop every process, the last started first."""
        for name in reversed(list(self.pids)):
            self.stop_process(name)

    def log_tail(self, name: str, chars: int = 3000) -> str:
        log = self.config.var / "logs" / f"{name}.log"
        return log.read_text(errors="replace")[-chars:] if log.exists() else "(no log)"

    def save(self, path: Path) -> None:
        config = {k: str(v) if isinstance(v, Path) else v for k, v in asdict(self.config).items()}
        path.write_text(json.dumps({"config": config, "pids": self.pids}, indent=2))

    @classmethod
    def load(cls, path: Path) -> Topology:
        state = json.loads(path.read_text())
        config = state["config"]
        config["var"], config["landing"] = Path(config["var"]), Path(config["landing"])
        return cls(Config(**config), {k: int(v) for k, v in state["pids"].items()})

    def _succeeds(self, command: list[str]) -> bool:
        result = subprocess.run(
            command, env=self.config.environment(), capture_output=True, timeout=60, check=False
        )
        return result.returncode == 0

    def _run(self, command: list[str], what: str) -> None:
        result = subprocess.run(
            command,
            cwd=PROJECT,
            env=self.config.environment(),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise TopologyError(f"{what} failed: {result.stderr.strip() or result.stdout}")

    def _worker_answers(self, name: str) -> bool:
        from celery import Celery

        node = worker_name(int(name.rpartition("-")[2]))
        app = Celery(broker=self.config.broker_url)
        try:
            return bool(app.control.ping(destination=[node], timeout=1.0))
        finally:
            app.close()


def _redis_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback URL)
            return int(response.status) == 200
    except OSError:
        return False


def _signal_group(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, sig)  # the group this process leads (start_new_session)


def _group_alive(pid: int) -> bool:
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
