"""The benchmark's printed report: the table of stages and references, and the ratios the
targets are stated in. Pure functions of the measurements."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from benchmarks.intake_bench.results import Measurement

MIB: Final = 1024 * 1024

ROWS: Final[tuple[tuple[str, str], ...]] = (
    ("read", "read files"),
    ("validate_classify", "validate + classify"),
    ("load", "load (+ classify in memory)"),
    ("classify_db", "reclassify from database"),
    ("impact", "rules impact report"),
    ("aggregate", "aggregate"),
    ("pipeline", "whole pipeline (Dagster)"),
    ("rerun", "re-run, files unchanged"),
    ("raw_load", "raw bulk load (driver)"),
    ("naive", "naive ORM (scaled)"),
    ("floor", "floor: contract columns once, PK only"),
    ("dlt", "dlt merge load (text, no checks)"),
)
"""Task name → label, in the order the table prints them."""

TARGET_PIPELINE_OVER_RAW: Final = 1.5
TARGET_PIPELINE_OVER_DLT: Final = 1.0
TARGET_PIPELINE_OVER_FLOOR: Final = {"sqlite": 3.0, "postgres": 6.0}
TARGET_NAIVE_OVER_PIPELINE: Final = {"sqlite": 8.0, "postgres": 12.0}
TARGET_RERUN_SHARE: Final = 0.05
TARGET_PEAK_BYTES: Final = 1536 * MIB
TARGET_IMPACT_OVER_CLASSIFY: Final = 1.0
"""The rules impact report over every case takes no longer than reclassifying them."""
PIPELINE_TASKS: Final = (
    "read",
    "validate_classify",
    "load",
    "classify_db",
    "aggregate",
    "pipeline",
)


def scale_naive(slice_measurement: Measurement, total_rows: int) -> Measurement:
    """The naive approach's time for `total_rows`, scaled linearly from its slice. Peak memory
    stays what the slice measured (it would grow with the rows too)."""
    if slice_measurement.rows <= 0:
        raise ValueError("the naive slice loaded no rows")
    factor = total_rows / slice_measurement.rows
    return Measurement(
        task=slice_measurement.task,
        seconds=slice_measurement.seconds * factor,
        rows=total_rows,
        peak_rss_bytes=slice_measurement.peak_rss_bytes,
        detail=(
            f"measured {slice_measurement.seconds:.2f} s on {slice_measurement.rows:,} rows, "
            f"x{factor:,.1f}; memory as measured on the slice"
        ),
    )


def _over(measured: Mapping[str, Measurement], task: str) -> float | None:
    """The whole pipeline's time over `task`'s, or None when it was not measured."""
    other = measured.get(task)
    if other is None or other.seconds <= 0:
        return None
    return measured["pipeline"].seconds / other.seconds


@dataclass(frozen=True, slots=True)
class Ratios:
    """The figures the targets are stated in, and the database they are for."""

    pipeline_over_raw: float
    naive_over_pipeline: float
    rerun_share: float
    peak_bytes: int
    pipeline_over_dlt: float | None = None
    pipeline_over_floor: float | None = None
    database: str = "sqlite"
    impact_over_classify: float | None = None
    """Rules impact report / reclassify from database, when both were measured."""

    @classmethod
    def of(cls, measured: Mapping[str, Measurement], database: str = "sqlite") -> Ratios:
        pipeline = measured["pipeline"].seconds
        return cls(
            pipeline_over_raw=pipeline / measured["raw_load"].seconds,
            naive_over_pipeline=measured["naive"].seconds / pipeline,
            rerun_share=measured["rerun"].seconds / pipeline,
            peak_bytes=max(measured[t].peak_rss_bytes for t in PIPELINE_TASKS if t in measured),
            pipeline_over_dlt=_over(measured, "dlt"),
            pipeline_over_floor=_over(measured, "floor"),
            database=database,
            impact_over_classify=(
                measured["impact"].seconds / measured["classify_db"].seconds
                if "impact" in measured and "classify_db" in measured
                else None
            ),
        )

    def lines(self) -> list[str]:
        def verdict(met: bool) -> str:
            return "met" if met else "NOT met"

        def at_most(label: str, ratio: float | None, target: float) -> str:
            if ratio is None:
                return f"{label}: not measured  (target <= {target}x)"
            return f"{label}: {ratio:.2f}x  (target <= {target}x: {verdict(ratio <= target)})"

        floor_target = TARGET_PIPELINE_OVER_FLOOR[self.database]
        naive_target = TARGET_NAIVE_OVER_PIPELINE[self.database]
        return [
            at_most("pipeline / dlt merge load", self.pipeline_over_dlt, TARGET_PIPELINE_OVER_DLT),
            at_most("pipeline / floor", self.pipeline_over_floor, floor_target),
            at_most("pipeline / raw bulk load", self.pipeline_over_raw, TARGET_PIPELINE_OVER_RAW),
            f"naive / pipeline: {self.naive_over_pipeline:.1f}x"
            f"  (target >= {naive_target:.0f}x: "
            f"{verdict(self.naive_over_pipeline >= naive_target)})",
            f"re-run of unchanged files / first run: {self.rerun_share:.1%}"
            f"  (target <= {TARGET_RERUN_SHARE:.0%}: "
            f"{verdict(self.rerun_share <= TARGET_RERUN_SHARE)})",
            f"peak memory of a pipeline stage: {self.peak_bytes / MIB:,.0f} MiB"
            f"  (target <= {TARGET_PEAK_BYTES / MIB:,.0f} MiB: "
            f"{verdict(self.peak_bytes <= TARGET_PEAK_BYTES)})",
            *(
                [
                    f"rules impact report / reclassify from database: "
                    f"{self.impact_over_classify:.2f}x"
                    f"  (target <= {TARGET_IMPACT_OVER_CLASSIFY:.0f}x: "
                    f"{verdict(self.impact_over_classify <= TARGET_IMPACT_OVER_CLASSIFY)})"
                ]
                if self.impact_over_classify is not None
                else []
            ),
        ]


def format_table(measured: Mapping[str, Measurement]) -> list[str]:
    """The stages and references as an aligned text table (markdown-compatible)."""
    header = ("stage", "seconds", "rows", "rows/s", "peak MiB")
    body: list[Sequence[str]] = [
        (
            label,
            f"{m.seconds:,.2f}",
            f"{m.rows:,}",
            f"{m.rows_per_second:,.0f}",
            f"{m.peak_rss_bytes / MIB:,.0f}",
        )
        for task, label in ROWS
        if (m := measured.get(task)) is not None
    ]
    widths = [max(len(row[i]) for row in (header, *body)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        padded = [
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "| " + " | ".join(padded) + " |"

    rule = (
        "|"
        + "|".join("-" * (w + 2) if i == 0 else "-" * (w + 1) + ":" for i, w in enumerate(widths))
        + "|"
    )
    return [line(header), rule, *(line(row) for row in body)]
