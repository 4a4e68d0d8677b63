"""The ground truth of each record: valid or not and why, true mechanism, intended triage.

The triage here is an INDEPENDENT ORACLE: its own implementation of the contract's exact rules
(`shared/spec/intake-record.md`, "Triage: exact, safety-critical"), worked out from the text
actually written, sharing no code with the classifier (`pipeline.classify`) or the validator,
so that evaluation compares the product against something it did not compute itself:

- `urgent` when any of: `pain_trend = rapidly_worsening` (`rapid_worsening`);
  `weight_bearing = none` (`no_weight_bearing`); `temperature_c >= 38.0` or
  `fever_reported = true` (`fever`). Every reason that holds is listed.
- otherwise `evaluate` when the hip pain has lasted 21 days or more, from `hip_pain_onset_date`
  to the date of intake, and `rest_tried = true` (`persistent_despite_rest`). The date of
  intake is the calendar date as WRITTEN in `intake_at` (its first ten characters:
  `2026-03-22T01:00:00+02:00` is 22 March), whatever the offset.
  An urgent case whose pain is also persistent despite rest lists this reason too: the contract
  says every reason that holds is listed, and a clinician following up an urgent case should
  see it (the clinically safe reading; the classifier reads it the same way).
- otherwise `routine`. An empty optional field is never a red flag.

Invalid records get no mechanism and are never loaded as cases; but an invalid record whose
red-flag fields can still be read leniently (the contract's "A red flag survives quarantine":
surrounding space, letter case, `38,5` for 38.5; a temperature only in the contract's 30-45
range) is `urgent` with those red flags, unless its line cannot be read as a record at all.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from pipeline.contract import Triage, TriageReason
from pipeline.contract.fields import BOOLEAN_TRUE
from pipeline.contract.outputs import FEVER_TEMPERATURE_C, PERSISTENT_PAIN_DAYS
from pipeline.generate import columns as col
from pipeline.generate.config import TRUTH_COLUMNS
from pipeline.generate.defects import MALFORMED_RULE
from pipeline.generate.parameters import PRESENTATION_MECHANISM, Presentation
from pipeline.generate.sampling import IntArray

VALID: Final = "_valid"
MECHANISM: Final = "_mechanism"
TRIAGE: Final = "_triage"
TRIAGE_REASONS: Final = "_triage_reasons"
"""Columns `with_truth` adds (`_triage_reasons`: reasons joined by `;` in contract order)."""
REASON_SEPARATOR: Final = ";"
URGENT_REASONS: Final = (
    TriageReason.RAPID_WORSENING,
    TriageReason.NO_WEIGHT_BEARING,
    TriageReason.FEVER,
)

_MECHANISM_OF_PRESENTATION: Final = pl.Series(
    [PRESENTATION_MECHANISM[pr].value for pr in Presentation], dtype=pl.String
)


def with_truth(frame: pl.DataFrame) -> pl.DataFrame:
    """Add `_valid`, `_mechanism`, `_triage` and `_triage_reasons` to a batch of text records."""
    valid = pl.col(col.INVALID_RULES).is_null()
    urgent = pl.any_horizontal(_holds(r) for r in URGENT_REASONS)
    holds = {r: _holds(r) for r in URGENT_REASONS}
    holds[TriageReason.PERSISTENT_DESPITE_REST] = _holds(TriageReason.PERSISTENT_DESPITE_REST)
    persistent = holds[TriageReason.PERSISTENT_DESPITE_REST]
    triage = (
        pl.when(urgent)
        .then(pl.lit(Triage.URGENT.value))
        .when(persistent)
        .then(pl.lit(Triage.EVALUATE.value))
        .otherwise(pl.lit(Triage.ROUTINE.value))
    )
    reasons = pl.concat_str(
        *(pl.when(holds[r]).then(pl.lit(r.value)) for r in TriageReason),
        separator=REASON_SEPARATOR,
        ignore_nulls=True,
    )
    mechanism = pl.lit(_MECHANISM_OF_PRESENTATION).gather(pl.col(col.PRESENTATION))
    flags = pl.concat_str(
        *(pl.when(_survives(r)).then(pl.lit(r.value)) for r in URGENT_REASONS),
        separator=REASON_SEPARATOR,
        ignore_nulls=True,
    )
    readable = pl.col(col.INVALID_RULES) != MALFORMED_RULE
    flagged = ~valid & readable & (flags != "")
    return frame.with_columns(
        valid.alias(VALID),
        pl.when(valid).then(mechanism).alias(MECHANISM),
        pl.when(valid).then(triage).when(flagged).then(pl.lit(Triage.URGENT.value)).alias(TRIAGE),
        pl.when(valid)
        .then(pl.when(reasons != "").then(reasons))
        .when(flagged)
        .then(flags)
        .alias(TRIAGE_REASONS),
    )


def _survives(reason: TriageReason) -> pl.Expr:
    """Whether a red flag can still be read from an invalid record's written text, leniently."""

    def word(name: str) -> pl.Expr:
        text = pl.col(name).str.strip_chars().str.to_lowercase()
        return text.str.replace_all(" ", "_").str.replace_all("-", "_")

    match reason:
        case TriageReason.RAPID_WORSENING:
            holds = word("pain_trend") == "rapidly_worsening"
        case TriageReason.NO_WEIGHT_BEARING:
            holds = word("weight_bearing") == "none"
        case _:
            degrees = (
                pl.col("temperature_c")
                .str.strip_chars()
                .str.replace(",", ".", literal=True)
                .cast(pl.Float64, strict=False)
            )
            measured = degrees.is_between(30.0, 45.0) & (degrees >= FEVER_TEMPERATURE_C)
            holds = measured.fill_null(value=False) | word("fever_reported").is_in(BOOLEAN_TRUE)
    return holds.fill_null(value=False)


