"""Simulate the original records of one chunk as a typed frame in machine form (enum indexes,
days and seconds since 1970, tenths of a degree; null: not given), before anything is text."""

from __future__ import annotations

from typing import Final

import numpy as np
import polars as pl

from pipeline.contract import FIELDS
from pipeline.generate import clinic_parameters as cp
from pipeline.generate import columns as col
from pipeline.generate import messiness as m
from pipeline.generate.clinics import mechanism_shares, presentation_shares
from pipeline.generate.config import OutputFormat
from pipeline.generate.course import draw_course
from pipeline.generate.findings import draw_findings, draw_missing
from pipeline.generate.notes import draw_notes
from pipeline.generate.patients import draw_patients
from pipeline.generate.plan import Chunk, RunPlan
from pipeline.generate.render import PLAIN_BOOLEANS
from pipeline.generate.sampling import BoolArray, FloatArray, IntArray, chance, choose

PATIENT_REF_DIGITS: Final = 10
"""A patient reference is `PT` and this many digits: pseudonymous, no meaning in it."""
INTAKE_SEQUENCE_DIGITS: Final = 5
"""An intake id is `{clinic_id}-{YYYYMMDD}-{sequence}`, the sequence at least this wide."""


def simulate_originals(
    rng: np.random.Generator, plan: RunPlan, chunk: Chunk, output_format: OutputFormat
) -> pl.DataFrame:
    """The chunk's original records in file order, typed, with the working columns."""
    files = plan.files
    run_index = np.arange(chunk.first_original, chunk.end_original, dtype=np.int64)
    file = np.searchsorted(files.first_original, run_index, side="right") - 1
    position = run_index - files.first_original[file]
    day, clinic, in_file = files.day[file], files.clinic[file], files.originals[file]
    size = len(run_index)

    first_file = int(file[0])
    file_shares = presentation_shares(
        mechanism_shares(plan.clinics, files.clinic[first_file:], files.day[first_file:])
    )
    local_seconds = local_intake_seconds(rng, day, position, in_file)
    utc_offset = np.array([c.utc_offset_minutes for c in plan.clinics], dtype=np.int64)[clinic]
    seconds = local_seconds - utc_offset * 60
    offset = choose(rng, m.INTAKE_AT_STYLE_SHARES, size)
    # Every day-based date is drawn against the date of intake as written (the contract's).
    intake_day = written_day(local_seconds, utc_offset, (offset == m.LOCAL_TIME).astype(np.int64))
    patients = draw_patients(rng, file_shares[file - first_file])
    findings = draw_findings(rng, patients.presentation, patients.knee_injury)
    course = draw_course(
        rng,
        patients.presentation,
        patients.knee_injury,
        findings.present["antalgic_gait"],
        intake_day,
    )
    notes = draw_notes(rng, findings)
    missing = draw_missing(rng, course)
    patient_number = rng.integers(0, 10**PATIENT_REF_DIGITS, size)
    spelling = choose(rng, m.CSV_BOOLEAN_SPELLING_SHARES, size)
    omit_empty = chance(rng, m.JSONL_OMITS_EMPTY_FIELDS_SHARE, size)
    if output_format is OutputFormat.JSONL:
        spelling[:] = PLAIN_BOOLEANS  # JSON has its own booleans

    values: dict[str, IntArray | BoolArray] = {
        "age_years": patients.age_years,
        "sex": patients.sex,
        "knee_injury": patients.knee_injury,
        "knee_side": patients.knee_side,
        "injury_date": course.injury_day,
        "hip_pain_side": patients.hip_pain_side,
        "hip_pain_onset_date": course.hip_pain_onset_day,
        "pain_score": course.pain_score,
        "pain_trend": course.pain_trend,
        "weight_bearing": course.weight_bearing,
        "temperature_c": course.temperature_tenths,
        "fever_reported": course.fever_reported,
        "rest_tried": course.rest_tried,
        **findings.present,
        **findings.value_index,
    }
    clinic_ids = pl.Series([c.clinic_id for c in plan.clinics], dtype=pl.String)
    identifiers = _identifiers(clinic_ids.gather(clinic), day, position, patient_number)
    frame = pl.DataFrame(
        {
            **identifiers,
            "intake_at": seconds,
            "notes": notes.scatter(np.flatnonzero(missing["notes"]), None),
            **{
                name: _with_missing(name, array, missing.get(name))
                for name, array in values.items()
            },
        }
    ).select(f.name for f in FIELDS)
    return frame.with_columns(
        pl.Series(col.FILE, file),
        pl.Series(col.LINE_ORDER, files.resends[file] + position),
        pl.Series(col.RUN_INDEX, run_index),
        pl.Series(col.PRESENTATION, patients.presentation.astype(np.int8)),
        pl.Series(col.INTAKE_SECONDS, seconds),
        pl.Series(col.INTAKE_DAY, intake_day),
        pl.Series(col.INTAKE_OFFSET, offset.astype(np.int8)),
        pl.Series(col.UTC_OFFSET, utc_offset),
        pl.Series(col.BOOLEAN_SPELLING, spelling.astype(np.int8)),
        pl.Series(col.OMIT_EMPTY, omit_empty),
        pl.Series(col.RESENT_LATER, np.isin(run_index, plan.resent_originals)),
        pl.Series(col.LAST_IN_FILE, position == in_file - 1),
    )


