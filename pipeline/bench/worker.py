"""Run one benchmark task in this (fresh) process and print its measurement:

    python -m pipeline.bench.worker TASK SPEC_JSON

The last line printed is `RESULT_PREFIX` followed by the measurement as JSON; its peak memory
is this process's own peak resident set (`ru_maxrss`), interpreter and libraries included.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from typing import Final

from pipeline.bench import peers, references, stages
from pipeline.bench.results import Measurement, peak_rss_bytes
from pipeline.bench.stages import TaskSpec, Timed

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
