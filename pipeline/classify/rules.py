"""The rule set, in one place, for clinicians to read: how a case's findings decide its triage
and the mechanism by which the knee injury led to the hip pain (walked through in docs/data.md)."""

from __future__ import annotations

from typing import Final

from pipeline.classify.rule_terms import (
    CHARACTERISTIC,
    HALLMARK,
    SUPPORTIVE,
    Comparison,
    Derived,
    Guard,
    Measure,
    MechanismRule,
    Refinement,
    Requirement,
    RuleSet,
    SameSide,
    finding,
)
from pipeline.contract.outputs import Mechanism

# Change anything here and bump RULES_VERSION, and keep the rule set it replaces as it was, in a
# frozen module of its own registered in pipeline.classify.versions (as 2026.11.1 is): every
# classification records its version, and a database keeps classifying new cases by the version
# in force there until the new one is approved (`intake rules impact`, `intake rules approve`).
RULES_VERSION: Final[str] = "2026.11.2"
"""The version of this rule set, recorded with every classification (year.month.revision)."""

# --- Triage (the contract's "Triage: exact, safety-critical") --------------------------------

# The two thresholds are the contract's own: FEVER_TEMPERATURE_C and PERSISTENT_PAIN_DAYS in
# pipeline.contract.outputs, shared with the generator's ground truth.

# --- Mechanism -------------------------------------------------------------------------------

# In this order, the first that holds decides: hip pain that began before the knee injury is
# `undetermined` (evidence: the two dates); a hip cause to exclude first (GUARDS) is
# `undetermined` with `guard=<name>` and the findings that fired it; every mechanism with strong
# evidence: one gives that mechanism, two or more `mixed`; none: `undetermined`.
#
# Strong evidence: each requirement holds (at least one finding of each), no veto holds, and the
# weights of the findings present (1 supportive, 2 characteristic, 3 the hallmark), less those
# that weigh against, reach STRONG_SHARE of the weight the examined fields could show, and at
# least MIN_EVIDENCE. A field not given or recorded as not examined (NOT_EXAMINED_VALUES) is
# neither for nor against, so a missing finding never pulls a case below the threshold by itself
# (refinement NOT_EXAMINED). Evidence is listed as `field=value` (or a derived finding such as
# `age_years<16`) in the order findings first appear in the tables below (a finding two tables
# share keeps its first place). Each requirement, veto, weighing and guard names the refinement
# of the contract (shared/spec/intake-record.md, mechanism "Refinements") it implements and why.

STRONG_SHARE: Final = 0.5
"""Strong evidence: at least half of the weight the examined findings could show."""
MIN_EVIDENCE: Final = 3
"""...and never less than this weight (two supportive findings are not strong evidence)."""


NOT_EXAMINED_VALUES: Final[dict[str, tuple[str, ...]]] = {
    "hip_provocation": ("not_done",),
    "femoral_rotation": ("not_assessed",),
    "knee_alignment": ("not_assessed",),
}
"""Recorded values that say the finding was not examined: the same as a field not given."""


_GROIN = finding("hip_pain_location", "groin", SUPPORTIVE, "groin pain, deep in the joint")
_ROM_PAINFUL = finding("hip_rom", "painful", SUPPORTIVE, "moving the hip hurts")
_ROM_RESTRICTED = finding("hip_rom", "restricted", SUPPORTIVE, "the hip's motion is restricted")
_PROVOCATION_POSITIVE = finding(
    "hip_provocation", "positive", SUPPORTIVE, "hip tests reproduce the pain"
)
_HIP_SIGNS: Final = (_ROM_PAINFUL, _ROM_RESTRICTED, _PROVOCATION_POSITIVE)
_CHAIN_OUT_OF_LINE: Final = (
    finding("femoral_rotation", "internal", CHARACTERISTIC, "the femur is rotated"),
    finding("femoral_rotation", "external", CHARACTERISTIC, "the femur is rotated"),
    finding("knee_alignment", "valgus", CHARACTERISTIC, "the knee is out of line"),
    finding("knee_alignment", "varus", CHARACTERISTIC, "the knee is out of line"),
    finding("knee_instability", "true", SUPPORTIVE, "the knee gives way"),
)
_TROCHANTER_TENDER = finding(
    "trochanteric_tenderness", "true", CHARACTERISTIC, "tender over the greater trochanter"
)
_KNEE_PROVOCATION = finding(
    "knee_provocation_reproduces_hip_pain",
    "true",
    HALLMARK,
    "loading or examining the knee brings on the hip pain",
)
_MENISCAL_TEAR = finding("knee_injury", "meniscal_tear", SUPPORTIVE, "an irritating knee lesion")
_KNEE_OSTEOARTHRITIS = finding(
    "knee_injury", "osteoarthritis", SUPPORTIVE, "an irritating knee lesion"
)
_KNEE_EFFUSION = finding("knee_effusion", "true", SUPPORTIVE, "an effusion: the knee is irritated")
_DEEP_DIFFUSE = finding(
    "hip_pain_location", "deep_diffuse", CHARACTERISTIC, "a poorly localised deep ache"
)
_ANTALGIC_GAIT = finding("antalgic_gait", "true", SUPPORTIVE, "a limp, stance on the knee short")
_TRENDELENBURG = finding(
    "trendelenburg_sign", "true", CHARACTERISTIC, "the pelvis drops: gluteal weakness"
)

