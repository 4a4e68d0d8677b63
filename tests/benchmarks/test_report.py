"""The benchmark's pure parts: scaling the naive slice, the ratios, the printed table."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.intake_bench.report import ROWS, Ratios, format_table, scale_naive
from benchmarks.intake_bench.results import Measurement, Stopwatch, peak_rss_bytes

MIB = 1024 * 1024


def _m(task: str, seconds: float, rows: int = 1000, peak_mib: int = 100) -> Measurement:
    return Measurement(task, seconds, rows, peak_mib * MIB)


def _all(**seconds: float) -> dict[str, Measurement]:
    defaults = dict.fromkeys((task for task, _ in ROWS), 1.0)
    return {task: _m(task, s) for task, s in {**defaults, **seconds}.items()}


def test_the_naive_slice_scales_linearly_and_keeps_its_measured_memory() -> None:
    scaled = scale_naive(_m("naive", 2.0, rows=20_000, peak_mib=300), total_rows=1_000_000)
    assert scaled.seconds == pytest.approx(100.0)
    assert scaled.rows == 1_000_000
    assert scaled.peak_rss_bytes == 300 * MIB
    assert "x50.0" in scaled.detail


def test_an_empty_naive_slice_cannot_be_scaled() -> None:
    with pytest.raises(ValueError, match="no rows"):
        scale_naive(_m("naive", 1.0, rows=0), total_rows=10)


def test_ratios_are_the_pipeline_over_each_peer_naive_over_pipeline_and_rerun_share() -> None:
    ratios = Ratios.of(
        _all(pipeline=30.0, raw_load=20.0, naive=900.0, rerun=0.6, floor=10.0, dlt=40.0)
    )
    assert ratios.pipeline_over_raw == pytest.approx(1.5)
    assert ratios.naive_over_pipeline == pytest.approx(30.0)
    assert ratios.rerun_share == pytest.approx(0.02)
    assert ratios.pipeline_over_floor == pytest.approx(3.0)
    assert ratios.pipeline_over_dlt == pytest.approx(0.75)


def test_a_peer_not_measured_is_said_so_not_met_or_missed() -> None:
    measured = _all(pipeline=30.0, dlt=0.0)
    del measured["floor"]
    lines = Ratios.of(measured).lines()
    assert "pipeline / dlt merge load: not measured  (target <= 1.0x)" in lines
    assert "pipeline / floor: not measured  (target <= 3.0x)" in lines


def test_peak_memory_is_the_largest_pipeline_stage_not_a_reference() -> None:
    measured = _all()
    measured["load"] = _m("load", 1.0, peak_mib=900)
    measured["naive"] = _m("naive", 1.0, peak_mib=5000)
    measured["dlt"] = _m("dlt", 1.0, peak_mib=5000)
    assert Ratios.of(measured).peak_bytes == 900 * MIB


@pytest.mark.parametrize(
    ("database", "floor_ratio", "naive_ratio", "missed"),
    [
        ("sqlite", 3.0, 8.0, 0),
        ("sqlite", 3.1, 7.9, 2),
        ("postgres", 6.0, 12.0, 0),
        ("postgres", 6.1, 11.9, 2),
    ],
)
def test_each_target_says_met_or_not_met_with_the_databases_own_targets(
    database: str, floor_ratio: float, naive_ratio: float, missed: int
) -> None:
    ratios = Ratios(
        pipeline_over_raw=1.5,
        naive_over_pipeline=naive_ratio,
        rerun_share=0.05,
        peak_bytes=MIB,
        pipeline_over_dlt=1.0,
        pipeline_over_floor=floor_ratio,
        database=database,
    )
    assert sum("NOT met" in line for line in ratios.lines()) == missed
    assert all("met" in line for line in ratios.lines())
    worse = Ratios(
        pipeline_over_raw=2.0,
        naive_over_pipeline=5,
        rerun_share=0.2,
        peak_bytes=2000 * MIB,
        pipeline_over_dlt=1.1,
        pipeline_over_floor=9.0,
        database=database,
    )
    assert sum("NOT met" in line for line in worse.lines()) == 6


def test_the_impact_report_is_measured_against_classifying_in_the_database() -> None:
    ratios = Ratios.of(_all(classify_db=10.0, impact=8.0))
    assert ratios.impact_over_classify == pytest.approx(0.8)
    assert any(
        "rules impact report / reclassify from database: 0.80x" in line for line in ratios.lines()
    )
    slower = Ratios.of(_all(classify_db=10.0, impact=12.0)).lines()
    assert any(line.startswith("rules impact report") and "NOT met" in line for line in slower)
    labels = [label for _, label in ROWS]
    assert labels.index("rules impact report") == labels.index("reclassify from database") + 1


def test_the_table_has_a_row_per_stage_in_order_with_rows_per_second() -> None:
    lines = format_table(_all(read=0.5))
    assert len(lines) == 2 + len(ROWS)
    labels = [line.split("|")[1].strip() for line in lines[2:]]
    assert labels == [label for _, label in ROWS]
    read_row = [cell.strip() for cell in lines[2].split("|")[1:-1]]
    assert read_row == ["read files", "0.50", "1,000", "2,000", "100"]
    assert len({len(line) for line in lines}) == 1  # aligned


def test_a_measurement_survives_its_json_line() -> None:
    measurement = Measurement("load", 1.25, 10, 5 * MIB, "staged")
    assert Measurement.from_json(measurement.to_json()) == measurement


def test_the_stopwatch_counts_only_its_timed_blocks() -> None:
    watch = Stopwatch()
    with watch.timed():
        pass
    first = watch.seconds
    with watch.timed():
        sum(range(1000))
    assert 0 <= first <= watch.seconds


def test_peak_memory_is_read_from_the_process_high_water_mark(tmp_path: Path) -> None:
    status = tmp_path / "status"
    status.write_text("Name:\tpython\nVmPeak:\t  900000 kB\nVmHWM:\t  204800 kB\nVmRSS:\t 1 kB\n")
    assert peak_rss_bytes(status) == 200 * MIB
    assert peak_rss_bytes() > 0
