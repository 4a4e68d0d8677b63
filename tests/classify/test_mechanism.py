"""The mechanism rules (2026.11.2) on textbook cases: each mechanism with the findings that
decide it, mixed pictures, too little evidence, hip pain that began before the knee injury, and
findings that were not examined."""

from __future__ import annotations

from typing import Final

from pipeline.classify import RULES_VERSION
from pipeline.classify.rules import MECHANISM_RULES, MIN_EVIDENCE, RULE_FIELDS
from pipeline.load.classifications import CLASSIFIER_FIELDS
from tests.classify.cases import classified_one


def evidence(case: dict[str, object]) -> list[str]:
    """The case's evidence list (typed for the checker)."""
    listed = case["mechanism_evidence"]
    assert isinstance(listed, list)
    return [str(item) for item in listed]


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


def test_textbook_compensatory_pain_is_compensatory_with_its_timing_as_evidence() -> None:
    # the baseline's hip pain began 5 days after the injury: days of limping
    case = classified_one(**TEXTBOOK_COMPENSATORY)
    assert case["mechanism"] == "compensatory"
    assert case["mechanism_evidence"] == [
        "trendelenburg_sign=true",
        "trochanteric_tenderness=true",
        "hip_pain_location=lateral",
        "antalgic_gait=true",
        "worse_with_walking=true",
        "days_from_injury_to_hip_pain>=3",
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
        "days_from_injury_to_hip_pain>=3",
        "femoral_rotation=external",
        "knee_alignment=varus",
        "hip_rom=restricted",
    ]


# --- referred needs the knee --------------------------------------------------------------


def test_a_quiet_hip_and_a_deep_ache_without_the_knee_is_not_referred() -> None:
    # what 2026.11.1 called referred: three "hip quiet" negatives and a deep ache
    case = classified_one(
        knee_injury="contusion",
        knee_effusion="false",
        knee_provocation_reproduces_hip_pain="false",
        hip_rom="full_painless",
        hip_provocation="negative",
        trochanteric_tenderness="false",
        hip_pain_location="deep_diffuse",
    )
    assert case["mechanism"] == "undetermined"


def test_knee_loading_that_reproduces_the_pain_is_a_knee_source_on_its_own() -> None:
    case = classified_one(
        **{**TEXTBOOK_REFERRED, "knee_injury": "contusion", "knee_effusion": "false"}
    )
    assert case["mechanism"] == "referred"


def test_referred_pain_is_not_felt_at_the_side_of_the_hip_or_the_buttock() -> None:
    for location in ("lateral", "buttock"):
        case = classified_one(**{**TEXTBOOK_REFERRED, "hip_pain_location": location})
        assert case["mechanism"] == "undetermined", location


def test_groin_pain_can_be_referred() -> None:
    case = classified_one(**{**TEXTBOOK_REFERRED, "hip_pain_location": "groin"})
    assert case["mechanism"] == "referred"


def test_referred_pain_is_on_the_side_of_the_knee_or_both() -> None:
    assert classified_one(**TEXTBOOK_REFERRED, hip_pain_side="right")["mechanism"] == (
        "undetermined"
    )
    assert classified_one(**TEXTBOOK_REFERRED, hip_pain_side="both")["mechanism"] == "referred"


# --- one equivocal hip sign weighs against referred; it does not veto it --------------------


def test_one_equivocal_hip_sign_does_not_veto_a_referral_with_strong_knee_evidence() -> None:
    for sign in ({"hip_rom": "painful"}, {"hip_provocation": "positive"}):
        case = classified_one(**{**TEXTBOOK_REFERRED, **sign})
        assert case["mechanism"] == "referred", sign


def test_an_equivocal_hip_sign_weighs_against_a_referral_with_little_else() -> None:
    # deep ache 2 + lesion 1 + effusion 1 + quiet provocation 1 would be strong (5 of 9) ...
    weak = {
        "knee_injury": "meniscal_tear",
        "knee_effusion": "true",
        "hip_pain_location": "deep_diffuse",
        "hip_provocation": "negative",
        "knee_provocation_reproduces_hip_pain": "false",
    }
    assert classified_one(**weak, hip_rom="full_painless")["mechanism"] == "referred"
    # ... a painful hip on moving takes 2 away and its own 1: no longer strong
    assert classified_one(**weak, hip_rom="painful")["mechanism"] == "undetermined"


def test_two_hip_signs_or_a_restricted_hip_rule_referral_out() -> None:
    two = {**TEXTBOOK_REFERRED, "hip_rom": "painful", "hip_provocation": "positive"}
    assert classified_one(**two)["mechanism"] != "referred"
    restricted = {**TEXTBOOK_REFERRED, "hip_rom": "restricted"}
    assert classified_one(**restricted)["mechanism"] != "referred"


def test_referred_pain_with_a_limp_and_a_tender_trochanter_is_mixed() -> None:
    case = classified_one(
        **{**TEXTBOOK_REFERRED, "trochanteric_tenderness": "true"},
        antalgic_gait="true",
        trendelenburg_sign="true",
        worse_with_walking="true",
    )
    assert case["mechanism"] == "mixed"
    assert "knee_provocation_reproduces_hip_pain=true" in evidence(case)
    assert "trochanteric_tenderness=true" in evidence(case)


# --- compensatory needs a gait sign; timing is evidence --------------------------------------


def test_trochanteric_pain_without_an_altered_gait_is_not_compensatory() -> None:
    case = classified_one(
        **{**TEXTBOOK_COMPENSATORY, "antalgic_gait": "false", "trendelenburg_sign": "false"}
    )
    assert case["mechanism"] == "undetermined"


