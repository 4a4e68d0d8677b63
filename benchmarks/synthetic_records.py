"""Valid intake records as a reader hands them over, made up with numpy and polars in every
spelling the contract accepts: the input of `classify_throughput` (not the product's generator)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Final

import numpy as np
import numpy.typing as npt
import polars as pl

from pipeline.contract.fields import FIELDS, Field, FieldType
from pipeline.validate.batch import RAW_RECORD_SCHEMA

TRUE_SPELLINGS: Final = ("true", "TRUE", "1", "yes")
FALSE_SPELLINGS: Final = ("false", "False", "0", "no")
OFFSET_HOURS: Final = (0, 1, 2, None)
"""How `intake_at` is written: UTC with `Z`, local time at +01:00 or +02:00, no offset."""
OPTIONAL_MISSING_SHARE: Final = 0.1
"""Share of optional fields left empty."""
MAX_DAYS_BEFORE_NOW: Final = 365
MAX_INJURY_DAYS_BEFORE_INTAKE: Final = 120
TEMPERATURE_MEAN_C: Final = 37.0
TEMPERATURE_SPREAD_C: Final = 0.7
NOTES: Final = ("", "twisted the knee playing football", "fell on ice, landed on the knee")
_SECONDS_PER_DAY: Final = 86_400
_SECONDS_PER_HOUR: Final = 3_600


def synthetic_records(count: int, now: datetime, seed: int = 0) -> pl.DataFrame:
    """`count` valid records as text in `RAW_RECORD_SCHEMA`, numbered as CSV lines from 2; the
    raw record is the record as a JSON Lines object."""
    rng = np.random.default_rng(seed)
    columns = {field.name: _values(field, rng, count) for field in FIELDS}
    columns.update(_times(rng, count, now))
    frame = pl.DataFrame(columns)
    missing = {
        field.name: pl.Series(rng.random(count) < OPTIONAL_MISSING_SHARE)
        for field in FIELDS
        if not field.required
    }
    frame = frame.with_columns(
        pl.when(flags).then(None).otherwise(pl.col(name)).alias(name)
        for name, flags in missing.items()
    )
    field_names = [field.name for field in FIELDS]
    return frame.select(
        pl.int_range(2, count + 2, dtype=pl.Int64).alias("line_number"),
        pl.struct(field_names).struct.json_encode().alias("raw_record"),
        *field_names,
        pl.lit(None, RAW_RECORD_SCHEMA["read_reasons"]).alias("read_reasons"),
    )


def _choice(rng: np.random.Generator, options: tuple[str, ...], count: int) -> pl.Series:
    return pl.Series(options, dtype=pl.String).gather(rng.integers(0, len(options), count))


def _identifiers(field: Field, rng: np.random.Generator, count: int) -> pl.Series:
    number = np.arange(count) if field.name == "intake_id" else rng.integers(0, 1000, count)
    prefix = pl.lit(field.name[0].upper())
    return pl.select(pl.concat_str(prefix, pl.Series(number).cast(pl.String))).to_series()


def _booleans(field: Field, rng: np.random.Generator, count: int) -> pl.Series:
    truth = pl.Series(rng.random(count) < 0.5)
    spelled_true = _choice(rng, TRUE_SPELLINGS, count)
    spelled_false = _choice(rng, FALSE_SPELLINGS, count)
    return pl.select(pl.when(truth).then(spelled_true).otherwise(spelled_false)).to_series()


def _integers(field: Field, rng: np.random.Generator, count: int) -> pl.Series:
    low, high = int(field.minimum or 0), int(field.maximum or 0)
    return pl.Series(rng.integers(low, high + 1, count)).cast(pl.String)


def _temperatures(field: Field, rng: np.random.Generator, count: int) -> pl.Series:
    values = rng.normal(TEMPERATURE_MEAN_C, TEMPERATURE_SPREAD_C, count)
    clipped = np.clip(values, field.minimum or 0.0, field.maximum or 0.0)
    return pl.Series(np.round(clipped, 1)).cast(pl.String)


_MAKERS: Final[dict[FieldType, Callable[[Field, np.random.Generator, int], pl.Series]]] = {
    FieldType.ID: _identifiers,
    FieldType.ENUM: lambda f, rng, count: _choice(rng, f.allowed, count),
    FieldType.BOOLEAN: _booleans,
    FieldType.INTEGER: _integers,
    FieldType.DECIMAL: _temperatures,
    FieldType.TEXT: lambda f, rng, count: _choice(rng, NOTES, count),
}


def _values(field: Field, rng: np.random.Generator, count: int) -> pl.Series:
    """Valid text for one field (dates and date-times are made by `_times`)."""
    make = _MAKERS.get(field.type)
    return make(field, rng, count) if make else pl.Series([None] * count, dtype=pl.String)


def _times(rng: np.random.Generator, count: int, now: datetime) -> dict[str, pl.Series]:
    """`intake_at` in the past year written with various offsets, the injury before it and the
    hip pain's onset between the two."""
    now_utc = np.datetime64(now.astimezone(UTC).replace(tzinfo=None), "ms")
    seconds_before = rng.integers(0, MAX_DAYS_BEFORE_NOW * _SECONDS_PER_DAY, count)
    intake = now_utc - seconds_before.astype("timedelta64[s]").astype("timedelta64[ms]")
    offset_choice = rng.integers(0, len(OFFSET_HOURS), count)
    hours = np.array([h or 0 for h in OFFSET_HOURS])[offset_choice]
    suffix = pl.Series([_suffix(h) for h in OFFSET_HOURS]).gather(offset_choice)
    local = intake + (hours * _SECONDS_PER_HOUR).astype("timedelta64[s]").astype("timedelta64[ms]")
    intake_date = intake.astype("datetime64[D]")
    injury_days = rng.integers(0, MAX_INJURY_DAYS_BEFORE_INTAKE, count)
    injury = intake_date - injury_days.astype("timedelta64[D]")
    onset = injury + (injury_days * rng.random(count)).astype(np.int64).astype("timedelta64[D]")
    return {
        "intake_at": pl.Series(local).dt.to_string("%Y-%m-%dT%H:%M:%S") + suffix,
        "injury_date": _dates(injury),
        "hip_pain_onset_date": _dates(onset),
    }


def _suffix(hours: int | None) -> str:
    if hours is None:
        return ""
    return "Z" if hours == 0 else f"+{hours:02d}:00"


def _dates(days: npt.NDArray[np.datetime64]) -> pl.Series:
    return pl.Series(days).dt.to_string("%Y-%m-%d")
