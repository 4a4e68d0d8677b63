"""Rule sets by version: the code classifies by any version it has (the newest unless told),
the previous version 2026.11.1 is kept as it was, and triage is the contract's in every
version."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings

from pipeline.classify import classify
from pipeline.classify.versions import NEWEST, RULE_SETS, UnknownRulesVersionError, rule_set
from pipeline.load.classifications import CLASSIFIER_FIELDS
from pipeline.validate.rules import validate
from tests.classify.test_mechanism import TEXTBOOK_COMPENSATORY, TEXTBOOK_REFERRED
from tests.records import NOW, Record, raw_frame, record
from tests.strategies import valid_records

OLD = "2026.11.1"


def _valid(*records: Record) -> pl.DataFrame:
    validated = validate(raw_frame(*records), NOW)
    assert validated.quarantine.is_empty()
    return validated.valid


def _mechanism(version: str, **changes: str | None) -> str:
    return str(classify(_valid(record(**changes)), version)["mechanism"][0])


def test_the_code_has_the_previous_version_and_classifies_by_the_newest_unless_told() -> None:
    assert list(RULE_SETS) == [OLD, NEWEST]
    valid = _valid(record())
    assert classify(valid)["rules_version"].to_list() == [NEWEST]
    assert classify(valid, OLD)["rules_version"].to_list() == [OLD]


def test_a_version_the_code_does_not_have_is_refused_by_name() -> None:
    with pytest.raises(UnknownRulesVersionError, match=r"'2025\.1\.1'.*2026\.11\.1, 2026\.11\.2"):
        classify(_valid(record()), "2025.1.1")


def test_in_2026_11_1_one_equivocal_hip_sign_rules_referral_out() -> None:
    # 2026.11.2's refinement: a painful hip weighs against referral, it no longer vetoes it
    equivocal = {**TEXTBOOK_REFERRED, "hip_rom": "painful"}
    assert _mechanism(OLD, **equivocal) == "undetermined"
    assert _mechanism(NEWEST, **equivocal) == "referred"


def test_in_2026_11_1_compensatory_needs_no_gait_sign() -> None:
    no_gait = {**TEXTBOOK_COMPENSATORY, "antalgic_gait": "false", "trendelenburg_sign": "false"}
    assert _mechanism(OLD, **no_gait) == "compensatory"
    assert _mechanism(NEWEST, **no_gait) == "undetermined"


def test_in_2026_11_1_no_hip_cause_is_excluded_first() -> None:
    child = {"age_years": "12", "hip_rom": "painful", "hip_provocation": "positive"}
    assert (
        "guard=child_with_hip_signs"
        in classify(_valid(record(**child)))["mechanism_evidence"][0].to_list()
    )
    assert not any(
        label.startswith("guard=")
        for label in classify(_valid(record(**child)), OLD)["mechanism_evidence"][0]
    )


def test_reclassification_reads_back_every_field_any_version_needs() -> None:
    for version, rules in RULE_SETS.items():
        assert set(rules.fields) <= set(CLASSIFIER_FIELDS), version
    assert rule_set(OLD).guards == ()


@settings(max_examples=40, deadline=None)
@given(valid_records())
def test_triage_is_the_same_in_every_version(records: list[Record]) -> None:
    valid = _valid(*records)
    triages = {
        version: classify(valid, version).select("triage", "triage_reasons")
        for version in RULE_SETS
    }
    assert triages[OLD].equals(triages[NEWEST])
