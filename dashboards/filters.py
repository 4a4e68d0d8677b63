"""The filters every page shares: a period and the clinics, knee injuries, age bands and sexes to
include (an empty selection means all). Pure values and functions; dashboards.sidebar draws them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dashboards.settings import DEFAULT_PERIOD_WEEKS

DAYS_PER_WEEK = 7


@dataclass(frozen=True, slots=True)
class Filters:
    """What the pages show: intake days `start` to `end` (inclusive) and, for each
    dimension, the values to include (empty: all)."""

    start: dt.date
    end: dt.date
    clinics: tuple[str, ...] = ()
    knee_injuries: tuple[str, ...] = ()
    age_bands: tuple[str, ...] = ()
    sexes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")

    @property
    def days(self) -> int:
        """Length of the period in days."""
        return (self.end - self.start).days + 1

    @property
    def previous_start(self) -> dt.date:
        """First day of the previous period: as long as this one, ending the day before."""
        return self.start - dt.timedelta(days=self.days)

    def as_record(self) -> dict[str, Any]:
        """The filters as JSON for the audit record."""
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "clinics": list(self.clinics),
            "knee_injuries": list(self.knee_injuries),
            "age_bands": list(self.age_bands),
            "sexes": list(self.sexes),
        }

    def describe(self) -> str:
        """One line for a caption: the period and whatever is narrowed down."""
        parts = [f"{self.start:%d %b %Y} to {self.end:%d %b %Y} ({self.days} days)"]
        for label, chosen in (
            ("clinics", self.clinics),
            ("knee injury", self.knee_injuries),
            ("age", self.age_bands),
            ("sex", self.sexes),
        ):
            if chosen:
                parts.append(f"{label}: {', '.join(label_of(v) for v in chosen)}")
        return "; ".join(parts)


def label_of(value: str) -> str:
    """A contract value as people read it: `meniscal_tear` -> "Meniscal tear"."""
    return value.replace("_", " ").capitalize()


def default_period(latest: dt.date, weeks: int = DEFAULT_PERIOD_WEEKS) -> tuple[dt.date, dt.date]:
    """The `weeks` weeks up to and including `latest`."""
    return latest - dt.timedelta(days=weeks * DAYS_PER_WEEK - 1), latest


def clamp_period(
    period: tuple[dt.date, dt.date], earliest: dt.date, latest: dt.date
) -> tuple[dt.date, dt.date]:
    """`period` moved inside `earliest`..`latest` (both ends), keeping start <= end."""
    start = min(max(period[0], earliest), latest)
    end = min(max(period[1], start), latest)
    return start, end


def period_to_hold(
    value: Sequence[dt.date] | dt.date | None,
    fallback: tuple[dt.date, dt.date],
    earliest: dt.date,
    latest: dt.date,
) -> tuple[dt.date, dt.date] | None:
    """What the period widget should hold before it is drawn: `fallback` at first, a full
    range moved inside the data's days; None (leave it) while someone has picked only the
    first day of a range, so the picker waits for the second."""
    if value is None:
        return fallback
    if isinstance(value, dt.date) or len(value) != 2:
        return None
    return clamp_period((value[0], value[1]), earliest, latest)


def period_from_widget(
    value: Sequence[dt.date] | dt.date | None, fallback: tuple[dt.date, dt.date]
) -> tuple[dt.date, dt.date]:
    """The period a date-range widget holds: while only the first day is picked, that day
    alone; with nothing picked, `fallback`."""
    if isinstance(value, dt.date):
        return value, value
    chosen = [d for d in (value or ()) if d is not None]
    if not chosen:
        return fallback
    return min(chosen), max(chosen)
