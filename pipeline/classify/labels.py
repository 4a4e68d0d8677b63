"""Lists of labels kept as bit sets while computing, turned into lists once at the end."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

import polars as pl

BITS: Final = pl.UInt64
MAX_LABELS: Final = 64


def bit_set(holds: Iterable[pl.Expr]) -> pl.Expr:
    """A bit set with bit i on where the i-th condition holds (conditions never null)."""
    conditions = list(holds)
    if len(conditions) > MAX_LABELS:  # pragma: no cover - a rule set far beyond this one
        msg = f"at most {MAX_LABELS} labels fit a bit set"
        raise ValueError(msg)
    return pl.sum_horizontal(
        pl.when(held).then(pl.lit(1 << i, BITS)).otherwise(pl.lit(0, BITS))
        for i, held in enumerate(conditions)
    ).cast(BITS)


LABEL_LISTS: Final = pl.List(pl.Categorical())
"""Lists of labels as categorical codes: gathering them for a million cases copies integers,
not strings. `as_text` turns them into List(String) at the end."""


def label_lists(bits: pl.Series, labels: Sequence[str]) -> pl.Series:
    """Each bit set as the list of its labels (`LABEL_LISTS`), in the order of `labels`."""
    # A list of strings for each of a million cases is slow; a bit set per case is one integer.
    # Only the distinct bit sets (a few thousand at most) become lists, gathered by position.
    distinct = bits.unique()
    positions = pl.Series(range(len(distinct)), dtype=pl.UInt32)
    lists = _lists_of(distinct, labels)
    return lists.gather(bits.replace_strict(distinct, positions, return_dtype=pl.UInt32))


def _lists_of(distinct: pl.Series, labels: Sequence[str]) -> pl.Series:
    """The label list of each distinct bit set: every (set, label) pair whose bit is on, grouped
    back by set (one join and one grouping, however many labels; a column per label was slow
    with thousands of distinct sets)."""
    table = pl.DataFrame(
        {
            "mask": pl.Series([1 << i for i in range(len(labels))], dtype=BITS),
            "label": pl.Series(list(labels), dtype=pl.String),
        }
    )
    sets = pl.DataFrame({"bits": distinct.cast(BITS)}).with_row_index("row")
    on = (
        sets.join(table, how="cross")
        .filter((pl.col("bits") & pl.col("mask")) != 0)
        .group_by("row")
        .agg(pl.col("label").sort_by("mask"))
    )
    return (
        sets.join(on, on="row", how="left")
        .sort("row")["label"]
        .fill_null(pl.lit([], pl.List(pl.String)))
        .cast(LABEL_LISTS)
    )


def as_text(lists: pl.Series) -> pl.Series:
    """Label lists as List(String)."""
    return lists.cast(pl.List(pl.String))
