"""Validation never raises and never loses a record, whatever the text (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings

from pipeline.contract.rules import Rule
from pipeline.validate.rules import VALID_SCHEMA, validate
from tests.records import NOW, Record, raw_frame
from tests.strategies import text_records, valid_records

RULES = {rule.value for rule in Rule}


@settings(max_examples=100, deadline=None)
@given(text_records())
def test_validate_never_raises_and_records_in_equal_valid_plus_quarantined(
    records: list[Record],
) -> None:
    validated = validate(raw_frame(*records), NOW)
    assert validated.valid.height + validated.quarantine.height == len(records)
    assert validated.valid.schema == VALID_SCHEMA
    for reasons in validated.quarantine["reasons"]:
        assert len(reasons) > 0
        assert {r["rule"] for r in reasons} <= RULES


@settings(max_examples=40, deadline=None)
@given(valid_records())
def test_every_valid_record_passes(records: list[Record]) -> None:
    validated = validate(raw_frame(*records), NOW)
    assert validated.quarantine.is_empty(), validated.quarantine["reasons"].to_list()
    assert validated.valid["line_number"].to_list() == list(range(2, len(records) + 2))
