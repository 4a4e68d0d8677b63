"""Classify test records: validate them (they must be valid), then classify."""

from __future__ import annotations

import polars as pl

from pipeline.classify import classify
from pipeline.validate.rules import validate
from tests.records import NOW, Record, raw_frame, record


def classified(*records: Record) -> pl.DataFrame:
    """Validate and classify records that must all be valid."""
    validated = validate(raw_frame(*records), NOW)
    assert validated.quarantine.is_empty(), validated.quarantine["reasons"].to_list()
    return classify(validated.valid)


def classified_one(**changes: str | None) -> dict[str, object]:
    """The classification of the baseline with some fields changed."""
    return classified(record(**changes)).row(0, named=True)
