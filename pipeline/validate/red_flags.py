"""The red flags of a record that failed validation, read leniently from its raw text: an
invalid record is still a patient who may need care today (the contract's "A red flag survives
quarantine")."""

from __future__ import annotations

from typing import Final

import polars as pl

from pipeline.contract.fields import BOOLEAN_TRUE, FIELDS_BY_NAME
from pipeline.contract.outputs import FEVER_TEMPERATURE_C, TriageReason

RED_FLAGS_DTYPE: Final = pl.List(pl.String())
"""The red flags that hold, as `TriageReason` values in the contract's order."""

_TEMPERATURE: Final = FIELDS_BY_NAME["temperature_c"]


def _word(name: str) -> pl.Expr:
    """A field's text without surrounding space, in lower case, words joined by `_`
    (` Rapidly worsening ` reads as `rapidly_worsening`)."""
    return pl.col(name).str.strip_chars().str.to_lowercase().str.replace_all(r"[\s-]+", "_")


def lenient_temperature() -> pl.Expr:
    """`temperature_c` read leniently: surrounding space ignored, a decimal comma taken as a
    point (`38,5`). Only a reading in the contract's range counts: anything else (`985`, a
    Fahrenheit reading) is not a measurement in degrees Celsius, and a value that cannot be
    read is never a red flag."""
    number = (
        pl.col("temperature_c")
        .str.strip_chars()
        .str.replace(",", ".", literal=True)
        .cast(pl.Float64, strict=False)
    )
    return pl.when(number.is_between(_TEMPERATURE.minimum, _TEMPERATURE.maximum)).then(number)


def red_flag_holds() -> dict[TriageReason, pl.Expr]:
    """For each red flag, whether the raw text shows it (never null; a field that is not
    given, or cannot be read, shows nothing)."""
    return {
        TriageReason.RAPID_WORSENING: _word("pain_trend") == "rapidly_worsening",
        TriageReason.NO_WEIGHT_BEARING: _word("weight_bearing") == "none",
        TriageReason.FEVER: (lenient_temperature() >= FEVER_TEMPERATURE_C).fill_null(False)
        | _word("fever_reported").is_in(BOOLEAN_TRUE).fill_null(False),
    }


def red_flags() -> pl.Expr:
    """The red flags of each raw record, as a list of `TriageReason` values (empty: none)."""
    flags = [
        pl.when(holds.fill_null(False)).then(pl.lit(reason.value))
        for reason, holds in red_flag_holds().items()
    ]
    return pl.concat_list(flags).list.drop_nulls().cast(RED_FLAGS_DTYPE)


def lenient_clinic() -> pl.Expr:
    """The clinic as received, without surrounding space (null if none was given)."""
    clinic = pl.col("clinic_id").str.strip_chars()
    return pl.when(clinic != "").then(clinic)
