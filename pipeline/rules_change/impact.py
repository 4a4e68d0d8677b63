"""What a candidate rule set would change, as pure functions of polars frames: transition tables
per clinic, the Overview's weekly shares before and after, the triage downgrades and examples of
each mechanism change."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

import polars as pl

from pipeline.contract.outputs import Mechanism, Triage

NOT_CLASSIFIED: Final = "not_classified"
"""`before` of a case with no classification yet."""
TRIAGE_RANK: Final = {Triage.ROUTINE.value: 0, Triage.EVALUATE.value: 1, Triage.URGENT.value: 2}
EXAMPLES_PER_CHANGE: Final = 3
KINDS: Final = ("mechanism", "triage")
SHARED: Final = (Mechanism.REFERRED.value, Mechanism.COMPENSATORY.value)
"""The mechanisms whose weekly shares the Overview's chart draws."""

CASES_BEFORE: Final = pl.Schema(
    {
        "intake_id": pl.String(),
        "clinic_id": pl.String(),
        "intake_date": pl.Date(),
        "mechanism_before": pl.String(),
        "triage_before": pl.String(),
    }
)
"""Each case with the classification in force (null where it has none yet)."""
TRANSITIONS: Final = pl.Schema(
    {
        "kind": pl.String(),
        "clinic_id": pl.String(),
        "before": pl.String(),
        "after": pl.String(),
        "cases": pl.Int64(),
    }
)
WEEKLY: Final = pl.Schema(
    {
        "week": pl.Date(),
        "cases": pl.Int64(),
        **{f"{m}_{side}": pl.Int64() for m in SHARED for side in ("before", "after")},
    }
)
DOWNGRADES: Final = pl.Schema(
    {
        "intake_id": pl.String(),
        "clinic_id": pl.String(),
        "before": pl.String(),
        "after": pl.String(),
    }
)
EXAMPLES: Final = pl.Schema(
    {
        "before": pl.String(),
        "after": pl.String(),
        "intake_id": pl.String(),
        "clinic_id": pl.String(),
        "evidence_after": pl.List(pl.String()),
    }
)


@dataclass(frozen=True, slots=True)
class Impact:
    """The comparison of some cases (a chunk, or every case once combined)."""

    transitions: pl.DataFrame
    """`TRANSITIONS`: cases per kind (mechanism, triage), clinic, before and after."""
    weekly: pl.DataFrame
    """`WEEKLY`: per week of intake (its Monday) all cases, and the referred and compensatory
    ones before and after."""
    downgrades: pl.DataFrame
    """`DOWNGRADES`: every case whose triage would go down."""
    examples: pl.DataFrame
    """`EXAMPLES`: up to `EXAMPLES_PER_CHANGE` cases of each mechanism change."""

    @property
    def cases(self) -> int:
        mechanism = self.transitions.filter(pl.col("kind") == "mechanism")
        return int(mechanism["cases"].sum())


def compare(cases: pl.DataFrame, after: pl.DataFrame) -> Impact:
    """Compare `cases` (`CASES_BEFORE`) with the candidate's classification of them (`after`:
    `pipeline.classify.CLASSIFICATION_SCHEMA`, one row per case)."""
    both = cases.with_columns(
        pl.col("mechanism_before").fill_null(NOT_CLASSIFIED),
        pl.col("triage_before").fill_null(NOT_CLASSIFIED),
    ).join(
        after.select(
            "intake_id",
            pl.col("mechanism").alias("mechanism_after"),
            pl.col("triage").alias("triage_after"),
        ),
        on="intake_id",
        how="inner",
        validate="1:1",
    )
    if both.height != cases.height:
        msg = f"the candidate classified {both.height:,} of {cases.height:,} cases"
        raise ValueError(msg)
    changed = both.filter(pl.col("mechanism_before") != pl.col("mechanism_after"))
    return Impact(
        transitions=_transitions(both),
        weekly=_weekly(both),
        downgrades=_downgrades(both),
        examples=_examples(changed, after),
    )


def _transitions(both: pl.DataFrame) -> pl.DataFrame:
    return pl.concat(
        [
            both.group_by("clinic_id", f"{kind}_before", f"{kind}_after")
            .len("cases")
            .select(
                pl.lit(kind).alias("kind"),
                "clinic_id",
                pl.col(f"{kind}_before").alias("before"),
                pl.col(f"{kind}_after").alias("after"),
                pl.col("cases").cast(pl.Int64),
            )
            for kind in KINDS
        ]
    ).match_to_schema(TRANSITIONS)


