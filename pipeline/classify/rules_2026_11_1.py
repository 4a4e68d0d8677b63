"""Mechanism rules 2026.11.1, frozen as they were when 2026.11.2 replaced them: a database where
they are in force keeps classifying new cases by them until 2026.11.2 is approved. Do not change
them; a change is a new version."""

from __future__ import annotations

from typing import Final

from pipeline.classify.rule_terms import (
    CHARACTERISTIC,
    HALLMARK,
    SUPPORTIVE,
    MechanismRule,
    Refinement,
    Requirement,
    RuleSet,
    finding,
)
from pipeline.contract.outputs import Mechanism

VERSION: Final = "2026.11.1"

# A mechanism has strong evidence when the weights of its findings present add up to 5 or more,
# any finding it requires is present and none that rules it out is. One mechanism with strong
# evidence gives it, two or more `mixed`, none (or hip pain that began before the knee injury)
# `undetermined`. No guards, and a field not examined is simply absent.

_HIP_IRRITATED_ON_EXAM: Final = Requirement(
    Refinement.CONTRACT,
    "the hip is irritated on examination",
    (
        finding("hip_rom", "painful", SUPPORTIVE, "moving the hip hurts"),
        finding("hip_rom", "restricted", SUPPORTIVE, "the hip's range of motion is restricted"),
        finding("hip_provocation", "positive", SUPPORTIVE, "hip tests reproduce the pain"),
    ),
)

REFERRED: Final = MechanismRule(
    Mechanism.REFERRED,
    "Pain from an irritated knee felt in the hip through shared nerves (femoral, obturator, "
    "L2-L4): the hip itself is structurally quiet.",
    findings=(
        finding(
            "knee_provocation_reproduces_hip_pain",
            "true",
            HALLMARK,
            "loading or examining the knee brings on the hip pain",
        ),
        finding(
            "hip_pain_location",
            "deep_diffuse",
            CHARACTERISTIC,
            "a poorly localised deep ache, as referred pain is felt",
        ),
        finding("hip_pain_location", "groin", SUPPORTIVE, "groin pain, in the nerves' territory"),
        finding("hip_rom", "full_painless", SUPPORTIVE, "the hip moves fully without pain"),
        finding("hip_provocation", "negative", SUPPORTIVE, "hip tests do not bring on the pain"),
        finding("trochanteric_tenderness", "false", SUPPORTIVE, "no tenderness at the trochanter"),
        finding("knee_injury", "meniscal_tear", SUPPORTIVE, "an irritating lesion in the knee"),
        finding("knee_injury", "osteoarthritis", SUPPORTIVE, "an irritating lesion in the knee"),
        finding("knee_effusion", "true", SUPPORTIVE, "an effusion: the knee joint is irritated"),
    ),
    vetoed_by=Requirement(
        Refinement.CONTRACT,
        "any sign of an irritated hip or a tender trochanter rules referral out",
        (
            *_HIP_IRRITATED_ON_EXAM.any_of,
            finding("trochanteric_tenderness", "true", SUPPORTIVE, "the trochanter is tender"),
        ),
    ),
)

COMPENSATORY: Final = MechanismRule(
    Mechanism.COMPENSATORY,
    "Gluteal overuse from walking around the injured knee (greater trochanteric pain "
    "syndrome): the limp overloads gluteus medius and minimus.",
    findings=(
        finding(
            "trendelenburg_sign",
            "true",
            CHARACTERISTIC,
            "the pelvis drops on single-leg stance: gluteal weakness",
        ),
        finding(
            "trochanteric_tenderness", "true", CHARACTERISTIC, "tender over the greater trochanter"
        ),
        finding("hip_pain_location", "lateral", CHARACTERISTIC, "pain over the side of the hip"),
        finding("antalgic_gait", "true", SUPPORTIVE, "a limp that shortens stance on the knee"),
        finding("worse_with_walking", "true", SUPPORTIVE, "walking, the overuse, makes it worse"),
    ),
)

BIOMECHANICAL: Final = MechanismRule(
    Mechanism.BIOMECHANICAL,
    "The kinetic chain out of line loads the hip joint abnormally: a rotated femur, a "
    "valgus or varus or unstable knee, with a hip that is irritated on examination.",
    findings=(
        finding("femoral_rotation", "internal", CHARACTERISTIC, "the femur is rotated"),
        finding("femoral_rotation", "external", CHARACTERISTIC, "the femur is rotated"),
        finding("knee_alignment", "valgus", CHARACTERISTIC, "the knee is out of line"),
        finding("knee_alignment", "varus", CHARACTERISTIC, "the knee is out of line"),
        finding("knee_instability", "true", SUPPORTIVE, "the knee gives way"),
        *_HIP_IRRITATED_ON_EXAM.any_of,
        finding("hip_pain_location", "groin", SUPPORTIVE, "groin pain, from the hip joint"),
    ),
    requires=(_HIP_IRRITATED_ON_EXAM,),
)

RULES: Final = RuleSet(VERSION, (REFERRED, COMPENSATORY, BIOMECHANICAL), min_evidence=5)
"""Strong evidence at a total weight of 5, whatever was examined (no share, no guards)."""
