"""What a day's valid records do to the cases, decided in memory against what is on record:
new versions (a case's first, or a correction), unchanged re-sends, each file's counts. Pure
functions of polars frames; `pipeline.load.day` reads and writes the database around them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import polars as pl

STORED_SCHEMA: Final = pl.Schema(
    {
        "intake_id": pl.String(),
        "content_hash": pl.String(),
        "version": pl.Int32(),
        "file_id": pl.Int64(),
    }
)
"""The versions on record of the day's intake ids: what the decision is made against."""
KEY: Final = ("intake_id", "content_hash")


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """What loading did with one file's valid records."""

    file_id: int
    loaded: int
    unchanged: int
    corrected: int


@dataclass(frozen=True, slots=True)
class Decision:
    """The day's new versions, the cases they make current, and each file's counts."""

    new_versions: pl.DataFrame
    """The records that become versions: their columns, `version` and `file_id`."""
    current: pl.DataFrame
    """The newest new version of each intake id, with `known` (the id had versions before)."""
    outcomes: list[FileOutcome]


def decide(records: pl.DataFrame, stored: pl.DataFrame, file_ids: list[int]) -> Decision:
    """Decide the day's `records` (valid records with `file_id`, `line_number` and
    `content_hash`, in the order received) against the `stored` versions (`STORED_SCHEMA`) of
    their intake ids. `file_ids` lists every file of the day, also one without valid records."""
    stored = stored.cast(dict(STORED_SCHEMA))  # type: ignore[arg-type]
    newest_stored = stored.group_by("intake_id").agg(pl.col("version").max().alias("stored"))
    # Content never seen for its intake id becomes a version numbered after the newest (an id
    # never seen: its first version, loaded; otherwise a correction, the earlier versions stay).
    # Content on record, or earlier in the day's files (a re-send), changes nothing.
    new_versions = (
        records.filter(pl.struct(KEY).is_first_distinct())
        .join(stored.select(KEY), on=KEY, how="anti", maintain_order="left")
        .join(newest_stored, on="intake_id", how="left", maintain_order="left")
        .with_columns(
            (pl.col("stored").fill_null(0) + pl.int_range(1, pl.len() + 1).over("intake_id"))
            .cast(pl.Int32)
            .alias("version"),
            pl.col("stored").is_not_null().alias("known"),
        )
        .drop("stored")
    )
    current = new_versions.unique("intake_id", keep="last", maintain_order=True)
    versions_of = pl.concat(
        [
            stored.select(*KEY, "version", "file_id"),
            new_versions.select(*KEY, "version", pl.col("file_id").cast(pl.Int64)),
        ]
    ).rename({"version": "of_version", "file_id": "of_file"})
    # A file counts as loaded or corrected the first record of each content in it whose version
    # it brought (also one it brought before, when `intake rerun` reads it again); every other
    # record is unchanged.
    counted = (
        records.select(pl.col("file_id").cast(pl.Int64), *KEY)
        .with_columns(pl.struct("file_id", *KEY).is_first_distinct().alias("first_in_file"))
        .join(versions_of, on=KEY, how="left")
        .with_columns(
            (pl.col("first_in_file") & (pl.col("of_file") == pl.col("file_id"))).alias("brought")
        )
        .group_by("file_id")
        .agg(
            pl.len().alias("valid"),
            (pl.col("brought") & (pl.col("of_version") == 1)).sum().alias("loaded"),
            (pl.col("brought") & (pl.col("of_version") > 1)).sum().alias("corrected"),
        )
    )
    counts = {r["file_id"]: r for r in counted.iter_rows(named=True)}
    outcomes = []
    for file_id in file_ids:
        row = counts.get(file_id, {"valid": 0, "loaded": 0, "corrected": 0})
        loaded, corrected = int(row["loaded"]), int(row["corrected"])
        outcomes.append(
            FileOutcome(file_id, loaded, int(row["valid"]) - loaded - corrected, corrected)
        )
    return Decision(new_versions.drop("known"), current, outcomes)