def _holds(reason: TriageReason) -> pl.Expr:
    """Whether one triage reason holds, from the written text (null fields count as false)."""
    match reason:
        case TriageReason.RAPID_WORSENING:
            holds = pl.col("pain_trend") == "rapidly_worsening"
        case TriageReason.NO_WEIGHT_BEARING:
            holds = pl.col("weight_bearing") == "none"
        case TriageReason.FEVER:
            temperature = pl.col("temperature_c").cast(pl.Float64, strict=False)
            holds = (temperature >= FEVER_TEMPERATURE_C).fill_null(value=False) | _is_true(
                "fever_reported"
            )
        case TriageReason.PERSISTENT_DESPITE_REST:
            onset = pl.col("hip_pain_onset_date").str.to_date("%Y-%m-%d", strict=False)
            written = pl.col("intake_at").str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
            days = (written - onset).dt.total_days()
            holds = (days >= PERSISTENT_PAIN_DAYS).fill_null(value=False) & _is_true("rest_tried")
    return holds.fill_null(value=False)


def _is_true(field_name: str) -> pl.Expr:
    """The boolean field is written as true (any accepted spelling); empty is not true."""
    return pl.col(field_name).str.to_lowercase().is_in(BOOLEAN_TRUE).fill_null(value=False)


def truth_rows(batch: pl.DataFrame, line_numbers: IntArray, file_names: pl.Series) -> pl.DataFrame:
    """The truth file's rows for a batch with truth (`with_truth`), in `TRUTH_COLUMNS` order.

    `file` is the file's name, `line_number` the physical line the record starts on, `intake_id`
    the id as written (empty when missing), `valid` true or false, and `invalid_rules` the rules
    the record was made to break (`field:rule;...`), empty for valid records.
    """
    columns = {
        "file": pl.lit(file_names).gather(pl.col(col.FILE)),
        "line_number": pl.lit(pl.Series(line_numbers, dtype=pl.Int64)),
        "intake_id": pl.col("intake_id"),
        "record_kind": pl.col(col.KIND),
        "valid": pl.col(VALID),
        "mechanism": pl.col(MECHANISM),
        "triage": pl.col(TRIAGE),
        "triage_reasons": pl.col(TRIAGE_REASONS),
        "invalid_rules": pl.col(col.INVALID_RULES),
    }
    return batch.select(columns[name].alias(name) for name in TRUTH_COLUMNS)
