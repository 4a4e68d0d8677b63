"""The shape of a run before any record exists.

Which files are written (one per clinic per day, busier on weekdays), how many records each
holds, which earlier records come back in it as re-sends or corrections, and how the records are
cut into chunks of bounded size. Everything here is per file or per re-send, never per record.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

import numpy as np
import polars as pl

from pipeline.generate import clinic_parameters as cp
from pipeline.generate import messiness as m
from pipeline.generate.clinic_parameters import ClinicProfile
from pipeline.generate.clinics import clinic_profiles
from pipeline.generate.config import GenerationConfig
from pipeline.generate.sampling import BoolArray, IntArray

CHUNK_RECORDS: Final = 131072
"""Original records simulated together in one chunk: bounds memory whatever the run's size."""

EPOCH: Final = date(1970, 1, 1)
"""Days are counted from this date (a Thursday) throughout the generator."""
_EPOCH_WEEKDAY: Final = EPOCH.weekday()

_PLAN_STREAM: Final = 0x91A
_CHUNK_STREAM: Final = 0xC4C


@dataclass(frozen=True, slots=True)
class FilePlan:
    """The intake files of a run in writing order (by day, then clinic); only non-empty ones."""

    day: IntArray
    """Sending day of each file, in days since `EPOCH`."""
    clinic: IntArray
    """Index of each file's clinic in `RunPlan.clinics`."""
    originals: IntArray
    """Original records in each file (new intakes of that day)."""
    resends: IntArray
    """Re-sends and corrections of earlier records in each file (written first)."""
    first_original: IntArray
    """Run-wide index of each file's first original record (originals are numbered in file
    order, so a file's originals are `first_original` to `first_original + originals - 1`)."""

    @property
    def count(self) -> int:
        """Number of files."""
        return int(self.day.shape[0])


@dataclass(frozen=True, slots=True)
class Chunk:
    """A slice of the run simulated and written in one go."""

    index: int
    first_original: int
    end_original: int
    """Run-wide original records `first_original` to `end_original - 1`."""
    first_file: int
    end_file: int
    """Files `first_file` to `end_file - 1` start in this chunk (their re-sends are written
    here); the last of them may continue into the next chunk."""


@dataclass(frozen=True, slots=True)
class RunPlan:
    """Everything decided before records are simulated."""

    clinics: tuple[ClinicProfile, ...]
    files: FilePlan
    resend_slots: pl.DataFrame
    """One row per re-send or correction: `target_file`, `slot` (its place at the top of the
    target file), `source_file`, `source_position` (the original's place among the source
    file's originals) and `correction` (false for an exact re-send)."""
    resent_originals: IntArray
    """Run-wide indexes of the originals that come back later (sorted): they are kept valid."""
    chunks: tuple[Chunk, ...]


def epoch_day(day: date) -> int:
    """Days since `EPOCH`."""
    return (day - EPOCH).days


def day_of(epoch_days: int) -> date:
    """The date `epoch_days` days after `EPOCH`."""
    return EPOCH + timedelta(days=epoch_days)


def weekday_of(epoch_days: IntArray) -> IntArray:
    """Weekday of each day, Monday = 0 ... Sunday = 6."""
    weekday: IntArray = (epoch_days + _EPOCH_WEEKDAY) % 7
    return weekday


def chunk_generator(seed: int, chunk_index: int) -> np.random.Generator:
    """The random generator of one chunk: independent of every other chunk's."""
    return np.random.default_rng([seed, _CHUNK_STREAM, chunk_index])


def make_plan(config: GenerationConfig) -> RunPlan:
    """Lay out the files, re-sends and chunks of a run (deterministic for a configuration)."""
    rng = np.random.default_rng([config.seed, _PLAN_STREAM])
    clinics = clinic_profiles(config.clinics, config.seed)
    days = epoch_day(config.start_date) + np.arange(config.days, dtype=np.int64)
    volume = np.array(cp.WEEKDAY_VOLUME)[weekday_of(days)][:, None] * np.array(
        [c.relative_volume for c in clinics]
    )
    counts = rng.multinomial(config.records, (volume / volume.sum()).ravel())
    day_index, clinic = np.divmod(np.flatnonzero(counts), len(clinics))
    file_at = np.full(counts.shape[0], -1, dtype=np.int64)
    file_at[np.flatnonzero(counts)] = np.arange(day_index.shape[0])
    file_counts = counts[counts > 0].astype(np.int64)
    slots = _draw_resend_slots(
        rng,
        invalid_rate=config.invalid_rate,
        file_counts=file_counts,
        file_day_index=day_index,
        file_clinic=clinic,
        file_at=file_at.reshape(volume.shape),
    )
    resends = np.bincount(slots["target_file"].to_numpy(), minlength=file_counts.shape[0])
    originals = file_counts - resends
    first_original = np.cumsum(originals) - originals
    files = FilePlan(
        day=days[day_index],
        clinic=clinic.astype(np.int64),
        originals=originals,
        resends=resends.astype(np.int64),
        first_original=first_original,
    )
    resent = np.sort(
        first_original[slots["source_file"].to_numpy()] + slots["source_position"].to_numpy()
    )
    return RunPlan(clinics, files, slots, resent, _chunks(files))


