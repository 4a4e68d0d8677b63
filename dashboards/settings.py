"""The dashboard's tunables, in one place: cache lifetimes, page sizes, sign-in limits; the
values a deployment may change come from `pipeline.settings` when used, not at import."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from pipeline import settings

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
class SignInLimits:
    """How many failed sign-ins within `window` lock a user name, or a client address, for
    `lockout` (NIST SP 800-63B 5.2.2 allows at most 100 per account)."""

    per_username: int
    per_address: int
    window: dt.timedelta
    lockout: dt.timedelta


SIGN_IN_WINDOW: Final = dt.timedelta(minutes=15)


def sign_in_limits() -> SignInLimits:
    """The limits in force: DASHBOARD_LOCKOUT_USERNAME_FAILURES,
    DASHBOARD_LOCKOUT_ADDRESS_FAILURES and DASHBOARD_LOCKOUT_SECONDS (10, 30, 15 minutes)."""
    configured = settings.current()
    return SignInLimits(
        per_username=configured.lockout_username_failures,
        per_address=configured.lockout_address_failures,
        window=SIGN_IN_WINDOW,
        lockout=dt.timedelta(seconds=configured.lockout_seconds),
    )
