"""The Overview page with a million cases, rendered through AppTest (first render, new session,
filter changes): `python -m benchmarks.overview_dashboard --cases 1000000`."""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import random
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final

import polars as pl
import streamlit as st
from sqlalchemy import Engine, func, insert, select
from streamlit.testing.v1 import AppTest

import dashboards
from dashboards.filters import period_from_widget
from dashboards.session import SignedIn
from db import migrate, users
from db.engine import make_engine
from db.models import DailyCaseCount
from pipeline.aggregate.daily_counts import AGE_BAND_LABELS
from pipeline.contract.fields import KNEE_INJURIES, SEXES
from pipeline.contract.outputs import MECHANISMS, TRIAGE_LEVELS

APP: Final = Path(dashboards.__file__).parent / "app.py"
FIRST_RENDER_TARGET_S: Final = 2.0
FILTER_CHANGE_TARGET_S: Final = 0.5
INSERT_BATCH: Final = 50_000
BENCH_ADMIN: Final = "bench-admin"
RUN_TIMEOUT_S: Final = 120.0

MECHANISM_WEIGHTS: Final = (0.34, 0.30, 0.18, 0.08, 0.10)
TRIAGE_WEIGHTS: Final = (0.06, 0.22, 0.72)
KNEE_INJURY_WEIGHTS: Final = (0.28, 0.22, 0.14, 0.18, 0.05, 0.08, 0.05)
AGE_BAND_WEIGHTS: Final = (0.06, 0.22, 0.26, 0.24, 0.16, 0.06)
SEX_WEIGHTS: Final = (0.52, 0.46, 0.01, 0.01)
WEEKDAY_WEIGHTS: Final = (1.0, 1.0, 1.0, 1.0, 0.9, 0.35, 0.2)
"""Monday to Sunday: clinics see few patients at weekends."""
GROWTH_OVER_PERIOD: Final = 0.3
"""Intakes grow by this fraction from the first day to the last."""


def synthetic_counts(
    cases: int, days: int, clinics: int, end: dt.date, rng: random.Random
) -> pl.DataFrame:
    """Counts per (day, clinic, mechanism, triage, knee injury, age band, sex) of `cases`
    synthetic cases over the `days` days up to `end`: clinics of different sizes, each with
    its own mix of mechanisms, fewer intakes at weekends, a slow growth."""
    calendar = [end - dt.timedelta(days=n) for n in range(days - 1, -1, -1)]
    day_weights = [
        WEEKDAY_WEIGHTS[d.weekday()] * (1 + GROWTH_OVER_PERIOD * i / max(days - 1, 1))
        for i, d in enumerate(calendar)
    ]
    names = [f"clinic_{i:02d}" for i in range(clinics)]
    sizes = [1 / (i + 1) ** 0.6 for i in range(clinics)]
    per_clinic = _split(cases, sizes, rng)
    columns: dict[str, list[object]] = {k: [] for k in _DIMENSIONS}
    for name, n in zip(names, per_clinic, strict=True):
        mix = [w * rng.uniform(0.7, 1.3) for w in MECHANISM_WEIGHTS]
        columns["intake_date"] += rng.choices(calendar, day_weights, k=n)
        columns["clinic_id"] += [name] * n
        columns["mechanism"] += rng.choices(MECHANISMS, mix, k=n)
        columns["triage"] += rng.choices(TRIAGE_LEVELS, TRIAGE_WEIGHTS, k=n)
        columns["knee_injury"] += rng.choices(KNEE_INJURIES, KNEE_INJURY_WEIGHTS, k=n)
        columns["age_band"] += rng.choices(AGE_BAND_LABELS, AGE_BAND_WEIGHTS, k=n)
        columns["sex"] += rng.choices(SEXES, SEX_WEIGHTS, k=n)
    frame = pl.DataFrame(columns, schema=_DIMENSIONS)
    return frame.group_by(list(_DIMENSIONS)).len(name="cases").cast({"cases": pl.Int64})


_DIMENSIONS: Final = {
    "intake_date": pl.Date,
    "clinic_id": pl.String,
    "mechanism": pl.String,
    "triage": pl.String,
    "knee_injury": pl.String,
    "age_band": pl.String,
    "sex": pl.String,
}


def _split(total: int, weights: Sequence[float], rng: random.Random) -> list[int]:
    """`total` split in proportion to `weights` (multinomially)."""
    counts = [0] * len(weights)
    for i in rng.choices(range(len(weights)), weights, k=total):
        counts[i] += 1
    return counts


