"""The mechanism rules of `rules`, evaluated for every case at once (vectorized polars)."""

from __future__ import annotations

from typing import Final

import polars as pl

from pipeline.classify.labels import bit_set
from pipeline.classify.rules import (
    INJURY_FIELD,
    MECHANISM_RULES,
    ONSET_FIELD,
    STRONG_EVIDENCE,
    Finding,
    MechanismRule,
)
from pipeline.contract.fields import FIELDS_BY_NAME, FieldType
from pipeline.contract.outputs import Mechanism

EVIDENCE_LABELS: Final = tuple(
    dict.fromkeys(f.evidence for rule in MECHANISM_RULES for f in rule.findings)
)
"""Every finding that can be evidence, once, in the order the rules list them."""
EVIDENCE_BITS: Final = "evidence_bits"
"""Column of the deciding findings as a bit set over `EVIDENCE_LABELS` (see `labels`)."""
ONSET_BEFORE_INJURY: Final = "onset_before_injury"
"""Column: the hip pain began before the knee injury, so the mechanism is undetermined."""


def present(finding: Finding) -> pl.Expr:
    """Whether the case shows the finding (a field not given shows nothing)."""
    column = pl.col(finding.field)
    if FIELDS_BY_NAME[finding.field].type is FieldType.BOOLEAN:
        return (column == (finding.value == "true")).fill_null(False)
    return (column == finding.value).fill_null(False)


def strong_evidence(rule: MechanismRule) -> pl.Expr:
    """Whether the case gives the mechanism strong evidence (see `rules`)."""
    score = pl.sum_horizontal(
        pl.when(present(f)).then(pl.lit(f.weight)).otherwise(pl.lit(0)) for f in rule.findings
    )
    strong = score >= STRONG_EVIDENCE
    if rule.requires_one_of:
        strong = strong & pl.any_horizontal(present(f) for f in rule.requires_one_of)
    if rule.ruled_out_by:
        strong = strong & ~pl.any_horizontal(present(f) for f in rule.ruled_out_by)
    return strong


def _strong_column(rule: MechanismRule) -> str:
    return f"strong:{rule.mechanism.value}"


def mechanism_columns(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Add `mechanism` (String), `ONSET_BEFORE_INJURY` and the deciding findings as
    `EVIDENCE_BITS` (the findings of every mechanism with strong evidence; none when the pain
    began before the injury, whose evidence is the two dates)."""
    frame = frame.with_columns(
        *[strong_evidence(rule).alias(_strong_column(rule)) for rule in MECHANISM_RULES],
        (pl.col(ONSET_FIELD) < pl.col(INJURY_FIELD)).fill_null(False).alias(ONSET_BEFORE_INJURY),
    )
    strong = {rule.mechanism: pl.col(_strong_column(rule)) for rule in MECHANISM_RULES}
    onset_before = pl.col(ONSET_BEFORE_INJURY)
    count = pl.sum_horizontal(s.cast(pl.Int8) for s in strong.values())
    decisions = [
        (onset_before, Mechanism.UNDETERMINED),
        (count >= 2, Mechanism.MIXED),
        *((is_strong, each) for each, is_strong in strong.items()),
    ]
    mechanism: pl.Expr = pl.lit(Mechanism.UNDETERMINED.value)
    for condition, outcome in reversed(decisions):  # the first that holds decides
        mechanism = pl.when(condition).then(pl.lit(outcome.value)).otherwise(mechanism)

    deciding: dict[str, list[pl.Expr]] = {label: [] for label in EVIDENCE_LABELS}
    for rule in MECHANISM_RULES:
        for finding in rule.findings:
            deciding[finding.evidence].append(strong[rule.mechanism] & present(finding))
    evidence = bit_set(
        ~onset_before & pl.any_horizontal(conditions) for conditions in deciding.values()
    )
    return frame.with_columns(mechanism.alias("mechanism"), evidence.alias(EVIDENCE_BITS)).drop(
        *[_strong_column(rule) for rule in MECHANISM_RULES]
    )


def onset_evidence(cases: pl.DataFrame) -> pl.Series:
    """The evidence of cases whose pain began before the injury: the two dates."""
    return cases.select(
        pl.concat_list(
            pl.concat_str(pl.lit(f"{name}="), pl.col(name).dt.to_string("%Y-%m-%d"))
            for name in (ONSET_FIELD, INJURY_FIELD)
        )
    ).to_series()