def test_either_gait_sign_is_enough() -> None:
    limp_only = {**TEXTBOOK_COMPENSATORY, "trendelenburg_sign": "false"}
    pelvis_drop_only = {**TEXTBOOK_COMPENSATORY, "antalgic_gait": "false"}
    assert classified_one(**limp_only)["mechanism"] == "compensatory"
    assert classified_one(**pelvis_drop_only)["mechanism"] == "compensatory"


def test_days_of_limping_before_the_hip_pain_tip_a_borderline_case_to_compensatory() -> None:
    # lateral 2 + limp 1 + walking 1 = 4 of 9 examined: short of half; 3+ days adds the fifth
    borderline = {
        "hip_pain_location": "lateral",
        "antalgic_gait": "true",
        "worse_with_walking": "true",
        "trendelenburg_sign": "false",
        "trochanteric_tenderness": "false",
        "injury_date": "2026-11-10",
    }
    late = classified_one(**borderline, hip_pain_onset_date="2026-11-13")
    early = classified_one(**borderline, hip_pain_onset_date="2026-11-11")
    assert late["mechanism"] == "compensatory"
    assert "days_from_injury_to_hip_pain>=3" in evidence(late)
    assert early["mechanism"] == "undetermined"


# --- findings not examined are not negative findings ------------------------------------------


def test_a_textbook_case_stays_strong_when_unexamined_fields_are_left_out() -> None:
    referred = {
        **TEXTBOOK_REFERRED,
        "hip_rom": None,
        "hip_provocation": "not_done",
        "trochanteric_tenderness": None,
    }
    assert classified_one(**referred)["mechanism"] == "referred"
    compensatory = {
        **TEXTBOOK_COMPENSATORY,
        "trochanteric_tenderness": None,
        "worse_with_walking": None,
    }
    assert classified_one(**compensatory)["mechanism"] == "compensatory"
    biomechanical = {**TEXTBOOK_BIOMECHANICAL, "knee_alignment": "not_assessed"}
    assert classified_one(**biomechanical)["mechanism"] == "biomechanical"


def test_findings_not_recorded_are_no_evidence() -> None:
    case = classified_one(
        hip_pain_location="deep_diffuse",
        knee_injury="contusion",
        hip_rom=None,
        hip_provocation=None,
        trochanteric_tenderness=None,
        knee_provocation_reproduces_hip_pain=None,
    )
    assert (case["mechanism"], case["mechanism_evidence"]) == ("undetermined", [])


def test_two_supportive_findings_alone_are_never_strong() -> None:
    assert MIN_EVIDENCE == 3
    # a limp that is worse on walking, from the day of an injury that is no fall or blow
    case = classified_one(
        knee_injury="other",
        antalgic_gait="true",
        worse_with_walking="true",
        hip_pain_onset_date="2026-11-10",
    )
    assert case["mechanism"] == "undetermined"


# --- onset and the rest -------------------------------------------------------------------


def test_hip_pain_that_began_before_the_knee_injury_is_undetermined() -> None:
    case = classified_one(
        **TEXTBOOK_REFERRED, hip_pain_onset_date="2026-11-01", injury_date="2026-11-05"
    )
    assert case["mechanism"] == "undetermined"
    assert case["mechanism_evidence"] == [
        "hip_pain_onset_date=2026-11-01",
        "injury_date=2026-11-05",
    ]


def test_a_case_without_findings_is_undetermined_without_evidence() -> None:
    case = classified_one()
    assert (case["mechanism"], case["mechanism_evidence"]) == ("undetermined", [])


def test_a_misaligned_chain_without_an_irritated_hip_is_not_biomechanical() -> None:
    case = classified_one(
        femoral_rotation="internal",
        knee_alignment="valgus",
        knee_instability="true",
        hip_rom="full_painless",
        hip_provocation="negative",
    )
    assert case["mechanism"] == "undetermined"


def test_an_irritated_hip_without_the_chain_out_of_line_is_not_biomechanical() -> None:
    case = classified_one(hip_rom="painful", hip_provocation="positive", hip_pain_location="groin")
    assert case["mechanism"] == "undetermined"


def test_every_classification_names_the_rule_set_version() -> None:
    assert RULES_VERSION == "2026.11.2"
    assert classified_one()["rules_version"] == RULES_VERSION


def test_every_mechanism_can_reach_strong_evidence() -> None:
    for rule in MECHANISM_RULES:
        assert sum(f.weight for f in rule.findings) >= MIN_EVIDENCE, rule.mechanism


def test_reclassification_reads_back_every_field_the_rules_need() -> None:
    # pipeline.load.classifications reads only these fields of a stored case
    assert set(RULE_FIELDS) <= set(CLASSIFIER_FIELDS)
    assert {"age_years", "knee_side", "hip_pain_side"} <= set(CLASSIFIER_FIELDS)


def test_groin_pain_is_characteristic_of_a_mechanically_loaded_hip_joint() -> None:
    # a rotated femur 2 + a painful hip 1: with groin pain (2) strong, with lateral pain not
    borderline = {
        "femoral_rotation": "internal",
        "knee_alignment": "neutral",
        "knee_instability": "false",
        "hip_rom": "painful",
        "hip_provocation": "negative",
    }
    assert classified_one(**borderline, hip_pain_location="groin")["mechanism"] == ("biomechanical")
    assert classified_one(**borderline, hip_pain_location="lateral")["mechanism"] == (
        "undetermined"
    )