def load(engine: Engine, counts: pl.DataFrame) -> None:
    """Write the counts into the aggregate table, in key order and batches (appending to the
    indexes is much faster than inserting at random), and let SQLite plan with them."""
    rows = counts.sort(list(_DIMENSIONS)).to_dicts()
    with engine.begin() as connection:
        for start in range(0, len(rows), INSERT_BATCH):
            connection.execute(insert(DailyCaseCount), rows[start : start + INSERT_BATCH])
        connection.exec_driver_sql("ANALYZE")
        users.add_user(connection, BENCH_ADMIN, "admin", None)


def timed(action: Callable[[], AppTest]) -> tuple[float, AppTest]:
    """Seconds `action` took to render a page, and the page; an exception on it stops here."""
    start = time.perf_counter()
    at = action()
    elapsed = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(f"the page failed: {at.exception[0].message}")
    return elapsed, at


def _overview() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=RUN_TIMEOUT_S)
    at.session_state["signed_in"] = SignedIn(BENCH_ADMIN, "admin", "password")
    return at


def measure(engine: Engine, first_clinic: str, end: dt.date) -> list[tuple[str, float, float]]:
    """(what, seconds, target) for each timed render of the Overview."""
    os.environ["DATABASE_URL"] = engine.url.render_as_string(hide_password=False)
    results: list[tuple[str, float, float]] = []
    seconds, _ = timed(lambda: _overview().run())
    results.append(("first render, new process", seconds, FIRST_RENDER_TARGET_S))
    st.cache_data.clear()
    seconds, at = timed(lambda: _overview().run())
    results.append(("first render, new session, empty cache", seconds, FIRST_RENDER_TARGET_S))
    latest = period_from_widget(at.date_input(key="filter_period").value, (end, end))[1]
    year = (latest - dt.timedelta(days=364), latest)
    changes: list[tuple[str, Callable[[AppTest], AppTest]]] = [
        (
            "filter change: period = the last year",
            lambda app: app.date_input(key="filter_period").set_value(year).run(),
        ),
        (
            "filter change: sex = female",
            lambda app: app.multiselect(key="filter_sexes").select("female").run(),
        ),
        (
            f"filter change: clinic = {first_clinic}",
            lambda app: app.multiselect(key="filter_clinics").select(first_clinic).run(),
        ),
        (
            "filter change: age band = 50-64",
            lambda app: app.multiselect(key="filter_age_bands").select("50-64").run(),
        ),
    ]
    for what, change in changes:
        seconds, at = timed(functools.partial(change, at))
        results.append((what, seconds, FILTER_CHANGE_TARGET_S))
    return results


def main(argv: Sequence[str] | None = None) -> int:
    """Build the data set, time the Overview, print the figures; 1 if a target is missed."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.overview_dashboard", description="Benchmark the Overview page."
    )
    parser.add_argument("--cases", type=int, default=1_000_000, help="synthetic cases to count")
    parser.add_argument("--days", type=int, default=730, help="intake days they spread over")
    parser.add_argument("--clinics", type=int, default=12, help="number of clinics")
    parser.add_argument("--seed", type=int, default=7, help="random seed")
    parser.add_argument("--database", type=Path, help="SQLite file to create (default: temporary)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        path = args.database or Path(scratch) / "bench.db"
        path.unlink(missing_ok=True)
        engine = make_engine(f"sqlite:///{path}")
        migrate.upgrade(engine)
        started = time.perf_counter()
        end = dt.datetime.now(dt.UTC).date()
        counts = synthetic_counts(
            args.cases, args.days, args.clinics, end, random.Random(args.seed)
        )
        load(engine, counts)
        with engine.connect() as connection:
            total = connection.execute(select(func.sum(DailyCaseCount.cases))).scalar_one()
        print(
            f"{total:,} cases in {counts.height:,} daily_case_counts rows "
            f"({args.days} days, {args.clinics} clinics), loaded in "
            f"{time.perf_counter() - started:.1f} s into {path}"
        )
        results = measure(engine, "clinic_00", end)
        engine.dispose()
    return report(results)


def report(results: list[tuple[str, float, float]]) -> int:
    """Print each (what, seconds, target) against its target; 1 if any is missed, else 0."""
    width = max(len(what) for what, _, _ in results)
    missed = 0
    for what, seconds, target in results:
        verdict = "ok" if seconds < target else "OVER TARGET"
        missed += seconds >= target
        milliseconds, target_ms = seconds * 1000, target * 1000
        print(f"{what:<{width}}  {milliseconds:7.0f} ms  (target < {target_ms:.0f} ms) {verdict}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
