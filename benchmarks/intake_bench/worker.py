"""Run one benchmark task in this fresh process and print its measurement (peak memory is this
process's own): `python -m benchmarks.intake_bench.worker TASK SPEC_JSON`."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from typing import Final

from benchmarks.intake_bench import peers, references, stages
from benchmarks.intake_bench.results import Measurement, peak_rss_bytes
from benchmarks.intake_bench.stages import TaskSpec, Timed

RESULT_PREFIX: Final = "BENCH-RESULT "
TASKS: Final[dict[str, Callable[[TaskSpec], Timed]]] = {
    "read": stages.read_files,
    "validate_classify": stages.validate_and_classify,
    "load": stages.load,
    "classify_db": stages.classify_in_database,
    "impact": stages.impact_report,
    "aggregate": stages.aggregate,
    "pipeline": stages.whole_pipeline,
    "rerun": stages.whole_pipeline,
    "raw_dump": references.dump_for_reference,
    "raw_load": references.raw_bulk_load,
    "naive": references.naive_orm,
    "floor": peers.floor,
    "dlt": peers.dlt_merge_load,
}


def main(argv: Sequence[str] | None = None) -> int:
    task, spec_json = argv if argv is not None else sys.argv[1:]
    timed = TASKS[task](TaskSpec(**json.loads(spec_json)))
    measurement = Measurement(task, timed.seconds, timed.rows, peak_rss_bytes(), timed.detail)
    print(RESULT_PREFIX + measurement.to_json(), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
