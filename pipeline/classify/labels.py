"""Lists of labels kept as bit sets while computing, turned into lists once at the end.

Building a list of strings for every one of a million cases is slow; a bit set per case is
one integer. Only the distinct bit sets (a few thousand at most) are turned into lists, and
each case gets its list by lookup. Bit i stands for `labels[i]`, so every list comes out in
the order of `labels`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

import polars as pl

BITS: Final = pl.UInt32
MAX_LABELS: Final = 32


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


def label_lists(bits: pl.Series, labels: Sequence[str]) -> pl.Series:
    """Each bit set as the list of its labels, in the order of `labels`."""
    lookup = pl.DataFrame({"bits": bits.unique()}).with_columns(
        pl.concat_list(
            pl.when((pl.col("bits") & pl.lit(1 << i, BITS)) != 0).then(pl.lit(label))
            for i, label in enumerate(labels)
        )
        .list.drop_nulls()
        .cast(pl.List(pl.String))
        .alias("labels")
    )
    return (
        pl.DataFrame({"bits": bits})
        .join(lookup, on="bits", how="left", maintain_order="left")
        .get_column("labels")
        .rename(bits.name)
    )
