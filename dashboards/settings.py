"""The dashboard's tunables, in one place: cache lifetimes, page sizes, sign-in throttling.

Values that a deployment (or a test) may change are read from the environment when used, not
at import, so they can be changed without restarting the Python process.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Final

CACHE_TTL: Final = dt.timedelta(minutes=5)
"""How long a loaded aggregate is reused: the pipeline refreshes data daily, so five minutes
old is fresh, and a filter someone else just used is answered from memory."""
AUDIT_TTL: Final = dt.timedelta(seconds=15)
"""The audit log is reread more often, so an administrator sees recent events."""
HEALTH_TTL: Final = dt.timedelta(seconds=15)
"""How long the database's state (reachable, migrated, has cases) is trusted."""
CACHE_MAX_ENTRIES: Final = 512
"""Per loader: filter combinations kept in memory at most."""

DEFAULT_PERIOD_WEEKS: Final = 12
"""The period shown before anyone picks one: the 12 weeks up to the latest intake day."""
WORKLIST_PAGE_SIZE: Final = 25
EXPORT_ROW_LIMIT: Final = 10_000
"""The most cases a worklist export holds; the page says when the filters match more."""
AUDIT_PAGE_SIZE: Final = 50
QUARANTINE_EXAMPLES: Final = 3
"""Examples shown for each quarantine reason."""
RECENT_FILES: Final = 20
RECENT_RUNS: Final = 10

POSTGRES_CONNECT_TIMEOUT_S: Final = 5
"""An unreachable PostgreSQL server is reported after this long, not after minutes."""


@dataclass(frozen=True, slots=True)
class SignInThrottle:
    """How repeated failed sign-ins slow down: the n-th consecutive failure within `window`
    makes the next attempt wait `base_seconds * 2**(n-1)`, at most `max_seconds`."""

    base_seconds: float
    max_seconds: float
    window: dt.timedelta


DEFAULT_THROTTLE: Final = SignInThrottle(
    base_seconds=0.5, max_seconds=8.0, window=dt.timedelta(minutes=15)
)


def sign_in_throttle() -> SignInThrottle:
    """The throttle in force: DASHBOARD_SIGN_IN_DELAY_BASE and DASHBOARD_SIGN_IN_DELAY_MAX
    (seconds) override the defaults; 0 turns the delay off (for tests)."""
    base = os.environ.get("DASHBOARD_SIGN_IN_DELAY_BASE")
    cap = os.environ.get("DASHBOARD_SIGN_IN_DELAY_MAX")
    return SignInThrottle(
        base_seconds=DEFAULT_THROTTLE.base_seconds if base is None else float(base),
        max_seconds=DEFAULT_THROTTLE.max_seconds if cap is None else float(cap),
        window=DEFAULT_THROTTLE.window,
    )
