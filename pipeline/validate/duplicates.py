"""The same `intake_id` more than once in one file.

Within one file there is no order that says which version is the current one, so the file
cannot be trusted to decide it:

- every occurrence is the same valid record (the same contract values, however spelled: the
  same canonical text, so the same content hash once loaded): an exact re-send inside the
  file. All occurrences stay valid (records in = valid + quarantined); every one after the
  first carries `duplicate_of_line`, the line of the first, so a loader can count it as
  unchanged instead of loading it twice;
- the occurrences are the same text but invalid: each is quarantined for its own reasons only;
- otherwise (different content, or valid and invalid versions side by side): every occurrence
  is quarantined with `duplicate_in_file`, the first one too. Loading either version could show
  a clinician the wrong findings (a red flag in one version and not the other); quarantine
  keeps them all, counted and visible, for a person to resolve. Nothing is dropped silently.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from pipeline.contract.fields import FIELD_NAMES

ID: Final = "intake_id"
DUPLICATE_IN_FILE: Final = "duplicate_in_file"
DUPLICATE_OF_LINE: Final = "duplicate_of_line"
_ROW: Final = "__row"


def mark_duplicates(frame: pl.DataFrame, content: pl.Expr) -> pl.DataFrame:
    """Add `duplicate_in_file` (Boolean) and `duplicate_of_line` (Int64, null unless an exact
    re-send) to a frame with `line_number`, the raw fields and `broken` (already invalid).
    `content` is equal for two valid records exactly when they hold the same values; it is
    evaluated only for the records whose id repeats. Rows keep their order."""
    if _all_distinct(frame[ID]):
        return frame.with_columns(
            pl.lit(False).alias(DUPLICATE_IN_FILE), pl.lit(None, pl.Int64).alias(DUPLICATE_OF_LINE)
        )
    repeated = frame[ID].is_not_null() & frame[ID].is_duplicated()
    indexed = frame.with_row_index(_ROW)
    groups = (
        indexed.filter(repeated)
        .select(
            _ROW,
            resend=(~pl.col("broken")).all().over(ID) & (content.n_unique().over(ID) == 1),
            same_text=pl.struct(FIELD_NAMES).n_unique().over(ID) == 1,
            first_row=pl.col(_ROW).min().over(ID),
            first_line=pl.col("line_number").first().over(ID),
        )
        .select(
            _ROW,
            (~pl.col("resend") & ~pl.col("same_text")).alias(DUPLICATE_IN_FILE),
            pl.when(pl.col("resend") & (pl.col(_ROW) != pl.col("first_row")))
            .then(pl.col("first_line"))
            .alias(DUPLICATE_OF_LINE),
        )
    )
    return (
        indexed.join(groups, on=_ROW, how="left", maintain_order="left")
        .drop(_ROW)
        .with_columns(pl.col(DUPLICATE_IN_FILE).fill_null(False))
    )


def _all_distinct(ids: pl.Series) -> bool:
    """Whether no id occurs twice, decided cheaply for the usual case: if the 64-bit hashes of
    the ids are all different, so are the ids (equal hashes only lead to the exact check)."""
    given = ids.drop_nulls()
    return given.hash().n_unique() == given.len()
