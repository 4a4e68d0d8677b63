"""Classifying in the database reads back only the fields the rule set uses: the result is
the same as classifying the full records."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
from polars.testing import assert_frame_equal

from pipeline.classify import classify
from pipeline.load.classifications import CASE_SCHEMA
from pipeline.validate import validate_file

SAMPLE = Path(__file__).parents[2] / "sample_data"
NOW = dt.datetime(2026, 11, 21, 6, 0, tzinfo=dt.UTC)


def test_the_fields_read_back_classify_every_sample_case_as_the_full_record_does() -> None:
    valid = pl.concat(
        [validate_file(path, NOW)[0].valid for path in sorted(SAMPLE.glob("intake_*.csv"))]
    )
    assert valid.height > 1000
    read_back = valid.select(name for name in CASE_SCHEMA.names() if name != "version")
    assert_frame_equal(classify(read_back), classify(valid))
