"""Classify valid intake cases: mechanism with its evidence, triage with its reasons, and the
version of the rule set that decided them. The newest rules are `pipeline.classify.rules`;
`pipeline.classify.versions` has every version this code can classify by."""

from __future__ import annotations

from typing import Final

import numpy as np
import polars as pl

from pipeline.classify.labels import LABEL_LISTS, as_text, label_lists
from pipeline.classify.mechanism import (
    EVIDENCE_BITS,
    ONSET_BEFORE_INJURY,
    evidence_labels,
    mechanism_columns,
    onset_evidence,
)
from pipeline.classify.rules import RULES_VERSION
from pipeline.classify.triage import INTAKE_DATE, REASON_BITS, triage_columns
from pipeline.classify.versions import rule_set
from pipeline.contract.outputs import TRIAGE_REASONS

CLASSIFICATION_SCHEMA: Final = pl.Schema(
    {
        "intake_id": pl.String(),
        "mechanism": pl.String(),
        "mechanism_evidence": pl.List(pl.String()),
        "triage": pl.String(),
        "triage_reasons": pl.List(pl.String()),
        "rules_version": pl.String(),
    }
)
"""One classification per case: `mechanism` is a `Mechanism` value, `mechanism_evidence` the
findings that decided it (`field=value`, stable order), `triage` a `Triage` value,
`triage_reasons` the `TriageReason` values that hold (contract order), `rules_version` the
version of the rule set that decided them."""


def classify(valid: pl.DataFrame, rules_version: str = RULES_VERSION) -> pl.DataFrame:
    """Classify valid records (`pipeline.validate.rules.VALID_SCHEMA`, or any frame with the
    contract's typed fields and `intake_date`, the date written in `intake_at`, which the UTC
    instant alone cannot give) by the rule set of `rules_version` (default: the newest). Row i
    of the result is the classification of row i of `valid`."""
    rules = rule_set(rules_version)
    if INTAKE_DATE not in valid.columns:
        msg = f"classify needs the date of intake ({INTAKE_DATE}, the date written in intake_at)"
        raise ValueError(msg)
    frame = valid.lazy()
    decided = (
        mechanism_columns(frame, rules)
        .with_columns(*triage_columns())
        .select(
            "intake_id",
            "mechanism",
            EVIDENCE_BITS,
            ONSET_BEFORE_INJURY,
            "triage",
            REASON_BITS,
            "hip_pain_onset_date",
            "injury_date",
        )
        .collect()
    )
    evidence = label_lists(decided[EVIDENCE_BITS], evidence_labels(rules))
    if decided[ONSET_BEFORE_INJURY].any():
        evidence = _with_onset_evidence(decided, evidence)
    return pl.DataFrame(
        {
            "intake_id": decided["intake_id"],
            "mechanism": decided["mechanism"],
            "mechanism_evidence": as_text(evidence),
            "triage": decided["triage"],
            "triage_reasons": as_text(label_lists(decided[REASON_BITS], TRIAGE_REASONS)),
            "rules_version": pl.repeat(rules_version, decided.height, eager=True),
        },
        schema=CLASSIFICATION_SCHEMA,
    )


def _with_onset_evidence(decided: pl.DataFrame, evidence: pl.Series) -> pl.Series:
    """Put the two dates in as evidence for cases whose pain began before the injury (their
    finding evidence is empty): their lists are appended and every case picks its own by
    position."""
    onset_rows = decided[ONSET_BEFORE_INJURY].arg_true().to_numpy()
    dates = onset_evidence(decided[onset_rows]).cast(LABEL_LISTS)
    position = np.arange(decided.height, dtype=np.uint32)
    position[onset_rows] = decided.height + np.arange(len(onset_rows), dtype=np.uint32)
    return pl.concat([evidence, dates]).gather(pl.Series(position))


__all__ = ["CLASSIFICATION_SCHEMA", "RULES_VERSION", "classify"]
