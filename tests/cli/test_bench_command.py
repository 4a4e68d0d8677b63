"""`intake bench` end to end on a small run: every stage, the references, the peers (floor, and
dlt when the bench extra is installed) and the ratios are printed (no timing assertions: the
speed targets are checked by running the benchmark)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmarks.intake_bench.peers import FLOOR_COLUMNS
from benchmarks.intake_bench.report import ROWS
from pipeline.cli import app
from pipeline.cli.bench_command import NO_BENCHMARKS
from pipeline.cli.errors import ExitCode


def test_a_small_sqlite_benchmark_prints_every_stage_and_the_ratios(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "bench",
            "--records",
            "2000",
            "--db",
            "sqlite",
            "--days",
            "3",
            "--clinics",
            "2",
            "--naive-rows",
            "200",
            "--work-dir",
            str(tmp_path / "work"),
        ],
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    for _, label in ROWS:
        assert f"| {label}" in out
    for ratio in (
        "pipeline / dlt merge load:",
        "pipeline / floor:",
        "pipeline / raw bulk load:",
        "naive / pipeline:",
        "re-run of unchanged",
    ):
        assert ratio in out
    floor = (
        f"floor: sqlite3 executemany, one transaction: {len(FLOOR_COLUMNS)} columns, primary key"
    )
    assert floor in out
    assert "2,000 records" in out
    assert "database sqlite" in out


def test_without_the_benchmarks_package_intake_bench_says_what_it_needs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in [m for m in sys.modules if m == "benchmarks" or m.startswith("benchmarks.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "benchmarks", None)  # as in an installed wheel: no package
    result = CliRunner().invoke(app, ["bench", "--records", "10", "--work-dir", str(tmp_path)])
    assert result.exit_code == ExitCode.ENVIRONMENT
    assert result.stderr.strip() == f"intake: {NO_BENCHMARKS}"
    assert not any(tmp_path.iterdir())  # nothing generated
