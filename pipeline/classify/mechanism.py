"""A rule set's mechanism rules (`rule_terms.RuleSet`), evaluated for every case at once
(vectorized polars). The newest rule set unless another is given."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import polars as pl

from pipeline.classify.labels import bit_set
from pipeline.classify.rule_terms import (
    Comparison,
    Condition,
    Derived,
    Guard,
    Measure,
    MechanismRule,
    RuleSet,
)
from pipeline.classify.rules import INJURY_FIELD, ONSET_FIELD, RULES
from pipeline.contract.fields import FIELDS_BY_NAME, KNEE_SIDES, FieldType
from pipeline.contract.outputs import Mechanism


def _guard_labels(guard: Guard) -> list[str]:
    return [guard.evidence, *(c.evidence for r in guard.all_of for c in r.any_of)]


def finding_labels(rules: RuleSet = RULES) -> tuple[str, ...]:
    """Every finding that can be evidence for a mechanism, once, in the order the rules list
    them."""
    return tuple(dict.fromkeys(f.evidence for rule in rules.mechanism_rules for f in rule.findings))


def guard_labels(rules: RuleSet = RULES) -> tuple[tuple[str, ...], ...]:
    """For each guard: its name (`guard=<name>`) then its findings, in the guard's order."""
    return tuple(tuple(_guard_labels(guard)) for guard in rules.guards)


def evidence_labels(rules: RuleSet = RULES) -> tuple[str, ...]:
    """The labels of `EVIDENCE_BITS`: the mechanisms' findings, then one block per guard (a
    label may be in several blocks: a guarded case lists its guard's block alone, so it comes
    once)."""
    return finding_labels(rules) + tuple(label for block in guard_labels(rules) for label in block)


FINDING_LABELS: Final = finding_labels()
GUARD_LABELS: Final = guard_labels()
EVIDENCE_LABELS: Final = evidence_labels()
"""The labels of the newest rule set."""
EVIDENCE_BITS: Final = "evidence_bits"
"""Column of the deciding findings as a bit set over `EVIDENCE_LABELS` (see `labels`)."""
ONSET_BEFORE_INJURY: Final = "onset_before_injury"
"""Column: the hip pain began before the knee injury, so the mechanism is undetermined."""

_MEASURES: Final = {
    Measure.AGE_YEARS: pl.col("age_years"),
    Measure.DAYS_FROM_INJURY_TO_HIP_PAIN: (
        pl.col(ONSET_FIELD) - pl.col(INJURY_FIELD)
    ).dt.total_days(),
}


def present(condition: Condition) -> pl.Expr:
    """Whether the case shows the finding (a field not given shows nothing)."""
    if isinstance(condition, Derived):
        measure = _MEASURES[condition.measure]
        match condition.comparison:
            case Comparison.AT_LEAST:
                holds = measure >= condition.threshold
            case Comparison.BELOW:
                holds = measure < condition.threshold
            case Comparison.EQUALS:
                holds = measure == condition.threshold
        return holds.fill_null(False)
    column = pl.col(condition.field)
    if FIELDS_BY_NAME[condition.field].type is FieldType.BOOLEAN:
        return (column == (condition.value == "true")).fill_null(False)
    return (column == condition.value).fill_null(False)


def examined(source: str, rules: RuleSet = RULES) -> pl.Expr:
    """Whether the finding's field was examined: given, and not recorded as not done. Derived
    findings come from required fields, so they are always examined."""
    if source not in FIELDS_BY_NAME:
        return pl.lit(True)
    given = pl.col(source).is_not_null()
    not_done = dict(rules.not_examined).get(source)
    return given & ~pl.col(source).is_in(not_done).fill_null(False) if not_done else given


def _any(conditions: Iterable[Condition]) -> pl.Expr:
    return pl.any_horizontal(present(c) for c in conditions)


def _weight(conditions: Iterable[Condition]) -> pl.Expr:
    return pl.sum_horizontal(
        pl.when(present(c)).then(pl.lit(c.weight)).otherwise(pl.lit(0)) for c in conditions
    )


def could_show(rule: MechanismRule, rules: RuleSet = RULES) -> pl.Expr:
    """The weight the examination could have shown for the mechanism: for every field examined,
    the weight of its strongest finding for the mechanism (a field not examined adds none)."""
    strongest: dict[str, int] = {}
    for finding in rule.findings:
        strongest[finding.source] = max(strongest.get(finding.source, 0), finding.weight)
    return pl.sum_horizontal(
        pl.when(examined(source, rules)).then(pl.lit(weight)).otherwise(pl.lit(0))
        for source, weight in strongest.items()
    )


