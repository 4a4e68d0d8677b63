"""The same `intake_id` more than once in one file: exact re-sends stay valid, anything else is
quarantined, every occurrence, for a person to resolve (docs/data.md)."""

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
        # Nothing in one file says which version is current. The same valid record every time
        # is a re-send: all stay valid (records in = valid + quarantined), and every one after
        # the first names the first's line, so a loader counts it as unchanged. The same text
        # but invalid: each is quarantined for its own reasons only. Anything else, the first
        # occurrence too, is `duplicate_in_file`: loading either version could show a clinician
        # the wrong findings (a red flag in one and not the other).
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
