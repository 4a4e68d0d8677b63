"""The benchmark command: its synthetic counts are real counts of the cases asked for, with
the contract's values, and it renders the Overview and prints its timings."""

from __future__ import annotations

import datetime as dt
import random
import re

import polars as pl
import pytest

from benchmarks import overview_dashboard as bench
from pipeline.aggregate.daily_counts import AGE_BAND_LABELS
from pipeline.contract.fields import KNEE_INJURIES, SEXES
from pipeline.contract.outputs import MECHANISMS, TRIAGE_LEVELS

END = dt.date(2026, 11, 20)


def test_synthetic_counts_add_up_to_the_cases_asked_for_with_contract_values() -> None:
    counts = bench.synthetic_counts(20_000, days=56, clinics=4, end=END, rng=random.Random(1))
    assert counts["cases"].sum() == 20_000
    days = counts["intake_date"].to_list()
    assert min(counts["cases"].to_list()) >= 1
    assert END - dt.timedelta(days=55) <= min(days) <= max(days) <= END
    assert set(counts["clinic_id"]) == {"clinic_00", "clinic_01", "clinic_02", "clinic_03"}
    for column, allowed in (
        ("mechanism", MECHANISMS),
        ("triage", TRIAGE_LEVELS),
        ("knee_injury", KNEE_INJURIES),
        ("age_band", AGE_BAND_LABELS),
        ("sex", SEXES),
    ):
        assert set(counts[column]) <= set(allowed), column
    keys = [c for c in counts.columns if c != "cases"]
    assert counts.select(keys).is_unique().all(), "one row per combination"
    per_weekday = counts.group_by(pl.col("intake_date").dt.weekday()).agg(pl.col("cases").sum())
    by_day = dict(per_weekday.iter_rows())
    assert by_day[7] < by_day[1], "fewer intakes on Sundays than on Mondays"


def test_the_benchmark_renders_the_overview_and_prints_its_timings(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite:///unused.db")
    code = bench.main(["--cases", "3000", "--days", "60", "--clinics", "3"])
    printed = capsys.readouterr().out
    assert "3,000 cases in" in printed
    timings = re.findall(r"^(first render|filter change).*?(\d+) ms", printed, re.MULTILINE)
    assert len(timings) == 6
    assert code == 0, printed
