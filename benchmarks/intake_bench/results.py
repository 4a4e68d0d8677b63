"""One measurement, as a worker process reports it to the runner (one JSON line)."""

from __future__ import annotations

import json
import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Final

KIB: Final = 1024
FETCH_ROWS: Final = 100_000
"""Rows a reference or peer reads from its source at a time."""


@dataclass(frozen=True, slots=True)
class Measurement:
    """What one task cost: wall seconds of the timed part, rows it handled, and the peak
    resident memory of the (fresh) process that ran it, in bytes."""

    task: str
    seconds: float
    rows: int
    peak_rss_bytes: int
    detail: str = ""

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, line: str) -> Measurement:
        fields = json.loads(line)
        return cls(
            task=str(fields["task"]),
            seconds=float(fields["seconds"]),
            rows=int(fields["rows"]),
            peak_rss_bytes=int(fields["peak_rss_bytes"]),
            detail=str(fields.get("detail", "")),
        )


def peak_rss_bytes(status: Path = Path("/proc/self/status")) -> int:
    """This process's peak resident set size so far: `VmHWM` of /proc/self/status, the
    high-water mark of this process image alone. (`ru_maxrss` would not do: Linux carries it
    over from the forking parent across exec, so every worker would report the runner's.)
    Elsewhere, `ru_maxrss`."""
    try:
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * KIB  # "VmHWM:   123456 kB"
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * KIB


class Stopwatch:
    """Accumulates wall time over the `timed()` blocks only, so a task can leave its own
    set-up (e.g. validating the files it then loads) out of its figure."""

    def __init__(self) -> None:
        self.seconds = 0.0

    @contextmanager
    def timed(self) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds += time.perf_counter() - start


def timed_executemany(watch: Stopwatch, target: Any, insert: str, rows: Any) -> int:
    """Feed a DB-API cursor's `rows` to `target.executemany(insert)` in chunks, timing only the
    inserts; the number of rows fed."""
    fed = 0
    while chunk := rows.fetchmany(FETCH_ROWS):
        with watch.timed():
            target.executemany(insert, chunk)
        fed += len(chunk)
    return fed
