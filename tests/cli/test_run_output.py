"""What `intake run` shows: each stage live, with its rate, on a terminal (a pseudo-terminal
here) and nothing of it in a pipe or under CI; with --json one JSON object on stdout whose
counts are the database's."""

from __future__ import annotations

import json
import os
import pty
import re
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from db import migrate
from db.engine import make_engine
from db.models import (
    CaseClassification,
    CaseVersion,
    IngestedFile,
    IntakeCase,
    PipelineRun,
    QuarantinedRecord,
    table_of,
)
from pipeline.cli import app
from tests.reliability.state import INTAKE

STAGES = ("land", "validate", "load", "classify", "aggregate")
ANSI_CODE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
"""Colours and cursor moves, left out of what the tests read."""


def _environment(tmp_path: Path, url: str, *, ci: bool = False) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env |= {
        "DATABASE_URL": url,
        "DAGSTER_HOME": str(tmp_path / "dagster"),
        "TERM": "xterm-256color",
        "COLUMNS": "120",
    }
    if ci:
        env["CI"] = "true"
    return env


def _on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run `args` with stdin, stdout and stderr on a pseudo-terminal; its exit and output."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(args, stdin=follower, stdout=follower, stderr=follower, env=env)
    os.close(follower)
    chunks: list[bytes] = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the process closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    shown = b"".join(chunks).decode("utf-8", "replace")
    return process.wait(timeout=300), ANSI_CODE.sub("", shown)


def _migrated_sqlite(tmp_path: Path, name: str) -> str:
    url = f"sqlite:///{tmp_path / name}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    return url


def test_run_shows_each_stage_with_its_rate_on_a_terminal_only(
    tmp_path: Path, landing: Path
) -> None:
    run = [str(INTAKE), "run", "--landing", str(landing)]
    code, shown = _on_a_terminal(run, _environment(tmp_path, _migrated_sqlite(tmp_path, "tty.db")))
    assert code == 0, shown
    assert "Days 2026-11-18 to 2026-11-20 (3 days):" in shown
    for stage in STAGES:
        assert stage in shown
    assert "records/s" in shown
    assert "Traceback" not in shown

    piped = subprocess.run(
        run,
        env=_environment(tmp_path, _migrated_sqlite(tmp_path, "pipe.db")),
        capture_output=True,
        text=True,
        check=True,
    )
    assert "records in" in piped.stdout  # the summary, as before
    assert "records/s" not in piped.stdout + piped.stderr
    assert "Days " not in piped.stdout + piped.stderr

    ci_env = _environment(tmp_path, _migrated_sqlite(tmp_path, "ci.db"), ci=True)
    code, under_ci = _on_a_terminal(run, ci_env)
    assert code == 0, under_ci
    assert "records in" in under_ci
    assert "records/s" not in under_ci


def _database_counts(engine: Engine) -> dict[str, Any]:
    """The counts the summary reports, read from the tables themselves."""
    files, cases = table_of(IngestedFile), table_of(IntakeCase)
    classified = table_of(CaseClassification)
    with engine.connect() as connection:

        def count(query: Any) -> int:
            return int(connection.execute(query).scalar_one())

        def per(column: Any) -> dict[str, int]:
            rows = connection.execute(select(column, func.count()).group_by(column))
            return {str(key): int(n) for key, n in rows}

        loaded = count(select(func.count()).select_from(cases))
        return {
            "files": count(
                select(func.count()).select_from(files).where(files.c.status == "finished")
            ),
            "records_in": count(select(func.sum(files.c.records_in))),
            "loaded": loaded,
            "corrected": count(select(func.count()).select_from(table_of(CaseVersion))) - loaded,
            "quarantined": count(select(func.count()).select_from(table_of(QuarantinedRecord))),
            "by_mechanism": per(classified.c.mechanism),
            "by_triage": per(classified.c.triage),
            "run_ids": {r for (r,) in connection.execute(select(table_of(PipelineRun).c.run_id))},
        }


def test_run_json_prints_one_object_whose_counts_are_the_databases(
    migrated_engine: Engine, database_url: str, landing: Path, tmp_path: Path
) -> None:
    env = {"DATABASE_URL": database_url, "DAGSTER_HOME": str(tmp_path / "dagster")}
    runner = CliRunner()
    first = runner.invoke(app, ["run", "--json", "--landing", str(landing)], env=env)
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout)  # the whole of stdout is one JSON object
    counted = _database_counts(migrated_engine)
    database = summary["database"]
    for key in ("files", "records_in", "loaded", "corrected", "quarantined"):
        assert database[key] == counted[key], key
        assert summary["this_run"][key] == counted[key], key
    assert database["unchanged"] == summary["this_run"]["unchanged"] > 0
    assert database["records_in"] == sum(
        database[k] for k in ("loaded", "unchanged", "corrected", "quarantined")
    )
    assert database["by_mechanism"] == counted["by_mechanism"]
    assert database["by_triage"] == counted["by_triage"]
    assert database["cases"] == counted["loaded"]
    assert summary["dagster_run_id"] in counted["run_ids"]
    assert summary["succeeded"] is True
    assert (summary["first_day"], summary["last_day"]) == ("2026-11-18", "2026-11-20")
    assert summary["checks"]["every_valid_record_loaded"] is True
    assert summary["checks"]["no_duplicate_cases"] is True

    again = json.loads(
        runner.invoke(app, ["run", "--json", "--landing", str(landing)], env=env).stdout
    )
    assert again["this_run"] == dict.fromkeys(summary["this_run"], 0)
    assert again["database"] == database
    assert again["dagster_run_id"] != summary["dagster_run_id"]


def test_a_failed_run_says_which_stage_failed_and_why_in_one_line_without_a_traceback(
    tmp_path: Path, landing: Path
) -> None:
    url = _migrated_sqlite(tmp_path, "refusing.db")
    refusing = sqlite3.connect(url.removeprefix("sqlite:///"))
    refusing.execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON case_versions"
        " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
    )
    refusing.commit()
    refusing.close()
    env = {"DATABASE_URL": url, "DAGSTER_HOME": str(tmp_path / "dagster")}
    failed = CliRunner().invoke(app, ["run", "--landing", str(landing)], env=env)
    assert failed.exit_code == 1
    assert isinstance(failed.exception, SystemExit)
    lines = failed.output.splitlines()
    cause = [line for line in lines if line.startswith("load: ")]
    assert len(cause) == 1, failed.output
    assert cause[0].endswith("refused by the test")
    assert lines[-1].startswith("The run failed (run id ")
    assert "Traceback" not in failed.output
