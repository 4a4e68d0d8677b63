"""`make prod-up` / `make prod-down` (`python -m deploy.local up|down`): the production topology on
this machine's loopback, with throwaway data under var/prod/ (PostgreSQL, Redis, Dagster's home,
the landing directory, logs), seeded and with its URLs printed; `down` deletes var/prod/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from typing import Final

from benchmarks.pg_server import PostgresServer, create_databases, find_bindir, start_server
from deploy.topology import BIN, PROJECT, Config, Topology

VAR: Final = PROJECT / "var" / "prod"
STATE: Final = VAR / "topology.json"
PG_ROOT: Final = VAR / "postgres"


def _port(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def up() -> None:
    if STATE.exists():
        sys.exit(f"already up ({STATE}); `make prod-down` first")
    VAR.mkdir(parents=True, exist_ok=True)
    server = start_server(PG_ROOT, _port("PROD_PG_PORT", 55432))
    create_databases(server.url(), "intake", "dagster")
    landing = VAR / "landing"
    subprocess.run(
        [str(BIN / "intake"), "seed", "--records", "6000", "--days", "14", "--clinics", "4",
         "--out", str(landing)],
        check=True, cwd=PROJECT, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    config = Config(
        var=VAR,
        intake_url=server.url("intake"),
        dagster_pg_url=f"postgresql+psycopg2://{server.url('dagster').partition('://')[2]}",
        landing=landing,
        redis_port=_port("PROD_REDIS_PORT", 56379),
        code_server_port=_port("PROD_CODE_SERVER_PORT", 4266),
        webserver_port=_port("PROD_WEBSERVER_PORT", 3070),
        dashboard_port=_port("PROD_DASHBOARD_PORT", 8502),
        workers=_port("PROD_WORKERS", 2),
    )
    topology = Topology(config)
    try:
        topology.start()
    except BaseException:
        server.stop()
        raise
    topology.save(STATE)
    subprocess.run(
        [str(BIN / "intake"), "users", "add", "demo-admin", "--role", "admin",
         "--generate-password", "--if-missing"],
        check=False, cwd=PROJECT, env=config.environment(),
    )  # fmt: skip
    print(
        f"Up on 127.0.0.1 (data under {VAR}, logs in {VAR / 'logs'}):\n"
        f"  Dagster UI   {config.webserver_url}  (Automation: the schedule and landing_sensor)\n"
        f"  dashboard    http://127.0.0.1:{config.dashboard_port}  (demo-admin, password above)\n"
        f"  PostgreSQL   {server.url('intake')} and .../dagster\n"
        f"  Redis        {config.broker_url}; Celery workers: {config.workers}\n"
        "Backfill the seeded days in the UI (Assets > Materialize > all partitions with files), "
        "or turn landing_sensor on. `make prod-down` stops everything and deletes var/prod/."
    )


def down() -> None:
    if STATE.exists():
        Topology.load(STATE).stop()
    if (PG_ROOT / "data").exists():
        run_as = "postgres" if os.geteuid() == 0 else None
        PostgresServer(find_bindir(), PG_ROOT, 0, run_as).stop()  # pg_ctl stop, then delete
    shutil.rmtree(VAR, ignore_errors=True)
    print(f"Down: every process stopped, {VAR} deleted.")


if __name__ == "__main__":
    {"up": up, "down": down}[sys.argv[1] if len(sys.argv) > 1 else "up"]()