def _draw_resend_slots(
    rng: np.random.Generator,
    *,
    invalid_rate: float,
    file_counts: IntArray,
    file_day_index: IntArray,
    file_clinic: IntArray,
    file_at: IntArray,
) -> pl.DataFrame:
    """Choose the re-sends and corrections: which file they arrive in and which record they repeat.

    Each file after the first day gives some of its places to records its clinic sent one to
    `MAX_RESEND_DELAY_DAYS` days earlier; a record comes back at most once.
    """
    resend_rate = invalid_rate * m.RESEND_RATE_PER_INVALID_RATE
    correction_rate = invalid_rate * m.CORRECTION_RATE_PER_INVALID_RATE
    after_first_day = file_day_index > 0
    per_file = rng.binomial(file_counts, resend_rate + correction_rate) * after_first_day
    target = np.repeat(np.arange(file_counts.shape[0]), per_file)
    max_delay = np.minimum(m.MAX_RESEND_DELAY_DAYS, file_day_index[target])
    delay = 1 + np.floor(rng.random(len(target)) * max_delay).astype(np.int64)
    source = file_at[file_day_index[target] - delay, file_clinic[target]]
    correction = rng.random(len(target)) * (resend_rate + correction_rate) < correction_rate
    position, kept = _pick_source_positions(rng, source, file_counts - per_file)
    target, source, position, correction = (
        target[kept],
        source[kept],
        position[kept],
        correction[kept],
    )
    first_slot_of_target = np.searchsorted(target, target, side="left")
    return pl.DataFrame(
        {
            "target_file": target,
            "slot": np.arange(target.shape[0]) - first_slot_of_target,
            "source_file": source,
            "source_position": position,
            "correction": correction,
        },
        schema={
            "target_file": pl.Int64,
            "slot": pl.Int64,
            "source_file": pl.Int64,
            "source_position": pl.Int64,
            "correction": pl.Boolean,
        },
    )


def _pick_source_positions(
    rng: np.random.Generator, source: IntArray, source_originals: IntArray
) -> tuple[IntArray, BoolArray]:
    """Distinct original positions in each source file; slots without a source are dropped.

    A slot is dropped when its clinic sent nothing that day, or when more slots point at a file
    than it has originals. Dropping a slot only ever adds originals to its own file, so the
    positions already drawn stay valid.
    """
    position = np.zeros(source.shape[0], dtype=np.int64)
    kept = np.zeros(source.shape[0], dtype=np.bool_)
    by_source = np.argsort(source, kind="stable")
    by_source = by_source[source[by_source] >= 0]
    if by_source.shape[0] == 0:
        return position, kept
    source_files, group_start = np.unique(source[by_source], return_index=True)
    for source_file, slots in zip(source_files, np.split(by_source, group_start[1:]), strict=True):
        available = int(source_originals[source_file])
        taken = slots[:available]
        position[taken] = rng.choice(available, size=taken.shape[0], replace=False)
        kept[taken] = True
    return position, kept


def _chunks(files: FilePlan) -> tuple[Chunk, ...]:
    """Cut the run into chunks of `CHUNK_RECORDS` originals (a big file may span chunks)."""
    total = int(files.originals.sum())
    count = max(1, math.ceil(total / CHUNK_RECORDS))
    owner = np.minimum(files.first_original // CHUNK_RECORDS, count - 1)
    file_bounds = np.searchsorted(owner, np.arange(count + 1), side="left")
    return tuple(
        Chunk(
            index=k,
            first_original=k * CHUNK_RECORDS,
            end_original=min((k + 1) * CHUNK_RECORDS, total),
            first_file=int(file_bounds[k]),
            end_file=int(file_bounds[k + 1]),
        )
        for k in range(count)
    )
