"""The mechanism rules on textbook cases: each mechanism with the findings that decide it, mixed
pictures, too little evidence, and hip pain that began before the knee injury."""

from __future__ import annotations

from typing import Final

from pipeline.classify import RULES_VERSION
from pipeline.classify.rules import MECHANISM_RULES, STRONG_EVIDENCE
from tests.classify.cases import classified_one

TEXTBOOK_REFERRED: Final = {
    "knee_injury": "meniscal_tear",
    "knee_effusion": "true",
    "hip_rom": "full_painless",
    "hip_provocation": "negative",
    "trochanteric_tenderness": "false",
    "hip_pain_location": "deep_diffuse",
    "knee_provocation_reproduces_hip_pain": "true",
}
TEXTBOOK_COMPENSATORY: Final = {
    "antalgic_gait": "true",
    "trendelenburg_sign": "true",
    "trochanteric_tenderness": "true",
    "hip_pain_location": "lateral",
    "worse_with_walking": "true",
}
TEXTBOOK_BIOMECHANICAL: Final = {
    "femoral_rotation": "internal",
    "knee_alignment": "valgus",
    "knee_instability": "true",
    "hip_rom": "painful",
    "hip_provocation": "positive",
    "hip_pain_location": "groin",
}


def test_textbook_referred_pain_is_referred_with_every_finding_as_evidence() -> None:
    case = classified_one(**TEXTBOOK_REFERRED)
    assert case["mechanism"] == "referred"
    assert case["mechanism_evidence"] == [
        "knee_provocation_reproduces_hip_pain=true",
        "hip_pain_location=deep_diffuse",
        "hip_rom=full_painless",
        "hip_provocation=negative",
        "trochanteric_tenderness=false",
        "knee_injury=meniscal_tear",
        "knee_effusion=true",
    ]


def test_textbook_compensatory_pain_is_compensatory_with_every_finding_as_evidence() -> None:
    case = classified_one(**TEXTBOOK_COMPENSATORY)
    assert case["mechanism"] == "compensatory"
    assert case["mechanism_evidence"] == [
        "trendelenburg_sign=true",
        "trochanteric_tenderness=true",
        "hip_pain_location=lateral",
        "antalgic_gait=true",
        "worse_with_walking=true",
    ]


def test_textbook_biomechanical_pain_is_biomechanical_with_every_finding_as_evidence() -> None:
    case = classified_one(**TEXTBOOK_BIOMECHANICAL)
    assert case["mechanism"] == "biomechanical"
    assert case["mechanism_evidence"] == [
        "hip_pain_location=groin",
        "femoral_rotation=internal",
        "knee_alignment=valgus",
        "knee_instability=true",
        "hip_rom=painful",
        "hip_provocation=positive",
    ]


def test_strong_evidence_for_compensatory_and_biomechanical_is_mixed() -> None:
    case = classified_one(
        **TEXTBOOK_COMPENSATORY,
        femoral_rotation="external",
        knee_alignment="varus",
        hip_rom="restricted",
    )
    assert case["mechanism"] == "mixed"
    assert case["mechanism_evidence"] == [
        "trendelenburg_sign=true",
        "trochanteric_tenderness=true",
        "hip_pain_location=lateral",
        "antalgic_gait=true",
        "worse_with_walking=true",
        "femoral_rotation=external",
        "knee_alignment=varus",
        "hip_rom=restricted",
    ]


def test_hip_pain_that_began_before_the_knee_injury_is_undetermined() -> None:
    case = classified_one(
        **TEXTBOOK_REFERRED, hip_pain_onset_date="2026-11-01", injury_date="2026-11-05"
    )
    assert case["mechanism"] == "undetermined"
    assert case["mechanism_evidence"] == [
        "hip_pain_onset_date=2026-11-01",
        "injury_date=2026-11-05",
    ]


def test_hip_pain_that_began_on_the_day_of_the_injury_can_have_a_mechanism() -> None:
    case = classified_one(
        **TEXTBOOK_COMPENSATORY, hip_pain_onset_date="2026-11-05", injury_date="2026-11-05"
    )
    assert case["mechanism"] == "compensatory"


def test_a_case_without_findings_is_undetermined_without_evidence() -> None:
    case = classified_one()
    assert (case["mechanism"], case["mechanism_evidence"]) == ("undetermined", [])


def test_evidence_adding_up_to_exactly_the_threshold_is_strong() -> None:
    assert STRONG_EVIDENCE == 5  # lateral 2 + trochanteric tenderness 2 + limp 1
    case = classified_one(
        hip_pain_location="lateral", trochanteric_tenderness="true", antalgic_gait="true"
    )
    assert case["mechanism"] == "compensatory"


def test_evidence_one_short_of_the_threshold_is_undetermined() -> None:
    case = classified_one(
        trendelenburg_sign="true", antalgic_gait="true", worse_with_walking="true"
    )
    assert (case["mechanism"], case["mechanism_evidence"]) == ("undetermined", [])


def test_an_irritated_hip_on_examination_rules_out_referred_pain() -> None:
    case = classified_one(**{**TEXTBOOK_REFERRED, "hip_provocation": "positive"})
    assert case["mechanism"] == "undetermined"


def test_a_tender_trochanter_rules_out_referred_pain() -> None:
    case = classified_one(**{**TEXTBOOK_REFERRED, "trochanteric_tenderness": "true"})
    assert case["mechanism"] != "referred"


def test_a_misaligned_chain_without_an_irritated_hip_is_not_biomechanical() -> None:
    case = classified_one(
        femoral_rotation="internal",
        knee_alignment="valgus",
        knee_instability="true",
        hip_rom="full_painless",
        hip_provocation="negative",
    )
    assert case["mechanism"] == "undetermined"


def test_findings_not_recorded_are_no_evidence() -> None:
    case = classified_one(
        hip_pain_location="deep_diffuse",
        knee_injury="osteoarthritis",
        hip_rom=None,
        hip_provocation=None,
        trochanteric_tenderness=None,
        knee_provocation_reproduces_hip_pain=None,
    )
    assert (case["mechanism"], case["mechanism_evidence"]) == ("undetermined", [])


def test_every_classification_names_the_rule_set_version() -> None:
    assert classified_one()["rules_version"] == RULES_VERSION


def test_every_mechanism_can_reach_strong_evidence() -> None:
    for rule in MECHANISM_RULES:
        assert sum(f.weight for f in rule.findings) >= STRONG_EVIDENCE, rule.mechanism
