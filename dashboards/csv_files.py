"""CSV files for spreadsheets: every export goes through `to_csv`, which neutralises cells a
spreadsheet would run as a formula (OWASP "CSV Injection"). Pure."""

from __future__ import annotations

from typing import Final

import polars as pl

FORMULA_TRIGGERS: Final = ("=", "+", "-", "@", "\t", "\r")
"""The first characters that make a spreadsheet read a cell as a formula (OWASP)."""
NEUTRALISER: Final = "'"


def neutralised(value: str) -> str:
    """`value` as a cell no spreadsheet runs: with a leading `'` if it starts a formula."""
    return NEUTRALISER + value if value.startswith(FORMULA_TRIGGERS) else value


def to_csv(frame: pl.DataFrame) -> bytes:
    """`frame` as UTF-8 CSV with a header row, every text cell neutralised; numbers written
    plainly (no thousands separators), empty cells for missing values."""
    text_columns = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    safe = frame.with_columns(
        # Text cells only: a number column cannot hold a formula, so numbers stay numbers.
        pl.when(pl.any_horizontal(pl.col(name).str.starts_with(t) for t in FORMULA_TRIGGERS))
        .then(pl.lit(NEUTRALISER) + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in text_columns
    )
    return safe.write_csv(quote_style="necessary").encode()
