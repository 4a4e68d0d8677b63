"""`intake bench` end to end on a small run: every stage, the references, the peers (floor, and
dlt when the bench extra is installed) and the ratios are printed (no timing assertions: the
speed targets are checked by running the benchmark)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from pipeline.bench.peers import FLOOR_COLUMNS
from pipeline.bench.report import ROWS
from pipeline.cli import app


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
