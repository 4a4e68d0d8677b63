"""Benchmark the red-flag worklist, a follow-up change and the case view with a million cases,
in-process with AppTest against the real pipeline's database:
`python -m benchmarks.follow_up_dashboard --records 1000000` (exits 1 if a target is missed)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import dagster as dg
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from benchmarks.overview_dashboard import APP, report, timed
from dashboards.session import SignedIn
from db import migrate, users
from db.engine import make_engine
from db.models import FollowUpItem, IntakeCase
from pipeline import run
from pipeline.generate import GenerationConfig, OutputFormat, generate

# Issue 13's targets.
FIRST_RENDER_TARGET_S: Final = 2.0
CHANGE_TARGET_S: Final = 0.5
RUN_TIMEOUT_S: Final = 300.0
ADMIN: Final = SignedIn("bench-admin", "admin", "password")


def _worklist() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=RUN_TIMEOUT_S)
    at.session_state["signed_in"] = ADMIN
    at.run()
    return at.switch_page("app_pages/follow_up.py")


def measure(case_id: str) -> list[tuple[str, float, float]]:
    """(what, seconds, target) for each timed render."""
    results: list[tuple[str, float, float]] = []
    timed(lambda: _worklist().run())  # imports the pages: not what a user waits for
    seconds, at = timed(lambda: _worklist().run())
    results.append(("worklist: first render, new session", seconds, FIRST_RENDER_TARGET_S))
    (key,) = [d.key for d in at.dataframe if d.key and d.key.startswith("follow_up_table")]
    at.session_state[key] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    seconds, at = timed(at.run)
    results.append(("worklist: a row selected", seconds, CHANGE_TARGET_S))
    (contact,) = [b for b in at.button if b.label == "Mark contacted"]
    seconds, at = timed(contact.click().run)
    if at.warning or not [c for c in at.caption if c.value.startswith("Select rows")]:
        raise RuntimeError("marking the item contacted did not go through")
    results.append(("follow-up: mark contacted, page drawn again", seconds, CHANGE_TARGET_S))
    case_at = AppTest.from_file(str(APP), default_timeout=RUN_TIMEOUT_S)
    case_at.session_state["signed_in"] = ADMIN
    case_at.session_state["case_intake_id"] = case_id
    case_at.run()
    seconds, case_at = timed(lambda: case_at.switch_page("app_pages/case.py").run())
    if [t.value for t in case_at.title][:1] != [f"Case {case_id}"]:
        raise RuntimeError(f"the case view did not show case {case_id}")
    results.append(("case view: first render", seconds, FIRST_RENDER_TARGET_S))
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.follow_up_dashboard",
        description="Benchmark the red-flag worklist, a follow-up change and the case view.",
    )
    parser.add_argument("--records", type=int, default=1_000_000, help="intake records to seed")
    parser.add_argument("--days", type=int, default=60, help="intake days they spread over")
    parser.add_argument("--seed", type=int, default=7, help="random seed")
    args = parser.parse_args(argv)
    end = dt.date(2026, 11, 20)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        url = f"sqlite:///{root / 'bench.db'}"
        engine = make_engine(url)
        migrate.upgrade(engine)
        with engine.begin() as connection:
            users.add_user(connection, ADMIN.username, "admin", None)
        started = time.perf_counter()
        generate(
            GenerationConfig(
                records=args.records,
                days=args.days,
                end_date=end,
                clinics=8,
                seed=args.seed,
                output_format=OutputFormat.CSV,
                invalid_rate=0.02,
                out_dir=root / "landing",
            )
        )
        first = end - dt.timedelta(days=args.days - 1)
        with dg.instance_for_test() as instance:
            result = run.run_days(
                first, end, landing_dir=root / "landing", database_url=url, instance=instance
            )
        if not result.success:
            raise RuntimeError("the ingestion run failed")
        with engine.connect() as connection:
            cases = connection.execute(select(func.count()).select_from(IntakeCase)).scalar_one()
            items = connection.execute(select(func.count()).select_from(FollowUpItem)).scalar_one()
            a_case = connection.execute(
                select(FollowUpItem.subject_key).where(FollowUpItem.subject == "case").limit(1)
            ).scalar_one()
        print(
            f"{cases:,} cases, {items:,} follow-up items; seeded and ingested in "
            f"{time.perf_counter() - started:.0f} s"
        )
        os.environ["DATABASE_URL"] = url
        results = measure(a_case)
        engine.dispose()
    return report(results)


if __name__ == "__main__":
    raise SystemExit(main())
