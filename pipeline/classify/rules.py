"""The rule set, in one place, for clinicians to read: how a case's findings decide its triage
and the mechanism by which the knee injury led to the hip pain.

Change anything here and bump `RULES_VERSION`: every classification records the version that
produced it, so cases classified under different rules can always be told apart.

Triage follows the contract to the letter (red flags first, then persistent pain despite rest).

Mechanism, in this order (the first that holds decides):

1. hip pain that began before the knee injury: `undetermined` (it did not travel up from the
   knee); the evidence is the two dates;
2. a hip cause to exclude first (`GUARDS`): `undetermined`, the guard named in the evidence as
   `guard=<name>` with the findings that fired it;
3. every mechanism with strong evidence: one gives that mechanism, two or more `mixed`;
4. none: `undetermined`.

Strong evidence for a mechanism: each of its requirements holds (at least one finding of
each), no veto holds, and the weights of its findings present (1 supportive, 2 characteristic,
3 the hallmark), less the weights of findings that weigh against it, reach `STRONG_SHARE` of
the weight the examination could show for it, and at least `MIN_EVIDENCE`. The weight it could
show counts only the fields that were examined: a field not given, or recorded `not_done` /
`not_assessed`, is neither for nor against, so a missing finding never pulls a case below the
threshold by itself (refinement `NOT_EXAMINED`).

Evidence is listed as `field=value` (or a derived finding such as `age_years<16`), in the order
findings first appear in the tables below (a finding two tables share keeps its first place).
Each requirement, veto, weighing and guard names the refinement of the contract
(`shared/spec/intake-record.md`, mechanism "Refinements") it implements and why, in one line.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from pipeline.contract.fields import FIELDS_BY_NAME, FieldType
from pipeline.contract.outputs import Mechanism

RULES_VERSION: Final[str] = "2026.11.2"
"""The version of this rule set, recorded with every classification (year.month.revision)."""

# --- Triage (the contract's "Triage: exact, safety-critical") --------------------------------

# The two thresholds are the contract's own: FEVER_TEMPERATURE_C and PERSISTENT_PAIN_DAYS in
# pipeline.contract.outputs, shared with the generator's ground truth.

# --- Mechanism -------------------------------------------------------------------------------

STRONG_SHARE: Final = 0.5
"""Strong evidence: at least half of the weight the examined findings could show."""
MIN_EVIDENCE: Final = 3
"""...and never less than this weight (two supportive findings are not strong evidence)."""

HALLMARK: Final = 3
CHARACTERISTIC: Final = 2
SUPPORTIVE: Final = 1

NOT_EXAMINED_VALUES: Final[dict[str, tuple[str, ...]]] = {
    "hip_provocation": ("not_done",),
    "femoral_rotation": ("not_assessed",),
    "knee_alignment": ("not_assessed",),
}
"""Recorded values that say the finding was not examined: the same as a field not given."""


class Refinement(StrEnum):
    """Where a rule comes from: the contract's mechanism description or one of its refinements."""

    CONTRACT = "the contract's description of the mechanism"
    REFERRED_NEEDS_THE_KNEE = "referred needs the knee"
    EQUIVOCAL_HIP_SIGN = "one equivocal hip sign weighs against referred; it does not veto it"
    COMPENSATORY_NEEDS_GAIT = "compensatory needs a gait sign"
    TIMING = "timing is evidence"
    HIP_CAUSE_FIRST = "a hip cause to exclude first"


class Measure(StrEnum):
    """Numbers worked out from required fields, compared with a threshold (`Derived`)."""

    AGE_YEARS = "age_years"
    DAYS_FROM_INJURY_TO_HIP_PAIN = "days_from_injury_to_hip_pain"
    """`hip_pain_onset_date - injury_date` in days."""