REFERRED: Final = MechanismRule(
    Mechanism.REFERRED,
    "Pain from an irritated knee felt in the hip through shared nerves (femoral, obturator, "
    "L2-L4): the hip itself is structurally quiet.",
    findings=(
        _KNEE_PROVOCATION,
        _DEEP_DIFFUSE,
        _GROIN,
        finding("hip_rom", "full_painless", SUPPORTIVE, "the hip moves fully without pain"),
        finding("hip_provocation", "negative", SUPPORTIVE, "hip tests do not bring on the pain"),
        finding("trochanteric_tenderness", "false", SUPPORTIVE, "no tenderness at the trochanter"),
        _MENISCAL_TEAR,
        _KNEE_OSTEOARTHRITIS,
        _KNEE_EFFUSION,
    ),
    requires=(
        Requirement(
            Refinement.REFERRED_NEEDS_THE_KNEE,
            "referred pain needs a source in the knee: a lesion, an effusion or a knee that "
            "reproduces the pain when loaded; a quiet hip alone is not a referral",
            (_MENISCAL_TEAR, _KNEE_OSTEOARTHRITIS, _KNEE_EFFUSION, _KNEE_PROVOCATION),
        ),
        Requirement(
            Refinement.REFERRED_NEEDS_THE_KNEE,
            "the femoral and obturator nerves refer to the groin and as a deep ache, not to the "
            "side of the hip or the buttock",
            (_DEEP_DIFFUSE, _GROIN),
        ),
    ),
    same_side_as_knee=SameSide(
        Refinement.REFERRED_NEEDS_THE_KNEE,
        "a nerve refers pain on its own side: the hip pain is on the knee's side (or both)",
    ),
    weighs_against=Requirement(
        Refinement.EQUIVOCAL_HIP_SIGN,
        "a painful hip on moving or testing, or a tender trochanter, can come from guarding or "
        "limping: one such sign counts against referral, it does not exclude it",
        (
            finding("hip_rom", "painful", CHARACTERISTIC, "moving the hip hurts"),
            finding("hip_provocation", "positive", CHARACTERISTIC, "hip tests reproduce the pain"),
            _TROCHANTER_TENDER,
        ),
    ),
    vetoed_from=2,
    vetoed_by=Requirement(
        Refinement.EQUIVOCAL_HIP_SIGN,
        "a restricted hip is structural disease of the hip, not an equivocal sign: the hip is "
        "not quiet (two equivocal signs together say the same)",
        (_ROM_RESTRICTED,),
    ),
)

COMPENSATORY: Final = MechanismRule(
    Mechanism.COMPENSATORY,
    "Gluteal overuse from walking around the injured knee (greater trochanteric pain "
    "syndrome): the limp overloads gluteus medius and minimus.",
    findings=(
        _TRENDELENBURG,
        _TROCHANTER_TENDER,
        finding("hip_pain_location", "lateral", CHARACTERISTIC, "pain over the side of the hip"),
        _ANTALGIC_GAIT,
        finding("worse_with_walking", "true", SUPPORTIVE, "walking, the overuse, makes it worse"),
        Derived(
            Measure.DAYS_FROM_INJURY_TO_HIP_PAIN,
            Comparison.AT_LEAST,
            3,
            SUPPORTIVE,
            "timing is evidence: gluteal overuse builds over days to weeks of altered gait",
        ),
    ),
    requires=(
        Requirement(
            Refinement.COMPENSATORY_NEEDS_GAIT,
            "without an altered gait, trochanteric pain is ordinary trochanteric pain syndrome, "
            "which needs no knee",
            (_ANTALGIC_GAIT, _TRENDELENBURG),
        ),
    ),
)

