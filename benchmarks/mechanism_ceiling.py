"""How well could any classifier name the mechanism from these records? A ceiling estimate.

`python -m benchmarks.mechanism_ceiling --records 400000 --seed 11` (figures: docs/data.md)."""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt
import polars as pl
from sklearn.ensemble import HistGradientBoostingClassifier

from pipeline.classify import RULES_VERSION, classify
from pipeline.contract.fields import FIELDS, FieldType
from pipeline.evaluate import intake_files, read_truth
from pipeline.generate import GenerationConfig, OutputFormat, generate
from pipeline.validate.file import validate_file

DEFAULT_RECORDS: Final = 400_000
DEFAULT_SEED: Final = 11
END_DATE: Final = date(2026, 11, 20)
DAYS: Final = 90
CLINICS: Final = 8
NOT_FEATURES: Final = frozenset({"intake_id", "clinic_id", "patient_ref", "notes", "intake_at"})
"""Identifiers, free text and the time stamp are not findings."""


@dataclass(frozen=True, slots=True)
class Ceiling:
    """Accuracies on the same test half."""

    train_cases: int
    test_cases: int
    model_accuracy: float
    rules_accuracy: float
    fit_seconds: float


def seeded_cases(
    records: int, seed: int, out: Path, days: int = DAYS, clinics: int = CLINICS
) -> pl.DataFrame:
    """Generate `records` valid records into `out`; return every case's typed fields, the rule
    set's mechanism (`rules`) and the generator's latent mechanism (`truth`)."""
    generate(
        GenerationConfig(
            records=records,
            days=days,
            end_date=END_DATE,
            clinics=clinics,
            seed=seed,
            output_format=OutputFormat.CSV,
            invalid_rate=0.0,
            out_dir=out,
        )
    )
    now = datetime.combine(END_DATE, datetime.min.time(), UTC) + timedelta(days=2)
    frames = []
    for path in intake_files(out):
        validated, _ = validate_file(path, now)
        valid = validated.valid
        frames.append(
            pl.concat(
                [
                    valid.with_columns(pl.lit(path.name).alias("file")),
                    classify(valid).select(pl.col("mechanism").alias("rules")),
                ],
                how="horizontal",
            )
        )
    truth = read_truth(out / "ground_truth.csv").select(
        "file", "line_number", pl.col("truth_mechanism").alias("truth")
    )
    return pl.concat(frames, how="vertical_relaxed").join(truth, on=["file", "line_number"])


def features(cases: pl.DataFrame) -> tuple[npt.NDArray[np.float64], list[bool]]:
    """The model's inputs: one column per contract field (enums and booleans as category
    codes, missing as NaN) and the two derived intervals; with which columns are categorical."""
    columns: list[pl.Expr] = []
    categorical: list[bool] = []
    for field in FIELDS:
        if field.name in NOT_FEATURES or field.name not in cases.columns:
            continue
        column = pl.col(field.name)
        if field.type is FieldType.ENUM:
            columns.append(
                column.cast(pl.String)
                .replace_strict(list(field.allowed), list(range(len(field.allowed))), default=None)
                .cast(pl.Float64)
            )
            categorical.append(True)
        elif field.type is FieldType.BOOLEAN:
            columns.append(column.cast(pl.Float64))
            categorical.append(True)
        elif field.type in (FieldType.INTEGER, FieldType.DECIMAL):
            columns.append(column.cast(pl.Float64))
            categorical.append(False)
    days = (pl.col("hip_pain_onset_date") - pl.col("injury_date")).dt.total_days()
    columns.append(days.cast(pl.Float64))
    categorical.append(False)
    columns.append(
        (pl.col("intake_at").dt.date() - pl.col("hip_pain_onset_date"))
        .dt.total_days()
        .cast(pl.Float64)
    )
    categorical.append(False)
    matrix = cases.select(c.alias(f"x{i}") for i, c in enumerate(columns)).fill_null(np.nan)
    return matrix.to_numpy().astype(np.float64), categorical


def ceiling(cases: pl.DataFrame, seed: int) -> Ceiling:
    """Fit on a random half of the cases, test on the other half."""
    # Fitted to the generator's latent mechanism and scored beside the rules on the same test
    # half: an estimate of what the findings allow, not a product component.
    x, categorical = features(cases)
    truth = cases["truth"].to_numpy()
    order = np.random.default_rng(seed).permutation(cases.height)
    train, test = order[: cases.height // 2], order[cases.height // 2 :]
    model = HistGradientBoostingClassifier(
        categorical_features=np.array(categorical),
        max_iter=200,
        early_stopping=True,
        random_state=seed,
    )
    start = time.perf_counter()
    model.fit(x[train], truth[train])
    fit_seconds = time.perf_counter() - start
    predicted = model.predict(x[test])
    rules = cases["rules"].to_numpy()
    return Ceiling(
        train_cases=len(train),
        test_cases=len(test),
        model_accuracy=float(np.mean(predicted == truth[test])),
        rules_accuracy=float(np.mean(rules[test] == truth[test])),
        fit_seconds=fit_seconds,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--records", type=int, default=DEFAULT_RECORDS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--days", type=int, default=DAYS)
    parser.add_argument("--clinics", type=int, default=CLINICS)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mechanism-ceiling-") as out:
        cases = seeded_cases(args.records, args.seed, Path(out), args.days, args.clinics)
    result = ceiling(cases, args.seed)
    print(
        f"records: {args.records:,} (seed {args.seed})  cases: train {result.train_cases:,}, "
        f"test {result.test_cases:,}  fit: {result.fit_seconds:.1f} s"
    )
    print(f"gradient-boosted model (ceiling estimate): {result.model_accuracy:.1%}")
    print(f"rules version {RULES_VERSION} (same test half): {result.rules_accuracy:.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