def _weekly(both: pl.DataFrame) -> pl.DataFrame:
    return (
        both.group_by(pl.col("intake_date").dt.truncate("1w").alias("week"))
        .agg(
            pl.len().cast(pl.Int64).alias("cases"),
            *(
                (pl.col(f"mechanism_{side}") == m).sum().cast(pl.Int64).alias(f"{m}_{side}")
                for m in SHARED
                for side in ("before", "after")
            ),
        )
        .match_to_schema(WEEKLY)
    )


def _rank(column: str) -> pl.Expr:
    return pl.col(column).replace_strict(TRIAGE_RANK, default=None, return_dtype=pl.Int8)


def _downgrades(both: pl.DataFrame) -> pl.DataFrame:
    # a case not classified before has no triage to go down from (its rank is null)
    return (
        both.filter(_rank("triage_after") < _rank("triage_before"))
        .select(
            "intake_id",
            "clinic_id",
            pl.col("triage_before").alias("before"),
            pl.col("triage_after").alias("after"),
        )
        .match_to_schema(DOWNGRADES)
    )


def _examples(changed: pl.DataFrame, after: pl.DataFrame) -> pl.DataFrame:
    """The first cases (by intake id) of each change, with the candidate's evidence (looked
    up for these few only: evidence lists are the bulk of a classification)."""
    chosen = (
        changed.sort("intake_id")
        .group_by("mechanism_before", "mechanism_after", maintain_order=True)
        .head(EXAMPLES_PER_CHANGE)
    )
    evidence = after.select("intake_id", pl.col("mechanism_evidence").alias("evidence_after"))
    return (
        chosen.join(evidence, on="intake_id", how="left")
        .select(
            pl.col("mechanism_before").alias("before"),
            pl.col("mechanism_after").alias("after"),
            "intake_id",
            "clinic_id",
            "evidence_after",
        )
        .match_to_schema(EXAMPLES)
    )


def combine(parts: Iterable[Impact]) -> Impact:
    """The parts of every chunk added up into one comparison of all their cases."""
    # Every part is bounded by clinics x mechanisms x weeks, never by the number of cases,
    # except the downgrades: each one must be named.
    every = list(parts)
    transitions = pl.concat([TRANSITIONS.to_frame(), *(p.transitions for p in every)])
    weekly = pl.concat([WEEKLY.to_frame(), *(p.weekly for p in every)])
    examples = pl.concat([EXAMPLES.to_frame(), *(p.examples for p in every)])
    return Impact(
        transitions=transitions.group_by("kind", "clinic_id", "before", "after")
        .agg(pl.col("cases").sum())
        .sort("kind", "clinic_id", "before", "after"),
        weekly=weekly.group_by("week").agg(pl.all().sum()).sort("week"),
        downgrades=pl.concat([DOWNGRADES.to_frame(), *(p.downgrades for p in every)]).sort(
            "intake_id"
        ),
        examples=examples.sort("before", "after", "intake_id")
        .group_by("before", "after", maintain_order=True)
        .head(EXAMPLES_PER_CHANGE),
    )


def overall(transitions: pl.DataFrame, kind: str) -> pl.DataFrame:
    """One kind's transitions summed over clinics: before, after, cases; largest first."""
    return (
        transitions.filter(pl.col("kind") == kind)
        .group_by("before", "after")
        .agg(pl.col("cases").sum())
        .sort(pl.col("cases"), "before", "after", descending=[True, False, False])
    )


MATRIX_ROWS: Final = "in force"


def as_matrix(transitions: pl.DataFrame) -> pl.DataFrame:
    """Transitions (before, after, cases) as a table: a row per value in force (`MATRIX_ROWS`),
    a column per value the candidate gives, zero where none moved that way."""
    if transitions.is_empty():
        return pl.DataFrame({MATRIX_ROWS: pl.Series([], dtype=pl.String)})
    afters = sorted(transitions["after"].unique().to_list())
    return (
        transitions.pivot(on="after", index="before", values="cases", aggregate_function="sum")
        .fill_null(0)
        .select(pl.col("before").alias(MATRIX_ROWS), *afters)
        .sort(MATRIX_ROWS)
    )


def changed_counts(transitions: pl.DataFrame, kind: str) -> int:
    """How many cases the candidate would move to another value of `kind`."""
    moved = transitions.filter((pl.col("kind") == kind) & (pl.col("before") != pl.col("after")))
    return int(moved["cases"].sum())
