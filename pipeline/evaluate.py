"""Compare validation and classification with the generator's ground truth: validity and rules
named, mechanism and triage confusion matrices, and each triage reason's sensitivity, red flags
first (a missed red flag is the worst error this product can make: it must be 100%)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Final

import polars as pl

from pipeline.classify.outcomes import outcomes
from pipeline.classify.triage import RED_FLAGS
from pipeline.contract.outputs import MECHANISMS, TRIAGE_LEVELS, TRIAGE_REASONS

TRUTH_FILE: Final = "ground_truth.csv"
INTAKE_PATTERNS: Final = ("intake_*.csv", "intake_*.jsonl")
TRUTH_MECHANISM_ALIASES: Final = {"none": "undetermined"}
"""Truth labels that mean the same as one of the classifier's."""
LIST_SEPARATOR: Final = ";"


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Every figure of one evaluation (frames are small: one row per class or reason)."""

    files: int
    matched: int
    truth_only: int
    """Records the truth lists that the reader did not produce (at that file and line)."""
    predicted_only: int
    """Records the reader produced that the truth does not list."""
    validity: pl.DataFrame
    """truth_valid x predicted_valid -> records."""
    rules_named: int
    """Of the records both call invalid, how many quarantines name every rule the truth names."""
    both_invalid: int
    mechanism_confusion: pl.DataFrame
    mechanism_classes: pl.DataFrame
    triage_confusion: pl.DataFrame
    reason_sensitivity: pl.DataFrame
    """Of the valid cases: for each triage reason, truth, found, sensitivity, extra."""
    quarantined_red_flags: pl.DataFrame
    """The same for the red flags of invalid records (the contract: a red flag survives
    quarantine): the truth's red flags of records both call invalid, and those the
    quarantine's lenient reading found."""

    @property
    def red_flags_all_found(self) -> bool:
        """Whether every red flag the truth names was found (sensitivity 100% for each), in
        valid cases and quarantined records alike."""
        flags = pl.concat([self.reason_sensitivity, self.quarantined_red_flags]).filter(
            pl.col("red_flag")
        )
        return bool((flags["found"] == flags["truth"]).all())


def intake_files(directory: Path) -> list[Path]:
    """The directory's intake files, by name."""
    return sorted({p for pattern in INTAKE_PATTERNS for p in directory.glob(pattern)})


def read_truth(path: Path) -> pl.DataFrame:
    """The truth file with typed columns and lists split."""
    # One row per record: file, line_number, intake_id, record_kind, valid, mechanism (latent,
    # empty when invalid; its "none" is `undetermined`), triage (intended), triage_reasons and
    # invalid_rules (`;`-joined; `field:rule`, `_record:malformed` for a line not readable).
    truth = pl.read_csv(path, infer_schema=False)
    return truth.select(
        "file",
        pl.col("line_number").cast(pl.Int64),
        pl.col("valid").str.to_lowercase().eq("true").alias("truth_valid"),
        pl.col("mechanism").replace(TRUTH_MECHANISM_ALIASES).alias("truth_mechanism"),
        pl.col("triage").alias("truth_triage"),
        _split("triage_reasons").alias("truth_reasons"),
        _split("invalid_rules").alias("truth_rules"),
    )


def evaluate_directory(directory: Path, now: datetime) -> Evaluation:
    """Validate and classify every intake file in `directory` at time `now` and compare."""
    files = intake_files(directory)
    truth = read_truth(directory / TRUTH_FILE)
    predicted = outcomes(files, now).select(
        "file",
        "line_number",
        pl.col("valid").alias("predicted_valid"),
        pl.col("mechanism").alias("predicted_mechanism"),
        pl.col("triage").alias("predicted_triage"),
        pl.col("triage_reasons").alias("predicted_reasons"),
        pl.col("reasons")
        .list.eval(
            pl.concat_str(
                pl.element().struct.field("field"), pl.lit(":"), pl.element().struct.field("rule")
            )
        )
        .alias("predicted_rules"),
    )
    # Full join: a record only one side knows is counted, never dropped.
    joined = truth.join(predicted, on=["file", "line_number"], how="full", coalesce=True)
    matched = joined.filter(
        pl.col("truth_valid").is_not_null() & pl.col("predicted_valid").is_not_null()
    )
    both_valid = matched.filter(pl.col("truth_valid") & pl.col("predicted_valid"))
    both_invalid = matched.filter(~pl.col("truth_valid") & ~pl.col("predicted_valid"))
    return Evaluation(
        files=len(files),
        matched=matched.height,
        truth_only=joined.filter(pl.col("predicted_valid").is_null()).height,
        predicted_only=joined.filter(pl.col("truth_valid").is_null()).height,
        validity=matched.group_by("truth_valid", "predicted_valid")
        .len("records")
        .sort("truth_valid", "predicted_valid", descending=True),
        rules_named=both_invalid.filter(
            pl.col("truth_rules").list.set_difference("predicted_rules").list.len() == 0
        ).height,
        both_invalid=both_invalid.height,
        mechanism_confusion=confusion(
            both_valid.filter(pl.col("truth_mechanism").is_not_null()), "mechanism", MECHANISMS
        ),
        mechanism_classes=per_class(
            both_valid.filter(pl.col("truth_mechanism").is_not_null()), "mechanism", MECHANISMS
        ),
        triage_confusion=confusion(
            both_valid.filter(pl.col("truth_triage").is_not_null()), "triage", TRIAGE_LEVELS
        ),
        reason_sensitivity=sensitivity(both_valid),
        quarantined_red_flags=sensitivity(
            both_invalid.with_columns(pl.col("predicted_reasons").fill_null([])),
            reasons=tuple(flag.value for flag in RED_FLAGS),
        ),
    )