def _identifiers(
    clinic_id: pl.Series, day: IntArray, position: IntArray, patient_number: IntArray
) -> dict[str, pl.Series]:
    """`intake_id` (`{clinic_id}-{YYYYMMDD}-{sequence}`), `clinic_id` and `patient_ref`."""
    frame = pl.DataFrame(
        {
            "clinic_id": clinic_id,
            "day": pl.Series(day).cast(pl.Int32).cast(pl.Date),
            "sequence": position + 1,
            "number": patient_number,
        }
    ).select(
        pl.concat_str(
            pl.col("clinic_id"),
            pl.lit("-"),
            pl.col("day").dt.strftime("%Y%m%d"),
            pl.lit("-"),
            pl.col("sequence").cast(pl.String).str.zfill(INTAKE_SEQUENCE_DIGITS),
        ).alias("intake_id"),
        pl.col("clinic_id"),
        (pl.lit("PT") + pl.col("number").cast(pl.String).str.zfill(PATIENT_REF_DIGITS)).alias(
            "patient_ref"
        ),
    )
    return {name: frame[name] for name in frame.columns}


def _with_missing(name: str, values: IntArray | BoolArray, missing: BoolArray | None) -> pl.Series:
    """A column of `values` with nulls where the field is not given."""
    if missing is None:
        return pl.Series(name, values)
    return pl.Series(name, np.ma.masked_array(values, missing))


# When in the clinic's day each patient is taken in, and how that time is written.
SECONDS_PER_DAY: Final = 86_400
SECONDS_PER_HOUR: Final = 3_600
_VOLUME: Final[FloatArray] = np.array(cp.HOURLY_VOLUME, dtype=np.float64)
_OPEN_HOURS: Final[IntArray] = np.flatnonzero(_VOLUME > 0).astype(np.int64)
"""The local hours in which anyone is taken in (in order)."""
_ARRIVAL_CDF: Final[FloatArray] = np.concatenate(
    ([0.0], np.cumsum(_VOLUME[_OPEN_HOURS]) / _VOLUME[_OPEN_HOURS].sum())
)


def local_intake_seconds(
    rng: np.random.Generator, day: IntArray, position: IntArray, records_in_file: IntArray
) -> IntArray:
    """Intake time of each record on the clinic's local clock, in seconds since 1970-01-01
    (local midnight of `day` is `day * 86400`), in file order.

    The i-th of n records in a clinic's day falls in the i-th of n equal slices of that day's
    arrival curve (`HOURLY_VOLUME`, local hours), at a random point inside it: times follow the
    curve and rise with the position, so a file is in time order without sorting.
    """
    quantile = (position + rng.random(len(position))) / records_in_file
    slot = np.clip(
        np.searchsorted(_ARRIVAL_CDF, quantile, side="right") - 1, 0, len(_OPEN_HOURS) - 1
    )
    within = (quantile - _ARRIVAL_CDF[slot]) / (_ARRIVAL_CDF[slot + 1] - _ARRIVAL_CDF[slot])
    seconds_into_day = np.floor((_OPEN_HOURS[slot] + np.clip(within, 0.0, 1.0)) * SECONDS_PER_HOUR)
    seconds_into_day = np.minimum(seconds_into_day, (_OPEN_HOURS[slot] + 1) * SECONDS_PER_HOUR - 1)
    result: IntArray = day * SECONDS_PER_DAY + seconds_into_day.astype(np.int64)
    return result


def written_day(
    local_seconds: IntArray, utc_offset_minutes: IntArray, in_local_time: IntArray
) -> IntArray:
    """The calendar date `intake_at` is written with, in days since 1970-01-01: the local date
    when written in local time, else the UTC date (`in_local_time` is 1 or 0)."""
    utc_seconds = local_seconds - utc_offset_minutes * 60
    seconds = np.where(in_local_time == 1, local_seconds, utc_seconds)
    day: IntArray = np.floor_divide(seconds, SECONDS_PER_DAY)
    return day
