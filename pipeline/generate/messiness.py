"""How messy the data is: how clinics' systems write values, bad records, re-sends.

The clinical picture is in `parameters`; this module holds the numbers that make the files
look like real exports: boolean spellings, time zone styles, deliberately bad records (scaled
by `--invalid-rate`) and earlier records sent again.
"""

from __future__ import annotations

from typing import Final

# --- How clinics' systems write values ---------------------------------------------------------

CSV_BOOLEAN_SPELLINGS: Final = (("true", "false"), ("1", "0"), ("yes", "no"), ("TRUE", "FALSE"))
"""How a record's booleans are spelled in CSV: all spellings the contract accepts. The first is
plain `true`/`false`, which JSON Lines always uses (as JSON booleans)."""
CSV_BOOLEAN_SPELLING_SHARES: Final = (0.93, 0.03, 0.02, 0.02)
"""How often each spelling above is used."""

INTAKE_AT_STYLES: Final = ("local", "Z", "")
"""How `intake_at` is written: the clinic's local time with its offset (`+10:00`, `-05:00`,
`+05:30`), UTC with `Z`, or UTC with no offset (which the contract reads as UTC). A system that
writes UTC writes the UTC date, which near local midnight is not the clinic's date."""
LOCAL_TIME: Final = 0
"""Index of the local-time style in `INTAKE_AT_STYLES`."""
INTAKE_AT_STYLE_SHARES: Final = (0.80, 0.12, 0.08)
"""How often each style above is used."""

JSONL_OMITS_EMPTY_FIELDS_SHARE: Final = 0.50
"""Share of JSON Lines records that leave empty optional fields out instead of writing null."""

# --- Bad records (scaled by --invalid-rate) ----------------------------------------------------

FIELD_DEFECT_WEIGHTS: Final[dict[str, float]] = {
    "missing_required": 0.16,
    "unknown_enum_value": 0.16,
    "number_out_of_range": 0.12,
    "not_a_number": 0.10,
    "bad_boolean": 0.10,
    "bad_id_characters": 0.08,
    "id_too_long": 0.04,
    "future_intake": 0.06,
    "injury_after_intake": 0.06,
    "hip_pain_onset_after_intake": 0.04,
    "bad_date": 0.04,
    "notes_too_long": 0.04,
}
"""How an invalid record breaks the contract: relative weights of the defect kinds."""

SECOND_DEFECT_SHARE: Final = 0.10
"""Share of invalid records with a second, independent defect in another field."""

SHORT_ROW_SHARE: Final = 0.05
"""Share of invalid CSV records that are short rows (cells missing at the end of the line)."""
TRUNCATED_LINE_SHARE: Final = 0.05
"""Share of invalid JSON Lines records cut off mid-object (the line is not valid JSON)."""
STRAY_QUOTE_SHARE: Final = 0.04
"""Aimed share of invalid CSV records broken by a stray, unclosed quote. Such a quote swallows
the rest of the file, so it is only ever put in the last record of a file (at most one a file)."""

FUTURE_INTAKE_SHIFT_DAYS: Final = 3653
"""A future intake is written about ten years ahead: clearly in the future whenever validated."""

RESEND_RATE_PER_INVALID_RATE: Final = 0.25
CORRECTION_RATE_PER_INVALID_RATE: Final = 0.15
"""Exact re-sends and corrections of earlier records, as a share of all records, per unit of
--invalid-rate (with --invalid-rate 0.02: 0.5% re-sends and 0.3% corrections)."""
MAX_RESEND_DELAY_DAYS: Final = 7
"""A re-send or correction arrives one to this many days after the original's day."""
