"""The generator's data tells a realistic story: rates on a 100,000-record run, with tolerances.

Tolerances are a few standard errors of the stated rate at this size (about 0.0005 for a share
near 2%, 0.0015 near 25%), so a failure means the data drifted from the model, not bad luck.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import polars as pl
import pytest

from pipeline.contract import Mechanism
from pipeline.generate import GenerationConfig, OutputFormat, generate
from pipeline.generate import messiness as m
from pipeline.generate import parameters as p
from pipeline.generate.clinics import MECHANISM_ORDER, clinic_profiles, mechanism_shares
from pipeline.generate.plan import epoch_day, weekday_of
from tests.intake_checks import read_records, read_truth, typed_values

RECORDS = 100_000
CLINICS = 4
SEED = 11
INVALID_RATE = 0.02
END_DATE = date(2026, 6, 30)
DAYS = 120
FILE_DAY = re.compile(r"^intake_(?P<clinic>.+)_(?P<day>\d{4}-\d{2}-\d{2})\.csv$")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> pl.DataFrame:
    """Every record of one 100k run: its truth row, the clinic and day of its file, and the
    typed values of valid records (null for invalid ones)."""
    out = tmp_path_factory.mktemp("realism")
    generate(
        GenerationConfig(
            records=RECORDS,
            days=DAYS,
            end_date=END_DATE,
            clinics=CLINICS,
            seed=SEED,
            output_format=OutputFormat.CSV,
            invalid_rate=INVALID_RATE,
            out_dir=out,
        )
    )
    truth = pl.DataFrame(read_truth(out)).with_columns(
        pl.col("line_number").cast(pl.Int64), (pl.col("valid") == "true").alias("valid")
    )
    rows = []
    valid_places = set(truth.filter("valid").select("file", "line_number").iter_rows())
    for path in sorted(out.glob("intake_*.csv")):
        for record in read_records(path):
            if (record.file, record.line_number) in valid_places:
                values = typed_values(record)
                values["intake_at"] = values["intake_at"].replace(tzinfo=None)
                rows.append({"file": record.file, "line_number": record.line_number, **values})
    records = pl.DataFrame(rows, infer_schema_length=None)
    parts = pl.col("file").str.extract_groups(FILE_DAY.pattern)
    return truth.join(records, on=["file", "line_number"], how="left").with_columns(
        parts.struct.field("clinic").alias("clinic"),
        parts.struct.field("day").str.to_date().alias("file_day"),
    )


def share(frame: pl.DataFrame, condition: pl.Expr) -> float:
    return float(frame.select(condition.mean()).item())


def test_invalid_share_matches_the_invalid_rate(run: pl.DataFrame) -> None:
    assert run.height == RECORDS
    originals = run.filter(pl.col("record_kind") == "original")
    assert share(originals, ~pl.col("valid")) == pytest.approx(INVALID_RATE, abs=0.0025)


def test_resends_and_corrections_come_at_their_stated_rates(run: pl.DataFrame) -> None:
    resend = INVALID_RATE * m.RESEND_RATE_PER_INVALID_RATE
    correction = INVALID_RATE * m.CORRECTION_RATE_PER_INVALID_RATE
    assert share(run, pl.col("record_kind") == "resend") == pytest.approx(resend, abs=0.001)
    assert share(run, pl.col("record_kind") == "correction") == pytest.approx(correction, abs=0.001)


def test_weekends_are_quieter_than_weekdays_as_the_weekly_pattern_says(
    run: pl.DataFrame,
) -> None:
    days = epoch_day(END_DATE) - np.arange(DAYS)
    weights = np.array(p.WEEKDAY_VOLUME)[weekday_of(days)]
    expected = weights[weekday_of(days) >= 5].sum() / weights.sum()
    weekend = pl.col("file_day").dt.weekday() >= 6  # polars: Monday = 1 ... Sunday = 7
    originals = run.filter(pl.col("record_kind") == "original")
    assert share(originals, weekend) == pytest.approx(expected, abs=0.004)
    per_day = originals.group_by("file_day").len().with_columns(weekend.alias("weekend"))
    means = dict(per_day.group_by("weekend").agg(pl.col("len").mean()).iter_rows())
    assert means[True] < 0.5 * means[False]


def test_mechanism_mix_follows_the_clinic_and_drift_model(run: pl.DataFrame) -> None:
    clinics = clinic_profiles(CLINICS, SEED)
    index = {c.clinic_id: i for i, c in enumerate(clinics)}
    cases = run.filter(pl.col("valid") & (pl.col("record_kind") == "original"))
    clinic = np.array([index[c] for c in cases["clinic"]])
    day = (cases["file_day"].cast(pl.Int32).to_numpy()).astype(np.int64)
    expected = mechanism_shares(clinics, clinic, day).mean(axis=0)
    for mechanism, expected_share in zip(MECHANISM_ORDER, expected, strict=True):
        observed = share(cases, pl.col("mechanism") == mechanism.value)
        assert observed == pytest.approx(expected_share, abs=0.008), mechanism


def test_mechanism_prevalence_differs_by_clinic(run: pl.DataFrame) -> None:
    cases = run.filter("valid")

    def at(clinic: str, mechanism: Mechanism) -> float:
        return share(cases.filter(pl.col("clinic") == clinic), pl.col("mechanism") == mechanism)

    assert (
        at("clinic_north", Mechanism.BIOMECHANICAL)
        > at("clinic_harbour", Mechanism.BIOMECHANICAL) + 0.1
    )
    assert at("clinic_harbour", Mechanism.REFERRED) > at("clinic_north", Mechanism.REFERRED) + 0.1


def test_case_mix_drifts_slowly_over_months() -> None:
    clinics = clinic_profiles(3, SEED)
    days = epoch_day(date(2026, 1, 1)) + np.arange(p.MECHANISM_DRIFT_PERIOD_DAYS)
    shares = mechanism_shares(clinics, np.zeros(days.shape[0], dtype=np.int64), days)
    assert (shares.max(axis=0) - shares.min(axis=0)).max() > 0.05  # it moves over the cycle
    assert np.abs(np.diff(shares, axis=0)).max() < 0.002  # but never from one day to the next


def test_red_flags_are_uncommon_but_present_alone_and_together(run: pl.DataFrame) -> None:
    cases = run.filter("valid")
    assert 0.02 < share(cases, pl.col("triage") == "urgent") < 0.07
    reasons = set(cases["triage_reasons"].drop_nulls())
    for alone in ("rapid_worsening", "no_weight_bearing", "fever"):
        assert alone in reasons
    assert any(r.count(";") >= 1 for r in reasons if "persistent" not in r)
    assert "rapid_worsening;no_weight_bearing;fever" in reasons


def test_persistent_pain_despite_rest_gives_evaluate_cases(run: pl.DataFrame) -> None:
    cases = run.filter("valid")
    assert 0.15 < share(cases, pl.col("triage") == "evaluate") < 0.40
    assert 0.55 < share(cases, pl.col("triage") == "routine") < 0.80


def test_triage_boundaries_are_exercised(run: pl.DataFrame) -> None:
    cases = run.filter("valid")
    temperatures = set(cases["temperature_c"].drop_nulls().to_list())
    assert {37.9, 38.0} <= temperatures
    hip_pain_days = (pl.col("intake_at").dt.date() - pl.col("hip_pain_onset_date")).dt.total_days()
    days = set(cases.select(hip_pain_days).to_series().to_list())
    assert {20, 21} <= days
    fever_without_thermometer = cases.filter(
        pl.col("temperature_c").is_null() & pl.col("fever_reported")
    )
    assert fever_without_thermometer.height > 0
    assert (fever_without_thermometer["triage"] == "urgent").all()


def test_demographics_fit_the_injuries(run: pl.DataFrame) -> None:
    cases = run.filter("valid")
    median_age = dict(cases.group_by("knee_injury").agg(pl.col("age_years").median()).iter_rows())
    assert median_age["osteoarthritis"] >= 60
    assert median_age["ligament_injury"] <= 32
    assert median_age["osteoarthritis"] > median_age["ligament_injury"] + 25
    female = cases.group_by("knee_injury").agg((pl.col("sex") == "female").mean())
    female_share = dict(female.iter_rows())
    assert female_share["patellofemoral_pain"] > female_share["ligament_injury"] + 0.1


def test_findings_follow_the_true_mechanism(run: pl.DataFrame) -> None:
    cases = run.filter("valid")
    referred = cases.filter(pl.col("mechanism") == "referred")
    compensatory = cases.filter(pl.col("mechanism") == "compensatory")
    biomechanical = cases.filter(pl.col("mechanism") == "biomechanical")
    assert share(referred.drop_nulls("hip_rom"), pl.col("hip_rom") == "full_painless") > 0.85
    lesion = pl.col("knee_injury").is_in(["meniscal_tear", "osteoarthritis"]) | pl.col(
        "knee_effusion"
    ).fill_null(value=False)
    assert share(referred, lesion) > 0.9
    assert share(referred, pl.col("hip_pain_location").is_in(["deep_diffuse", "groin"])) > 0.85
    assert share(compensatory, pl.col("hip_pain_location") == "lateral") > 0.7
    assert share(compensatory, pl.col("antalgic_gait")) > 0.8
    irritated = pl.col("hip_rom").is_in(["painful", "restricted"]) | (
        pl.col("hip_provocation") == "positive"
    )
    assert share(biomechanical, irritated) > 0.75
    out_of_line = pl.col("femoral_rotation").is_in(["internal", "external"]) | pl.col(
        "knee_alignment"
    ).is_in(["valgus", "varus"])
    assert share(biomechanical, out_of_line) > 0.75
    # and none is clean: every mechanism has some contradicting findings
    assert 0 < share(referred, pl.col("hip_pain_location") == "lateral") < 0.1


def test_hip_pain_before_the_injury_is_always_undetermined(run: pl.DataFrame) -> None:
    cases = run.filter("valid")
    early = cases.filter(pl.col("hip_pain_onset_date") < pl.col("injury_date"))
    assert early.height > 0
    assert (early["mechanism"] == "undetermined").all()
    undetermined = cases.filter(pl.col("mechanism") == "undetermined")
    assert 0.2 < early.height / undetermined.height < 0.4


def test_dates_run_from_injury_to_hip_pain_to_intake(run: pl.DataFrame) -> None:
    cases = run.filter("valid")
    intake_day = pl.col("intake_at").dt.date()
    assert (cases.select((pl.col("injury_date") <= intake_day).all()).item()) is True
    assert (cases.select((pl.col("hip_pain_onset_date") <= intake_day).all()).item()) is True
    first_hour, end_hour = cases.select(
        pl.col("intake_at").dt.hour().min().alias("first"),
        pl.col("intake_at").dt.hour().max().alias("last"),
    ).row(0)
    assert first_hour >= p.INTAKE_HOURS_UTC[0]
    assert end_hour < p.INTAKE_HOURS_UTC[1]


def test_optional_fields_are_sometimes_not_given(run: pl.DataFrame) -> None:
    cases = run.filter("valid")
    not_measured = p.OPTIONAL_FIELD_MISSING_SHARE["temperature_c"]
    assert share(cases, pl.col("temperature_c").is_null()) == pytest.approx(not_measured, abs=0.01)
    for field in p.OPTIONAL_FIELD_MISSING_SHARE:
        assert 0 < share(cases, pl.col(field).is_null()) < 0.6, field
    notes = cases["notes"].drop_nulls()
    assert notes.str.contains(",").any()
    assert notes.str.contains('"').any()
    assert notes.str.contains("\n").any()
