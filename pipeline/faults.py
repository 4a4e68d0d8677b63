"""Fault injection: kill the process at a named point (`INTAKE_FAULT_POINT=point[@n]`), to prove
a crash loses nothing; inert when the variable is unset (docs/operations.md)."""

from __future__ import annotations

import os
import signal
from collections import Counter
from typing import Final

from pipeline import settings

FAULT_POINT_ENV: Final = "INTAKE_FAULT_POINT"

# At the end of each stage's transactions (`before_commit`: the work done, not committed), one
# a day except aggregation's single transaction for the run's days; right after a day's load has
# committed; and in the alerts between sending a clinic's message and recording it.
POINTS: Final = (
    "register:before_commit",
    "load:before_commit",
    "load:after_commit",
    "aggregate:before_commit",
    "alerts:after_send",
)
"""Every point the pipeline can be killed at."""

_reached: Counter[str] = Counter()


def fault_point(name: str) -> None:
    """Kill this process now if `INTAKE_FAULT_POINT` names `name` (and this is the n-th time
    it is reached, for `name@n`); otherwise do nothing."""
    if name not in POINTS:
        msg = f"unknown fault point {name!r}; the points are {', '.join(POINTS)}"
        raise ValueError(msg)
    wanted = settings.current().fault_point
    if not wanted:
        return
    point, _, nth = wanted.partition("@")
    if point != name:
        return
    _reached[name] += 1
    if _reached[name] == int(nth or 1):
        # SIGKILL, as the OOM killer or a power cut would: no cleanup, no rollback by the
        # program, no `finally`.
        os.kill(os.getpid(), signal.SIGKILL)
