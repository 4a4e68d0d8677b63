"""Validate + classify throughput on records already in memory:
`python -m benchmarks.classify_throughput --records 1000000`."""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

import polars as pl

from benchmarks.synthetic_records import synthetic_records
from pipeline.classify import classify
from pipeline.validate.content_hash import content_hash
from pipeline.validate.rules import validate

DEFAULT_RECORDS: Final = 1_000_000
DEFAULT_REPEATS: Final = 5
TARGET_RECORDS_PER_SECOND: Final = 1_000_000


@dataclass(frozen=True, slots=True)
class Run:
    """One timed run: seconds spent validating and classifying (and, apart, hashing)."""

    validate_seconds: float
    classify_seconds: float
    hash_seconds: float

    @property
    def seconds(self) -> float:
        return self.validate_seconds + self.classify_seconds


def timed_run(records: pl.DataFrame, now: datetime) -> Run:
    """Validate and classify `records` once, timing each step; the content hash the loader
    gives each record when it stages it is timed apart, outside the figure."""
    start = time.perf_counter()
    validated = validate(records, now)
    middle = time.perf_counter()
    classified = classify(validated.valid)
    end = time.perf_counter()
    validated.valid.select(content_hash())
    hashed = time.perf_counter()
    if classified.height != records.height:  # every synthetic record is valid
        msg = f"{records.height - classified.height} synthetic records were not valid"
        raise RuntimeError(msg)
    return Run(middle - start, end - middle, hashed - end)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--records", type=int, default=DEFAULT_RECORDS)
    parser.add_argument("--repeats", type=int, default=DEFAULT_REPEATS)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    now = datetime.now(UTC)
    records = synthetic_records(args.records, now, args.seed)
    timed_run(records.head(1000), now)  # warm up: regex compilation, plugin loading
    runs = [timed_run(records, now) for _ in range(args.repeats)]
    best = min(runs, key=lambda r: r.seconds)
    median = statistics.median(r.seconds for r in runs)
    print(
        f"records: {args.records:,}  runs: {args.repeats}  polars threads: {pl.thread_pool_size()}"
    )
    print(
        f"best run: validate {best.validate_seconds:.3f} s + classify {best.classify_seconds:.3f} s"
    )
    print(
        f"content hash when staging (not in the figure): {best.hash_seconds:.3f} s"
        f" = {args.records / best.hash_seconds:,.0f} records/s"
    )
    for label, seconds in (("best", best.seconds), ("median", median)):
        print(f"{label:>6}: {seconds:.3f} s = {args.records / seconds:,.0f} records/s")
    reached = args.records / best.seconds >= TARGET_RECORDS_PER_SECOND
    print(
        f"target {TARGET_RECORDS_PER_SECOND:,} records/s: {'reached' if reached else 'not reached'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
