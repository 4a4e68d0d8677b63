"""Every record of intake files with its outcome, in file order then line order: valid records
with their classification, invalid ones with their reasons. This is what an analyst sees from
`intake classify` and what evaluation compares with the truth."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Final

import polars as pl

from pipeline.classify import CLASSIFICATION_SCHEMA, classify
from pipeline.contract.outputs import Triage
from pipeline.validate.batch import RawBatch
from pipeline.validate.file import validate_file
from pipeline.validate.reasons import REASONS_DTYPE

CLASSIFIED_FIELDS: Final = tuple(name for name in CLASSIFICATION_SCHEMA if name != "intake_id")
"""The five outputs of a valid record."""

OUTCOME_SCHEMA: Final = pl.Schema(
    {
        "file": pl.String(),
        "line_number": pl.Int64(),
        "intake_id": pl.String(),
        "valid": pl.Boolean(),
        **{name: CLASSIFICATION_SCHEMA[name] for name in CLASSIFIED_FIELDS},
        "reasons": REASONS_DTYPE,
    }
)
"""One row per record in a file: where it is, whether it is valid, and then either the five
outputs (reasons null) or the reasons. An invalid record whose text still shows a red flag is
`urgent` with those red flags as its triage reasons (the contract's "A red flag survives
quarantine"); its other outputs are null."""


def file_outcomes(path: Path, now: datetime) -> tuple[pl.DataFrame, RawBatch]:
    """Every record of one file with its outcome (`OUTCOME_SCHEMA`), and the read batch."""
    validated, batch = validate_file(path, now)
    name = pl.lit(path.name).alias("file")
    valid = pl.concat(
        [validated.valid.select("line_number"), classify(validated.valid)], how="horizontal"
    ).select(name, "line_number", "intake_id", pl.lit(True).alias("valid"), *CLASSIFIED_FIELDS)
    flagged = pl.col("red_flags").list.len() > 0
    invalid = validated.quarantine.select(
        name,
        "line_number",
        "intake_id",
        pl.lit(False).alias("valid"),
        pl.when(flagged).then(pl.lit(Triage.URGENT.value)).alias("triage"),
        pl.when(flagged).then(pl.col("red_flags")).alias("triage_reasons"),
        "reasons",
    )
    both = pl.concat([valid, invalid], how="diagonal").sort("line_number")
    return both.select(OUTCOME_SCHEMA.names()).cast(dict(OUTCOME_SCHEMA)), batch  # type: ignore[arg-type]


def outcomes(paths: Iterable[Path], now: datetime) -> pl.DataFrame:
    """Every record of every file, files in the order given."""
    frames = [file_outcomes(path, now)[0] for path in paths]
    return pl.concat(frames) if frames else pl.DataFrame(schema=OUTCOME_SCHEMA)


UNICODE_LINE_BREAKS: Final = ("\u0085", "\u2028", "\u2029")
"""Characters JSON leaves as they are inside strings but many readers take for line breaks
(Python's `str.splitlines`, JavaScript before ES2019): written as `\\uXXXX` escapes, so a line
of output is always one record, whoever splits it."""


def as_json_lines(frame: pl.DataFrame) -> pl.Series:
    """Each outcome as one JSON object on one line: file, line_number, intake_id, valid, then
    either the five outputs or `reasons` (with `triage` and `triage_reasons` where an invalid
    record shows a red flag)."""
    common = ["file", "line_number", "intake_id", "valid"]
    valid_json = pl.struct(*common, *CLASSIFIED_FIELDS).struct.json_encode()
    invalid_json = pl.struct(*common, "reasons").struct.json_encode()
    flagged_json = pl.struct(*common, "triage", "triage_reasons", "reasons").struct.json_encode()
    text = (
        pl.when(pl.col("valid"))
        .then(valid_json)
        .when(pl.col("triage").is_not_null())
        .then(flagged_json)
        .otherwise(invalid_json)
    )
    for character in UNICODE_LINE_BREAKS:
        text = text.str.replace_all(character, f"\\u{ord(character):04x}", literal=True)
    return frame.select(text.alias("json")).to_series()
