"""The small-cell rule public health data uses: a count from 1 to 10 is shown as "<11" to viewers
and in every aggregate export, and a share or change resting on one is not shown, so no one can
be singled out. Administrators see exact counts on screen."""

from __future__ import annotations

from typing import Final

SMALL_CELL_MAX: Final = 10
"""Counts from 1 to this are small cells."""
SUPPRESSED: Final = f"<{SMALL_CELL_MAX + 1}"
"""What a small cell shows instead of its count."""
NO_EARLIER_DATA: Final = "no earlier data"
"""The change shown when the earlier period has no cases: a difference from nothing is no
trend (not "+5,842")."""
NOT_SHOWN: Final = "\u2013"
"""What a share or change shows when it rests on a small cell or on nothing: an en dash."""


def is_small(count: int) -> bool:
    """True for a count that must not be shown exactly (1 to SMALL_CELL_MAX)."""
    return 1 <= count <= SMALL_CELL_MAX  # zero identifies no one: shown as zero


def count_text(count: int, *, exact: bool) -> str:
    """A count as shown: exact for administrators, "<11" for a small cell otherwise."""
    if not exact and is_small(count):
        return SUPPRESSED
    return f"{count:,}"


def share(part: int, whole: int, *, exact: bool) -> float | None:
    """`part` as a percentage of `whole`, or None when there is no whole, or (unless exact)
    when either count is a small cell."""
    if whole <= 0:
        return None
    if not exact and (is_small(part) or is_small(whole)):
        return None
    return 100.0 * part / whole


def share_text(part: int, whole: int, *, exact: bool) -> str:
    """A share as shown: "41.2%", or NOT_SHOWN where `share` gives none."""
    value = share(part, whole, exact=exact)
    return NOT_SHOWN if value is None else f"{value:.1f}%"


def change_text(current: int, previous: int, *, exact: bool) -> str | None:
    """The change from `previous` to `current` ("+12 (+5.3%)"), NO_EARLIER_DATA when the
    earlier period has no cases, or None when either count is a small cell and the change
    would give it away (unless exact)."""
    if not exact and (is_small(current) or is_small(previous)):
        return None
    difference = current - previous
    if previous == 0:
        return NO_EARLIER_DATA
    return f"{difference:+,} ({100.0 * difference / previous:+.1f}%)"