BIOMECHANICAL: Final = MechanismRule(
    Mechanism.BIOMECHANICAL,
    "The kinetic chain out of line loads the hip joint abnormally: a rotated femur, a "
    "valgus or varus or unstable knee, with a hip that is irritated on examination.",
    findings=(
        *_CHAIN_OUT_OF_LINE,
        *_HIP_SIGNS,
        finding(
            "hip_pain_location", "groin", CHARACTERISTIC, "groin pain: the hip joint itself hurts"
        ),
    ),
    requires=(
        Requirement(
            Refinement.CONTRACT,
            "mechanical loading irritates the hip joint: without an irritated hip on "
            "examination there is nothing for the chain to explain",
            _HIP_SIGNS,
        ),
        Requirement(
            Refinement.CONTRACT,
            "the mechanism is the chain out of line: a rotated femur, a valgus, varus or "
            "unstable knee",
            _CHAIN_OUT_OF_LINE,
        ),
    ),
)

MECHANISM_RULES: Final = (REFERRED, COMPENSATORY, BIOMECHANICAL)
"""The mechanisms a rule decides, in the order their evidence is listed."""

_HIP_SIGN_PRESENT: Final = Requirement(
    Refinement.HIP_CAUSE_FIRST,
    "the hip itself is painful or restricted, or tests positive",
    _HIP_SIGNS,
)

GUARDS: Final = (
    Guard(
        "child_with_hip_signs",
        Refinement.HIP_CAUSE_FIRST,
        "a child's hip signs may be a slipped epiphysis or Perthes disease, which present as "
        "knee pain: exclude them before blaming the knee",
        (
            Requirement(
                Refinement.HIP_CAUSE_FIRST,
                "under 16: the growth plate is open",
                (Derived(Measure.AGE_YEARS, Comparison.BELOW, 16, 0, "under 16"),),
            ),
            _HIP_SIGN_PRESENT,
        ),
    ),
    Guard(
        "primary_hip_osteoarthritis",
        Refinement.HIP_CAUSE_FIRST,
        "groin pain with a restricted hip from 50 on is primary hip osteoarthritis until shown "
        "otherwise",
        (
            Requirement(
                Refinement.HIP_CAUSE_FIRST,
                "50 or older",
                (Derived(Measure.AGE_YEARS, Comparison.AT_LEAST, 50, 0, "50 or older"),),
            ),
            Requirement(Refinement.HIP_CAUSE_FIRST, "groin pain", (_GROIN,)),
            Requirement(Refinement.HIP_CAUSE_FIRST, "a restricted hip", (_ROM_RESTRICTED,)),
        ),
    ),
    Guard(
        "hip_hurt_in_same_event",
        Refinement.HIP_CAUSE_FIRST,
        "hip pain from the day of a fracture, torn ligament or blow may be the hip injured in "
        "the same event: it did not travel up from the knee",
        (
            Requirement(
                Refinement.HIP_CAUSE_FIRST,
                "the hip began to hurt on the day of the injury",
                (
                    Derived(
                        Measure.DAYS_FROM_INJURY_TO_HIP_PAIN,
                        Comparison.EQUALS,
                        0,
                        0,
                        "the hip pain began on the day of the injury",
                    ),
                ),
            ),
            Requirement(
                Refinement.HIP_CAUSE_FIRST,
                "an injury from force that can hurt the hip as well",
                (
                    finding("knee_injury", "fracture", 0, "a fracture"),
                    finding("knee_injury", "ligament_injury", 0, "a torn ligament"),
                    finding("knee_injury", "contusion", 0, "a blow to the knee"),
                ),
            ),
        ),
    ),
)
"""Hip causes to exclude first, in the order they are checked (the first that holds is
named)."""

RULES: Final = RuleSet(
    RULES_VERSION,
    MECHANISM_RULES,
    GUARDS,
    min_evidence=MIN_EVIDENCE,
    strong_share=STRONG_SHARE,
    not_examined=tuple(NOT_EXAMINED_VALUES.items()),
)
"""This rule set, whole."""

RULE_FIELDS: Final = RULES.fields
"""Every contract field the mechanism rules read."""

ONSET_FIELD: Final = "hip_pain_onset_date"
INJURY_FIELD: Final = "injury_date"
"""Hip pain with an onset before the knee injury: the mechanism is undetermined."""
