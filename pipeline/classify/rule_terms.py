"""The vocabulary every rule set is written in: findings and their weights, requirements,
vetoes, guards, and `RuleSet`, one complete versioned set of mechanism rules. The rule sets
themselves are `pipeline.classify.rules` (the newest) and its frozen predecessors."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from pipeline.contract.fields import FIELDS_BY_NAME, FieldType
from pipeline.contract.outputs import Mechanism

HALLMARK: Final = 3
CHARACTERISTIC: Final = 2
SUPPORTIVE: Final = 1


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
        """Every condition of every requirement, and the side fields when the side matters."""
        sides = (
            (FieldRead("hip_pain_side"), FieldRead("knee_side")) if self.same_side_as_knee else ()
        )
        return (*(c for r in self.requires for c in r.any_of), *sides)

    @property
    def ruled_out_by(self) -> tuple[Condition, ...]:
        """What weighs against or vetoes the mechanism (a rule set's guards rule out every
        mechanism: `RuleSet.conditions` has them)."""
        own = (r for r in (self.weighs_against, self.vetoed_by) if r is not None)
        return tuple(c for r in own for c in r.any_of)


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


@dataclass(frozen=True, slots=True)
class RuleSet:
    """One version of the mechanism rules, complete: every classification records its
    `version`. Triage is the contract's and the same in every version.

    Strong evidence for a mechanism needs a score of at least `min_evidence` and, when
    `strong_share` is above 0, that share of the weight the examined fields could show
    (a field recorded with a value of `not_examined` counts as not given)."""

    version: str
    mechanism_rules: tuple[MechanismRule, ...]
    """The mechanisms a rule decides, in the order their evidence is listed."""
    guards: tuple[Guard, ...] = ()
    """Hip causes to exclude first, in the order they are checked (the first that holds is
    named)."""
    min_evidence: int = 3
    strong_share: float = 0.0
    not_examined: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """(field, values that say the field was not examined)."""

    @property
    def conditions(self) -> tuple[Condition | FieldRead, ...]:
        """Everything the rules read: each rule's findings, requirements, side, weighings and
        vetoes, then each guard's conditions."""
        return (
            *(
                c
                for rule in self.mechanism_rules
                for c in (*rule.findings, *rule.requires_one_of, *rule.ruled_out_by)
            ),
            *(c for guard in self.guards for r in guard.all_of for c in r.any_of),
        )

    @property
    def fields(self) -> tuple[str, ...]:
        """Every contract field the mechanism rules read, once."""
        return tuple(
            dict.fromkeys(
                field
                for c in self.conditions
                for field in (c.fields if isinstance(c, Derived) else (c.field,))
            )
        )


def finding(field: str, value: str, weight: int, meaning: str) -> Finding:
    """A `Finding`, positionally (the rule tables read as rows)."""
    return Finding(field, value, weight, meaning)
