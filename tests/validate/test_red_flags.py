"""A red flag survives quarantine: the red-flag fields of an invalid record are read leniently,
and never less than a valid record's are read strictly (the contract, issue 12)."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.classify import classify
from pipeline.contract.outputs import TriageReason
from pipeline.validate.red_flags import red_flags
from pipeline.validate.rules import validate
from tests.records import NOW, Record, raw_frame, record
from tests.strategies import valid_record

RED_FLAG_REASONS = {
    r.value
    for r in (TriageReason.RAPID_WORSENING, TriageReason.NO_WEIGHT_BEARING, TriageReason.FEVER)
}


def quarantined_flags(**changes: str | None) -> list[str]:
    validated = validate(raw_frame(record(**changes)), NOW)
    assert validated.valid.is_empty(), "the record must be invalid"
    (flags,) = validated.quarantine["red_flags"].to_list()
    return list(flags)


@pytest.mark.parametrize(
    ("changes", "flags"),
    [
        ({"temperature_c": "38,5"}, ["fever"]),
        ({"temperature_c": " 38.5 "}, ["fever"]),
        ({"temperature_c": "38,0", "sex": "x"}, ["fever"]),
        ({"temperature_c": "37,9", "sex": "x"}, []),
        ({"temperature_c": "101.3", "sex": "x"}, []),  # not degrees Celsius: not read as fever
        ({"fever_reported": "TRUE ", "sex": "x"}, ["fever"]),
        ({"fever_reported": "Yes", "notes": "x" * 2001}, ["fever"]),
        ({"pain_trend": " Rapidly_Worsening", "sex": "x"}, ["rapid_worsening"]),
        ({"pain_trend": "rapidly worsening"}, ["rapid_worsening"]),
        ({"weight_bearing": "NONE"}, ["no_weight_bearing"]),
        ({"weight_bearing": "none", "intake_at": "22/03/2026 08:00"}, ["no_weight_bearing"]),
        (
            {
                "pain_trend": "rapidly_worsening",
                "weight_bearing": "none ",
                "fever_reported": "1",
                "age_years": "old",
            },
            ["rapid_worsening", "no_weight_bearing", "fever"],
        ),
        ({"fever_reported": "no", "temperature_c": "hot"}, []),
        ({"weight_bearing": "", "sex": "x"}, []),  # not given is never a red flag
    ],
)
def test_an_invalid_records_red_flags_are_read_leniently(
    changes: dict[str, str | None], flags: list[str]
) -> None:
    assert quarantined_flags(**changes) == flags


def test_an_invalid_record_keeps_its_clinic_as_received_without_surrounding_space() -> None:
    validated = validate(raw_frame(record(clinic_id=" north ", sex="x")), NOW)
    assert validated.quarantine["clinic_id"].to_list() == ["north"]


@settings(max_examples=60, deadline=None)
@given(valid_record(), st.sampled_from(["sex", "age_years", "knee_side", "notes"]))
def test_a_valid_records_red_flags_survive_any_unrelated_breach(valid: Record, broken: str) -> None:
    strict = classify(validate(raw_frame(valid), NOW).valid)["triage_reasons"].to_list()[0]
    expected = [r for r in strict if r in RED_FLAG_REASONS]
    damaged = dict(valid) | {broken: "x" * 2001 if broken == "notes" else "?"}
    validated = validate(raw_frame(damaged), NOW)
    assert validated.valid.is_empty()
    assert validated.quarantine["red_flags"].to_list() == [expected]


def test_the_lenient_reading_of_contract_values_is_the_strict_one() -> None:
    frame = pl.DataFrame(
        {
            "pain_trend": ["rapidly_worsening", "worsening", None],
            "weight_bearing": ["none", "partial", "full"],
            "temperature_c": ["38.0", "37.9", None],
            "fever_reported": ["false", None, "true"],
        }
    )
    assert frame.select(red_flags().alias("flags"))["flags"].to_list() == [
        ["rapid_worsening", "no_weight_bearing", "fever"],
        [],
        ["fever"],
    ]
