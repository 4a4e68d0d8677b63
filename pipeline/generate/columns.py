"""Names of the working columns a batch of records carries next to the contract's fields.

A batch is a polars frame with one column per contract field (named as in the contract) plus
these helper columns, all starting with `_` so they can never clash with a contract field.
Helpers never reach an intake file; the truth file is built from some of them.
"""

from __future__ import annotations

from typing import Final

FILE: Final = "_file"
"""Index of the file the record is written to (`FilePlan` order)."""
LINE_ORDER: Final = "_line_order"
"""The record's place in its file: re-sends first (their slot), then originals by time."""
RUN_INDEX: Final = "_run_index"
"""Run-wide index of an original record (re-sends keep their original's)."""
PRESENTATION: Final = "_presentation"
"""The latent `Presentation`: the truth behind the case."""
INTAKE_SECONDS: Final = "_intake_seconds"
"""`intake_at` in seconds since 1970-01-01 UTC."""
INTAKE_DAY: Final = "_intake_day"
"""The date of intake as `intake_at` writes it (the contract's date of intake), in days since
1970-01-01: the clinic's local date, or the UTC date when written in UTC."""
INTAKE_OFFSET: Final = "_intake_offset"
"""How `intake_at` is written: an index into `messiness.INTAKE_AT_STYLES`."""
UTC_OFFSET: Final = "_utc_offset"
"""The clinic's offset from UTC in minutes (its time zone)."""
BOOLEAN_SPELLING: Final = "_boolean_spelling"
"""How booleans are spelled in CSV: an index into `render.BOOLEAN_SPELLINGS`."""
OMIT_EMPTY: Final = "_omit_empty"
"""JSON Lines only: empty optional fields are left out of the object rather than null."""
RESENT_LATER: Final = "_resent_later"
"""The record comes back later as a re-send or correction (so it is never made invalid)."""
LAST_IN_FILE: Final = "_last_in_file"
"""The record is the last line of its file."""
KIND: Final = "_kind"
"""`original`, `resend` or `correction`."""
INVALID_RULES: Final = "_invalid_rules"
"""The contract rules the record was made to break, as `field:rule` joined by `;` (null if
valid)."""
DAMAGE: Final = "_damage"
"""File-level damage of the record's line (null if none): see `damage.LineDamage`."""
DAMAGE_SHARE: Final = "_damage_share"
"""A number in [0, 1) that picks how a damaged line is broken (null if not damaged)."""