def strong_evidence(rule: MechanismRule, rules: RuleSet = RULES) -> pl.Expr:
    """Whether the case gives the mechanism strong evidence (see `rules`)."""
    score = _weight(rule.findings)
    if rule.weighs_against is not None:
        score = score - _weight(rule.weighs_against.any_of)
    needed: pl.Expr = pl.lit(float(rules.min_evidence))
    if rules.strong_share:
        needed = pl.max_horizontal(needed, rules.strong_share * could_show(rule, rules))
    strong = score >= needed
    for requirement in rule.requires:
        strong = strong & _any(requirement.any_of)
    if rule.same_side_as_knee is not None:
        strong = strong & _hip_on_knee_side()
    if rule.vetoed_by is not None:
        strong = strong & ~_any(rule.vetoed_by.any_of)
    if rule.weighs_against is not None and rule.vetoed_from:
        against = pl.sum_horizontal(present(c).cast(pl.Int8) for c in rule.weighs_against.any_of)
        strong = strong & (against < rule.vetoed_from)
    return strong


def _hip_on_knee_side() -> pl.Expr:
    """The hip hurts on the injured knee's side, or both (side by side: the two are enums of
    their own, compared with their values)."""
    hip, knee = pl.col("hip_pain_side"), pl.col("knee_side")
    same = pl.any_horizontal((hip == side) & (knee == side) for side in KNEE_SIDES)
    return (same | (hip == "both")).fill_null(False)


def guard_fires(guard: Guard) -> pl.Expr:
    """Whether every requirement of the guard holds."""
    return pl.all_horizontal(_any(requirement.any_of) for requirement in guard.all_of)


def _strong_column(rule: MechanismRule) -> str:
    return f"strong:{rule.mechanism.value}"


def _guard_column(guard: Guard) -> str:
    return f"guard:{guard.name}"


def mechanism_columns(frame: pl.LazyFrame, rules: RuleSet = RULES) -> pl.LazyFrame:
    """Add `mechanism` (String), `ONSET_BEFORE_INJURY` and the deciding findings as
    `EVIDENCE_BITS`: the first guard that fires with its findings, or else the findings of
    every mechanism with strong evidence; none when the pain began before the injury, whose
    evidence is the two dates."""
    mechanism_rules, guards = rules.mechanism_rules, rules.guards
    frame = frame.with_columns(
        *[strong_evidence(rule, rules).alias(_strong_column(rule)) for rule in mechanism_rules],
        *[guard_fires(guard).alias(_guard_column(guard)) for guard in guards],
        (pl.col(ONSET_FIELD) < pl.col(INJURY_FIELD)).fill_null(False).alias(ONSET_BEFORE_INJURY),
    )
    strong = {rule.mechanism: pl.col(_strong_column(rule)) for rule in mechanism_rules}
    onset_before = pl.col(ONSET_BEFORE_INJURY)
    # Only the first guard that fires is named: `named[g]` holds for it alone.
    named: dict[str, pl.Expr] = {}
    earlier: pl.Expr = onset_before
    for guard in guards:
        named[guard.name] = pl.col(_guard_column(guard)) & ~earlier
        earlier = earlier | pl.col(_guard_column(guard))
    guarded = pl.any_horizontal(named.values()) if named else pl.lit(False)
    count = pl.sum_horizontal(s.cast(pl.Int8) for s in strong.values())
    decisions = [
        (onset_before | guarded, Mechanism.UNDETERMINED),
        (count >= 2, Mechanism.MIXED),
        *((is_strong, each) for each, is_strong in strong.items()),
    ]
    mechanism: pl.Expr = pl.lit(Mechanism.UNDETERMINED.value)
    for condition, outcome in reversed(decisions):  # the first that holds decides
        mechanism = pl.when(condition).then(pl.lit(outcome.value)).otherwise(mechanism)

    deciding: dict[str, list[pl.Expr]] = {label: [] for label in finding_labels(rules)}
    decided_by_rules = ~onset_before & ~guarded
    for rule in mechanism_rules:
        for finding in rule.findings:
            deciding[finding.evidence].append(
                decided_by_rules & strong[rule.mechanism] & present(finding)
            )
    guard_evidence = [
        condition
        for guard in guards
        for condition in (
            named[guard.name],
            *(named[guard.name] & present(c) for r in guard.all_of for c in r.any_of),
        )
    ]
    evidence = bit_set(
        [*(pl.any_horizontal(conditions) for conditions in deciding.values()), *guard_evidence]
    )
    return frame.with_columns(mechanism.alias("mechanism"), evidence.alias(EVIDENCE_BITS)).drop(
        *[_strong_column(rule) for rule in mechanism_rules],
        *[_guard_column(guard) for guard in guards],
    )


def onset_evidence(cases: pl.DataFrame) -> pl.Series:
    """The evidence of cases whose pain began before the injury: the two dates."""
    return cases.select(
        pl.concat_list(
            pl.concat_str(pl.lit(f"{name}="), pl.col(name).dt.to_string("%Y-%m-%d"))
            for name in (ONSET_FIELD, INJURY_FIELD)
        )
    ).to_series()
