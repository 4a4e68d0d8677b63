"""The benchmark run: generate the records, then measure every stage, the references and the
peers (floor, dlt) in fresh worker processes, in order, on the same rows."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Final

from benchmarks.intake_bench.databases import Databases, open_databases
from benchmarks.intake_bench.report import scale_naive
from benchmarks.intake_bench.results import Measurement
from benchmarks.intake_bench.stages import TaskSpec
from benchmarks.intake_bench.worker import RESULT_PREFIX
from pipeline.cli.bench_command import DatabaseKind
from pipeline.generate import GenerationConfig, OutputFormat, generate

END_DATE: Final = date(2026, 11, 20)
STAGE_TASKS: Final = ("read", "validate_classify", "load", "classify_db", "impact", "aggregate")

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class BenchConfig:
    """One benchmark: how many records, on which database, and how they are generated."""

    records: int
    database: DatabaseKind
    days: int = 30
    clinics: int = 5
    seed: int = 1
    invalid_rate: float = 0.02
    naive_rows: int = 20_000
    postgres_url: str | None = None
    work_dir: Path | None = None


@dataclass(frozen=True, slots=True)
class BenchResult:
    """Every measurement (the naive one already scaled) and how the records were made."""

    config: BenchConfig
    files: int
    generate_seconds: float
    measurements: dict[str, Measurement]
    load_average: tuple[float, float]
    """1-minute load average of the machine before and after the measurements."""


class WorkerError(RuntimeError):
    """A benchmark task failed in its worker process."""


def run_task(task: str, spec: TaskSpec) -> Measurement:
    """Run `task` in a fresh Python process and return its measurement. The disks are
    synced first (not timed), so a task is not billed for writing back what the one before
    left in the page cache (gigabytes after a load: it would stall every fsync)."""
    os.sync()
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.intake_bench.worker",
            task,
            json.dumps(dataclasses.asdict(spec)),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    results = [
        line.removeprefix(RESULT_PREFIX)
        for line in completed.stdout.splitlines()
        if line.startswith(RESULT_PREFIX)
    ]
    if completed.returncode != 0 or not results:
        raise WorkerError(
            f"task {task} failed ({completed.returncode}):\n{completed.stderr[-3000:]}"
        )
    return Measurement.from_json(results[-1])


def run_benchmark(config: BenchConfig, progress: Progress = lambda _: None) -> BenchResult:
    """Generate `config.records` records and measure everything on them."""
    work = config.work_dir or Path(tempfile.mkdtemp(prefix="intake-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    landing = work / "landing"
    try:
        progress(f"generating {config.records:,} records into {landing}")
        started = time.perf_counter()
        summary = generate(
            GenerationConfig(
                records=config.records,
                days=config.days,
                end_date=END_DATE,
                clinics=config.clinics,
                seed=config.seed,
                output_format=OutputFormat.CSV,
                invalid_rate=config.invalid_rate,
                out_dir=landing,
                replace_existing=True,
            )
        )
        generate_seconds = time.perf_counter() - started
        load_before = os.getloadavg()[0]
        with open_databases(config.database, work, config.postgres_url) as databases:
            measured = _measure(config, databases, landing, work, progress)
        return BenchResult(
            config=config,
            files=summary.files,
            generate_seconds=generate_seconds,
            measurements=measured,
            load_average=(load_before, os.getloadavg()[0]),
        )
    finally:
        if config.work_dir is None:
            shutil.rmtree(work, ignore_errors=True)


def _measure(
    config: BenchConfig, databases: Databases, landing: Path, work: Path, progress: Progress
) -> dict[str, Measurement]:
    measured: dict[str, Measurement] = {}

    def task(name: str, spec: TaskSpec) -> None:
        progress(f"measuring {name}")
        measured[name] = run_task(name, spec)

    stages_spec = TaskSpec(str(landing), databases.fresh("bench_stages"), str(work))
    for name in STAGE_TASKS:
        task(name, stages_spec)
    databases.discard(stages_spec.database_url)
    pipeline_spec = TaskSpec(str(landing), databases.fresh("bench_pipeline"), str(work))
    task("pipeline", pipeline_spec)
    task("rerun", pipeline_spec)
    source = pipeline_spec.database_url
    naive_spec = TaskSpec(
        str(landing), databases.fresh("bench_naive"), str(work), source, config.naive_rows
    )
    task("naive", naive_spec)
    databases.discard(naive_spec.database_url)
    dump_spec = TaskSpec(str(landing), source, str(work), source)
    if config.database is DatabaseKind.POSTGRES:
        run_task("raw_dump", dump_spec)  # then the pipeline's database can go
        databases.discard(source)
    floor_spec = TaskSpec(str(landing), databases.fresh_empty("bench_floor"), str(work), source)
    task("floor", floor_spec)
    databases.discard(floor_spec.database_url)
    raw_spec = TaskSpec(str(landing), databases.fresh("bench_raw"), str(work), source)
    task("raw_load", raw_spec)
    databases.discard(raw_spec.database_url)
    databases.discard(source)
    dlt_spec = TaskSpec(str(landing), databases.fresh_empty("bench_dlt"), str(work))
    task("dlt", dlt_spec)
    databases.discard(dlt_spec.database_url)
    measured["naive"] = scale_naive(measured["naive"], measured["raw_load"].rows)
    return measured