def _split(column: str) -> pl.Expr:
    text = pl.col(column).fill_null("")
    return (
        pl.when(text == "")
        .then(pl.lit([], pl.List(pl.String)))
        .otherwise(text.str.split(LIST_SEPARATOR))
    )


def _labels(frame: pl.DataFrame, name: str, known: tuple[str, ...]) -> list[str]:
    seen = set(frame[f"truth_{name}"].drop_nulls()) | set(frame[f"predicted_{name}"].drop_nulls())
    return [*known, *sorted(seen - set(known))]


def confusion(frame: pl.DataFrame, name: str, known: tuple[str, ...]) -> pl.DataFrame:
    """Counts of truth (rows) x prediction (columns), every label in both, zeros included."""
    labels = _labels(frame, name, known)
    truth, predicted = f"truth_{name}", f"predicted_{name}"
    counts = frame.group_by(truth, predicted).len("n")
    return pl.DataFrame(
        {
            "truth": labels,
            **{
                p: [
                    int(counts.filter((pl.col(truth) == t) & (pl.col(predicted) == p))["n"].sum())
                    for t in labels
                ]
                for p in labels
            },
        }
    )


def per_class(frame: pl.DataFrame, name: str, known: tuple[str, ...]) -> pl.DataFrame:
    """Support, predicted count, precision and recall of every class (null when undefined)."""
    truth, predicted = pl.col(f"truth_{name}"), pl.col(f"predicted_{name}")
    rows = []
    for label in _labels(frame, name, known):
        hits = frame.filter((truth == label) & (predicted == label)).height
        support = frame.filter(truth == label).height
        chosen = frame.filter(predicted == label).height
        rows.append(
            {
                "class": label,
                "truth": support,
                "predicted": chosen,
                "correct": hits,
                "precision": hits / chosen if chosen else None,
                "recall": hits / support if support else None,
            }
        )
    return pl.DataFrame(
        rows,
        schema={
            "class": pl.String,
            "truth": pl.Int64,
            "predicted": pl.Int64,
            "correct": pl.Int64,
            "precision": pl.Float64,
            "recall": pl.Float64,
        },
    )


def sensitivity(frame: pl.DataFrame, reasons: tuple[str, ...] = TRIAGE_REASONS) -> pl.DataFrame:
    """For each triage reason: how many records the truth gives it, how many of those the
    classifier found (sensitivity), and how many it gave that the truth does not (extra)."""
    red = {flag.value for flag in RED_FLAGS}
    rows = []
    for reason in reasons:
        in_truth = pl.col("truth_reasons").list.contains(reason)
        in_predicted = pl.col("predicted_reasons").list.contains(reason)
        total = frame.filter(in_truth).height
        found = frame.filter(in_truth & in_predicted).height
        rows.append(
            {
                "reason": reason,
                "red_flag": reason in red,
                "truth": total,
                "found": found,
                "sensitivity": found / total if total else None,
                "extra": frame.filter(~in_truth & in_predicted).height,
            }
        )
    return pl.DataFrame(
        rows,
        schema={
            "reason": pl.String,
            "red_flag": pl.Boolean,
            "truth": pl.Int64,
            "found": pl.Int64,
            "sensitivity": pl.Float64,
            "extra": pl.Int64,
        },
    )


def as_dict(evaluation: Evaluation) -> dict[str, object]:
    """The evaluation as plain JSON-ready data."""
    return {
        "files": evaluation.files,
        "matched_records": evaluation.matched,
        "truth_only_records": evaluation.truth_only,
        "predicted_only_records": evaluation.predicted_only,
        "validity": evaluation.validity.to_dicts(),
        "invalid_records_with_every_truth_rule_named": evaluation.rules_named,
        "records_both_call_invalid": evaluation.both_invalid,
        "mechanism_confusion": evaluation.mechanism_confusion.to_dicts(),
        "mechanism_classes": evaluation.mechanism_classes.to_dicts(),
        "triage_confusion": evaluation.triage_confusion.to_dicts(),
        "triage_reason_sensitivity": evaluation.reason_sensitivity.to_dicts(),
        "quarantined_red_flag_sensitivity": evaluation.quarantined_red_flags.to_dicts(),
        "red_flag_sensitivity_is_100_percent": evaluation.red_flags_all_found,
    }
