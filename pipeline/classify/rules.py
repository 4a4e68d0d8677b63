"""The rule set, in one place, for clinicians to read: how a case's findings decide its triage
and the mechanism by which the knee injury led to the hip pain.

Change anything here and bump `RULES_VERSION`: every classification records the version that
produced it, so cases classified under different rules can always be told apart.

Triage follows the contract to the letter (red flags first, then persistent pain despite rest).

Mechanism: each mechanism has a table of findings, each with a weight (how strongly it speaks
for the mechanism: 1 supportive, 2 characteristic, 3 the hallmark). A mechanism has strong
evidence when the weights of its findings present add up to `STRONG_EVIDENCE` or more, any
finding it requires is present and no finding that rules it out is present. A finding counts
only when the form records it (a field not filled in is no evidence either way).

- one mechanism with strong evidence: that mechanism;
- two or more: `mixed`;
- none, or hip pain that began before the knee injury: `undetermined` (pain that was there
  before the injury did not travel up from the knee).

Evidence is listed as `field=value`, in the order findings first appear in the tables below
(a finding two tables share, such as groin pain, keeps its first place).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from pipeline.contract.fields import FIELDS_BY_NAME, FieldType
from pipeline.contract.outputs import Mechanism

RULES_VERSION: Final[str] = "2026.11.1"
"""The version of this rule set, recorded with every classification (year.month.revision)."""

# --- Triage (the contract's "Triage: exact, safety-critical") --------------------------------

# The two thresholds are the contract's own: FEVER_TEMPERATURE_C and PERSISTENT_PAIN_DAYS in
# pipeline.contract.outputs, shared with the generator's ground truth.

# --- Mechanism -------------------------------------------------------------------------------

STRONG_EVIDENCE: Final = 5
"""The total weight of findings at which a mechanism has strong evidence."""

HALLMARK: Final = 3
CHARACTERISTIC: Final = 2
SUPPORTIVE: Final = 1


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


@dataclass(frozen=True, slots=True)
class MechanismRule:
    """The findings that speak for a mechanism, those it requires (at least one of them) and
    those that rule it out."""

    mechanism: Mechanism
    explanation: str
    findings: tuple[Finding, ...]
    requires_one_of: tuple[Finding, ...] = ()
    ruled_out_by: tuple[Finding, ...] = ()


def _finding(field: str, value: str, weight: int, meaning: str) -> Finding:
    return Finding(field, value, weight, meaning)


_HIP_IRRITATED_ON_EXAM: Final = (
    _finding("hip_rom", "painful", SUPPORTIVE, "moving the hip hurts"),
    _finding("hip_rom", "restricted", SUPPORTIVE, "the hip's range of motion is restricted"),
    _finding("hip_provocation", "positive", SUPPORTIVE, "hip tests reproduce the pain"),
)

REFERRED: Final = MechanismRule(
    Mechanism.REFERRED,
    "Pain from an irritated knee felt in the hip through shared nerves (femoral, obturator, "
    "L2-L4): the hip itself is structurally quiet.",
    findings=(
        _finding(
            "knee_provocation_reproduces_hip_pain",
            "true",
            HALLMARK,
            "loading or examining the knee brings on the hip pain",
        ),
        _finding(
            "hip_pain_location",
            "deep_diffuse",
            CHARACTERISTIC,
            "a poorly localised deep ache, as referred pain is felt",
        ),
        _finding("hip_pain_location", "groin", SUPPORTIVE, "groin pain, in the nerves' territory"),
        _finding("hip_rom", "full_painless", SUPPORTIVE, "the hip moves fully without pain"),
        _finding("hip_provocation", "negative", SUPPORTIVE, "hip tests do not bring on the pain"),
        _finding("trochanteric_tenderness", "false", SUPPORTIVE, "no tenderness at the trochanter"),
        _finding("knee_injury", "meniscal_tear", SUPPORTIVE, "an irritating lesion in the knee"),
        _finding("knee_injury", "osteoarthritis", SUPPORTIVE, "an irritating lesion in the knee"),
        _finding("knee_effusion", "true", SUPPORTIVE, "an effusion: the knee joint is irritated"),
    ),
    ruled_out_by=(
        *_HIP_IRRITATED_ON_EXAM,
        _finding("trochanteric_tenderness", "true", SUPPORTIVE, "the trochanter is tender"),
    ),
)

COMPENSATORY: Final = MechanismRule(
    Mechanism.COMPENSATORY,
    "Gluteal overuse from walking around the injured knee (greater trochanteric pain "
    "syndrome): the limp overloads gluteus medius and minimus.",
    findings=(
        _finding(
            "trendelenburg_sign",
            "true",
            CHARACTERISTIC,
            "the pelvis drops on single-leg stance: gluteal weakness",
        ),
        _finding(
            "trochanteric_tenderness", "true", CHARACTERISTIC, "tender over the greater trochanter"
        ),
        _finding("hip_pain_location", "lateral", CHARACTERISTIC, "pain over the side of the hip"),
        _finding("antalgic_gait", "true", SUPPORTIVE, "a limp that shortens stance on the knee"),
        _finding("worse_with_walking", "true", SUPPORTIVE, "walking, the overuse, makes it worse"),
    ),
)

BIOMECHANICAL: Final = MechanismRule(
    Mechanism.BIOMECHANICAL,
    "The kinetic chain out of line loads the hip joint abnormally: a rotated femur, a "
    "valgus or varus or unstable knee, with a hip that is irritated on examination.",
    findings=(
        _finding("femoral_rotation", "internal", CHARACTERISTIC, "the femur is rotated"),
        _finding("femoral_rotation", "external", CHARACTERISTIC, "the femur is rotated"),
        _finding("knee_alignment", "valgus", CHARACTERISTIC, "the knee is out of line"),
        _finding("knee_alignment", "varus", CHARACTERISTIC, "the knee is out of line"),
        _finding("knee_instability", "true", SUPPORTIVE, "the knee gives way"),
        *_HIP_IRRITATED_ON_EXAM,
        _finding("hip_pain_location", "groin", SUPPORTIVE, "groin pain, from the hip joint"),
    ),
    requires_one_of=_HIP_IRRITATED_ON_EXAM,
)

MECHANISM_RULES: Final = (REFERRED, COMPENSATORY, BIOMECHANICAL)
"""The mechanisms a rule decides, in the order their evidence is listed."""

ONSET_FIELD: Final = "hip_pain_onset_date"
INJURY_FIELD: Final = "injury_date"
"""Hip pain with an onset before the knee injury: the mechanism is undetermined."""
