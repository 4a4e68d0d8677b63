"""A hip cause to exclude first (refinement of 2026.11.2): each guard makes the mechanism
`undetermined` and is named in the evidence with the findings that fired it; triage is
untouched. Properties hold for every valid record (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.classify.cases import classified, classified_one
from tests.classify.test_mechanism import TEXTBOOK_BIOMECHANICAL, TEXTBOOK_REFERRED, evidence
from tests.records import Record
from tests.strategies import valid_records

SETTINGS = settings(max_examples=40, deadline=None)
HIP_SIGNS = ({"hip_rom": "painful"}, {"hip_rom": "restricted"}, {"hip_provocation": "positive"})


def test_a_child_with_hip_signs_is_undetermined_with_the_guard_named() -> None:
    case = classified_one(**TEXTBOOK_BIOMECHANICAL, age_years="13")
    assert case["mechanism"] == "undetermined"
    assert case["mechanism_evidence"] == [
        "guard=child_with_hip_signs",
        "age_years<16",
        "hip_rom=painful",
        "hip_provocation=positive",
    ]


def test_any_one_hip_sign_in_a_child_fires_the_guard() -> None:
    for sign in HIP_SIGNS:
        case = classified_one(**sign, age_years="15")
        assert evidence(case)[:2] == ["guard=child_with_hip_signs", "age_years<16"]


def test_a_sixteen_year_old_or_a_child_with_a_quiet_hip_is_not_guarded() -> None:
    assert classified_one(**TEXTBOOK_BIOMECHANICAL, age_years="16")["mechanism"] == (
        "biomechanical"
    )
    assert classified_one(**TEXTBOOK_REFERRED, age_years="10")["mechanism"] == "referred"


def test_groin_pain_and_a_restricted_hip_from_50_is_primary_hip_osteoarthritis_first() -> None:
    case = classified_one(**{**TEXTBOOK_BIOMECHANICAL, "hip_rom": "restricted"}, age_years="50")
    assert case["mechanism"] == "undetermined"
    assert case["mechanism_evidence"] == [
        "guard=primary_hip_osteoarthritis",
        "age_years>=50",
        "hip_pain_location=groin",
        "hip_rom=restricted",
    ]


def test_the_osteoarthritis_guard_needs_age_groin_and_restriction_together() -> None:
    restricted = {**TEXTBOOK_BIOMECHANICAL, "hip_rom": "restricted"}
    assert classified_one(**restricted, age_years="49")["mechanism"] == "biomechanical"
    painful = classified_one(**TEXTBOOK_BIOMECHANICAL, age_years="70")
    assert painful["mechanism"] == "biomechanical"
    lateral = classified_one(**{**restricted, "hip_pain_location": "lateral"}, age_years="70")
    assert not any(e.startswith("guard=") for e in evidence(lateral))


def test_hip_pain_from_the_day_of_a_fall_or_blow_is_a_hip_hurt_in_the_same_event() -> None:
    for injury in ("fracture", "ligament_injury", "contusion"):
        case = classified_one(
            **TEXTBOOK_BIOMECHANICAL,
            knee_injury=injury,
            injury_date="2026-11-12",
            hip_pain_onset_date="2026-11-12",
        )
        assert case["mechanism"] == "undetermined", injury
        assert case["mechanism_evidence"] == [
            "guard=hip_hurt_in_same_event",
            "days_from_injury_to_hip_pain=0",
            f"knee_injury={injury}",
        ]


def test_same_day_hip_pain_after_a_meniscal_tear_or_a_day_later_is_not_guarded() -> None:
    same_day = {"injury_date": "2026-11-12", "hip_pain_onset_date": "2026-11-12"}
    assert classified_one(**TEXTBOOK_REFERRED, **same_day)["mechanism"] == "referred"
    next_day = {"injury_date": "2026-11-12", "hip_pain_onset_date": "2026-11-13"}
    case = classified_one(**TEXTBOOK_BIOMECHANICAL, knee_injury="fracture", **next_day)
    assert case["mechanism"] == "biomechanical"


def test_when_two_guards_hold_the_first_is_named_alone() -> None:
    case = classified_one(
        **{**TEXTBOOK_BIOMECHANICAL, "hip_rom": "restricted"},
        age_years="60",
        knee_injury="fracture",
        injury_date="2026-11-12",
        hip_pain_onset_date="2026-11-12",
    )
    assert [e for e in evidence(case) if e.startswith("guard=")] == [
        "guard=primary_hip_osteoarthritis"
    ]


def _guarded(record: Record) -> bool:
    age = int(record["age_years"] or 0)
    signs = (
        record["hip_rom"] in ("painful", "restricted") or record["hip_provocation"] == "positive"
    )
    same_day = record["injury_date"] == record["hip_pain_onset_date"] and record["knee_injury"] in (
        "fracture",
        "ligament_injury",
        "contusion",
    )
    old_hip = (
        age >= 50 and record["hip_pain_location"] == "groin" and record["hip_rom"] == "restricted"
    )
    return (age < 16 and signs) or old_hip or same_day


@SETTINGS
@given(valid_records())
def test_a_guard_always_gives_undetermined_with_the_guard_named(records: list[Record]) -> None:
    for record, row in zip(records, classified(*records).iter_rows(named=True), strict=True):
        onset_first = str(record["hip_pain_onset_date"]) < str(record["injury_date"])
        if _guarded(record) and not onset_first:
            assert row["mechanism"] == "undetermined"
            assert row["mechanism_evidence"][0].startswith("guard=")
        else:
            assert not any(e.startswith("guard=") for e in row["mechanism_evidence"])


@SETTINGS
@given(valid_records(), st.sampled_from(["child", "old_hip", "same_day"]))
def test_making_a_guard_hold_never_changes_triage(records: list[Record], guard: str) -> None:
    changes = {
        "child": {"age_years": "12", "hip_rom": "painful"},
        "old_hip": {"age_years": "70", "hip_pain_location": "groin", "hip_rom": "restricted"},
        "same_day": {"knee_injury": "contusion"},
    }[guard]
    guarded = [
        {
            **r,
            **changes,
            **({"injury_date": r["hip_pain_onset_date"]} if guard == "same_day" else {}),
        }
        for r in records
    ]
    before, after = classified(*records), classified(*guarded)
    assert after["mechanism"].to_list() == ["undetermined"] * len(records)
    assert after["triage"].to_list() == before["triage"].to_list()
    assert after["triage_reasons"].to_list() == before["triage_reasons"].to_list()