class Comparison(StrEnum):
    AT_LEAST = ">="
    BELOW = "<"
    EQUALS = "="


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding on the intake form: `field` has `value` (booleans as `true`/`false`)."""

    field: str
    value: str
    weight: int
    meaning: str

    def __post_init__(self) -> None:
        contract = FIELDS_BY_NAME[self.field]  # raises for a field the contract does not have
        allowed = ("true", "false") if contract.type is FieldType.BOOLEAN else contract.allowed
        if self.value not in allowed:
            msg = f"{self.field} cannot be {self.value!r}"
            raise ValueError(msg)

    @property
    def evidence(self) -> str:
        """How the finding is listed as evidence: `field=value`."""
        return f"{self.field}={self.value}"

    @property
    def source(self) -> str:
        """The field the examiner filled in (its weight counts only when examined)."""
        return self.field


@dataclass(frozen=True, slots=True)
class Derived:
    """A finding worked out from required fields: `measure` compared with `threshold`."""

    measure: Measure
    comparison: Comparison
    threshold: int
    weight: int
    meaning: str

    @property
    def evidence(self) -> str:
        """How the finding is listed as evidence, e.g. `age_years<16`."""
        return f"{self.measure.value}{self.comparison.value}{self.threshold}"

    @property
    def source(self) -> str:
        return self.measure.value

    @property
    def fields(self) -> tuple[str, ...]:
        """The contract fields it is worked out from."""
        if self.measure is Measure.AGE_YEARS:
            return ("age_years",)
        return ("hip_pain_onset_date", "injury_date")

    @property
    def field(self) -> str:
        """The first of `fields` (the field named `field` like a `Finding`'s)."""
        return self.fields[0]


Condition = Finding | Derived


@dataclass(frozen=True, slots=True)
class FieldRead:
    """A field a rule reads without it being a finding of its own (e.g. `knee_side`)."""

    field: str


@dataclass(frozen=True, slots=True)
class Requirement:
    """At least one of `any_of` must be present; `refinement` and `reason` say why."""

    refinement: Refinement
    reason: str
    any_of: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class SameSide:
    """The hip pain is on the injured knee's side, or both sides (`hip_pain_side`, `knee_side`)."""

    refinement: Refinement
    reason: str


@dataclass(frozen=True, slots=True)
class MechanismRule:
    """The findings that speak for a mechanism, what it requires, what weighs against it (a
    negative weight each) and how many of those veto it outright."""

    mechanism: Mechanism
    explanation: str
    findings: tuple[Condition, ...]
    requires: tuple[Requirement, ...] = ()
    weighs_against: Requirement | None = None
    """Findings (their weight subtracted) that argue against the mechanism."""
    vetoed_by: Requirement | None = None
    """Findings any one of which rules the mechanism out."""
    vetoed_from: int = 0
    """With `weighs_against`: this many of them together rule it out (0: never)."""
    same_side_as_knee: SameSide | None = None
    """The hip pain must be on the side of the injured knee, or both sides."""

    @property
    def requires_one_of(self) -> tuple[Condition | FieldRead, ...]:
        """Every condition of every requirement, and the side fields when the side matters.

        With `ruled_out_by` and `findings`, this names every field the rule reads, as
        `pipeline.load.classifications` (which reads only those back from the database for a
        re-classification) expects of a rule."""
        sides = (
            (FieldRead("hip_pain_side"), FieldRead("knee_side")) if self.same_side_as_knee else ()
        )
        return (*(c for r in self.requires for c in r.any_of), *sides)

    @property
    def ruled_out_by(self) -> tuple[Condition, ...]:
        """What weighs against or vetoes the mechanism, and the findings of every guard (a hip
        cause to exclude first rules every mechanism out)."""
        own = (r for r in (self.weighs_against, self.vetoed_by) if r is not None)
        guards = (r for guard in GUARDS for r in guard.all_of)
        return tuple(c for r in (*own, *guards) for c in r.any_of)


@dataclass(frozen=True, slots=True)
class Guard:
    """A hip cause to exclude first: when each requirement holds, the mechanism is
    `undetermined` and the evidence is `guard=<name>` then the findings that fired it."""

    name: str
    refinement: Refinement
    reason: str
    all_of: tuple[Requirement, ...]

    @property
    def evidence(self) -> str:
        return f"guard={self.name}"


def _finding(field: str, value: str, weight: int, meaning: str) -> Finding:
    return Finding(field, value, weight, meaning)


_GROIN = _finding("hip_pain_location", "groin", SUPPORTIVE, "groin pain, deep in the joint")
_ROM_PAINFUL = _finding("hip_rom", "painful", SUPPORTIVE, "moving the hip hurts")
_ROM_RESTRICTED = _finding("hip_rom", "restricted", SUPPORTIVE, "the hip's motion is restricted")
_PROVOCATION_POSITIVE = _finding(
    "hip_provocation", "positive", SUPPORTIVE, "hip tests reproduce the pain"
)
_HIP_SIGNS: Final = (_ROM_PAINFUL, _ROM_RESTRICTED, _PROVOCATION_POSITIVE)
_CHAIN_OUT_OF_LINE: Final = (
    _finding("femoral_rotation", "internal", CHARACTERISTIC, "the femur is rotated"),
    _finding("femoral_rotation", "external", CHARACTERISTIC, "the femur is rotated"),
    _finding("knee_alignment", "valgus", CHARACTERISTIC, "the knee is out of line"),
    _finding("knee_alignment", "varus", CHARACTERISTIC, "the knee is out of line"),
    _finding("knee_instability", "true", SUPPORTIVE, "the knee gives way"),
)
_TROCHANTER_TENDER = _finding(
    "trochanteric_tenderness", "true", CHARACTERISTIC, "tender over the greater trochanter"
)
_KNEE_PROVOCATION = _finding(
    "knee_provocation_reproduces_hip_pain",
    "true",
    HALLMARK,
    "loading or examining the knee brings on the hip pain",
)
_MENISCAL_TEAR = _finding("knee_injury", "meniscal_tear", SUPPORTIVE, "an irritating knee lesion")
_KNEE_OSTEOARTHRITIS = _finding(
    "knee_injury", "osteoarthritis", SUPPORTIVE, "an irritating knee lesion"
)
_KNEE_EFFUSION = _finding("knee_effusion", "true", SUPPORTIVE, "an effusion: the knee is irritated")
_DEEP_DIFFUSE = _finding(
    "hip_pain_location", "deep_diffuse", CHARACTERISTIC, "a poorly localised deep ache"
)
_ANTALGIC_GAIT = _finding("antalgic_gait", "true", SUPPORTIVE, "a limp, stance on the knee short")
_TRENDELENBURG = _finding(
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
        _finding("hip_rom", "full_painless", SUPPORTIVE, "the hip moves fully without pain"),
        _finding("hip_provocation", "negative", SUPPORTIVE, "hip tests do not bring on the pain"),
        _finding("trochanteric_tenderness", "false", SUPPORTIVE, "no tenderness at the trochanter"),
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
            _finding("hip_rom", "painful", CHARACTERISTIC, "moving the hip hurts"),
            _finding("hip_provocation", "positive", CHARACTERISTIC, "hip tests reproduce the pain"),
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
        _finding("hip_pain_location", "lateral", CHARACTERISTIC, "pain over the side of the hip"),
        _ANTALGIC_GAIT,
        _finding("worse_with_walking", "true", SUPPORTIVE, "walking, the overuse, makes it worse"),
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
        _finding(
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
                    _finding("knee_injury", "fracture", 0, "a fracture"),
                    _finding("knee_injury", "ligament_injury", 0, "a torn ligament"),
                    _finding("knee_injury", "contusion", 0, "a blow to the knee"),
                ),
            ),
        ),
    ),
)
"""Hip causes to exclude first, in the order they are checked (the first that holds is
named)."""

RULE_FIELDS: Final = tuple(
    dict.fromkeys(
        field
        for rule in MECHANISM_RULES
        for c in (*rule.findings, *rule.requires_one_of, *rule.ruled_out_by)
        for field in (c.fields if isinstance(c, Derived) else (c.field,))
    )
)
"""Every contract field the mechanism rules read."""

ONSET_FIELD: Final = "hip_pain_onset_date"
INJURY_FIELD: Final = "injury_date"
"""Hip pain with an onset before the knee injury: the mechanism is undetermined."""
