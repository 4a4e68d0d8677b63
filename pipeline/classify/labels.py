"""Lists of labels kept as bit sets while computing, turned into lists once at the end.

Building a list of strings for every one of a million cases is slow; a bit set per case is
one integer. Only the distinct bit sets (a few thousand at most) are turned into lists, and
each case gets its list by position, as categorical codes. Bit i stands for `labels[i]`, so
every list comes out in the order of `labels`.
"""

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
    distinct = bits.unique()
    lists = (
        pl.DataFrame({"bits": distinct})
        .select(
            pl.concat_list(
                pl.when((pl.col("bits") & pl.lit(1 << i, BITS)) != 0).then(pl.lit(label))
                for i, label in enumerate(labels)
            ).list.drop_nulls()
        )
        .to_series()
        .cast(LABEL_LISTS)
    )
    positions = pl.Series(range(len(distinct)), dtype=pl.UInt32)
    return lists.gather(bits.replace_strict(distinct, positions, return_dtype=pl.UInt32))


def as_text(lists: pl.Series) -> pl.Series:
    """Label lists as List(String)."""
    return lists.cast(pl.List(pl.String))
