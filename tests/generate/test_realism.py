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
from pipeline.generate import clinic_parameters as cp
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
                written = str(record.values["intake_at"]) if record.values else ""
                rows.append(
                    {
                        "file": record.file,
                        "line_number": record.line_number,
                        "written_intake_at": written,
                        **values,
                    }
                )
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
    weights = np.array(cp.WEEKDAY_VOLUME)[weekday_of(days)]
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
    days = epoch_day(date(2026, 1, 1)) + np.arange(cp.MECHANISM_DRIFT_PERIOD_DAYS)
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


def test_hip_pain_from_limping_takes_days_and_referral_stays_in_the_nerves_territory(
    run: pl.DataFrame,
) -> None:
    cases = run.filter("valid")
    days = (pl.col("hip_pain_onset_date") - pl.col("injury_date")).dt.total_days()
    compensatory = cases.filter(pl.col("mechanism") == "compensatory")
    assert compensatory.select((days >= 3).all()).item() is True  # gluteal overuse needs days
    referred = cases.filter(pl.col("mechanism") == "referred")
    assert share(referred, days == 0) > 0.1  # a knee lesion refers pain from the start
    # femoral and obturator nerves: groin or a deep ache, on the knee's own side (nearly always)
    elsewhere = pl.col("hip_pain_location").is_in(["lateral", "buttock"])
    assert 0 < share(referred, elsewhere) < 0.04
    other_side = (pl.col("hip_pain_side") != pl.col("knee_side")) & (
        pl.col("hip_pain_side") != "both"
    )
    assert 0 < share(referred, other_side) < 0.025


def test_hip_pain_before_the_injury_is_always_undetermined(run: pl.DataFrame) -> None:
    cases = run.filter("valid")
    early = cases.filter(pl.col("hip_pain_onset_date") < pl.col("injury_date"))
    assert early.height > 0
    assert (early["mechanism"] == "undetermined").all()
    undetermined = cases.filter(pl.col("mechanism") == "undetermined")
    assert 0.2 < early.height / undetermined.height < 0.4


WRITTEN_DAY = pl.col("written_intake_at").str.slice(0, 10).str.to_date()
"""The date of intake as the contract reads it: the calendar date written in `intake_at`."""
LOCAL_HOUR = pl.col("written_intake_at").str.slice(11, 2).cast(pl.Int32)
OFFSET = pl.col("written_intake_at").str.slice(19)


def test_dates_run_from_injury_to_hip_pain_to_the_written_date_of_intake(
    run: pl.DataFrame,
) -> None:
    cases = run.filter("valid")
    assert (cases.select((pl.col("injury_date") <= WRITTEN_DAY).all()).item()) is True
    assert (cases.select((pl.col("hip_pain_onset_date") <= WRITTEN_DAY).all()).item()) is True


def test_clinics_write_local_times_in_their_own_time_zones_up_to_twelve_hours_off(
    run: pl.DataFrame,
) -> None:
    cases = run.filter("valid")
    local = cases.filter(OFFSET.str.contains(r"^[+-]\d\d:\d\d$"))
    assert local.height / cases.height == pytest.approx(m.INTAKE_AT_STYLE_SHARES[0], abs=0.01)
    offsets = dict(local.group_by("clinic").agg(OFFSET.unique()).iter_rows())
    profiles = {c.clinic_id: c.utc_offset_minutes for c in clinic_profiles(CLINICS, SEED)}
    for clinic, written in offsets.items():
        minutes = profiles[clinic]
        sign = "-" if minutes < 0 else "+"
        assert written == [f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"]
    assert max(abs(v) for v in profiles.values()) >= 10 * 60
    hours = local.select(LOCAL_HOUR).to_series()
    office = hours.is_between(7, 19)
    assert office.sum() > 0.9 * hours.len()  # office hours, local time
    assert hours.is_in([23, 0]).sum() > 0  # and some near local midnight


def test_near_local_midnight_the_written_date_and_the_utc_date_differ(run: pl.DataFrame) -> None:
    cases = run.filter("valid")
    differ = cases.filter(pl.col("intake_at").dt.date() != WRITTEN_DAY)
    assert differ.height > 0.05 * cases.height  # clinics far from UTC
    assert differ.filter(LOCAL_HOUR.is_in([23, 0])).height > 0


def test_trochanteric_pain_is_most_common_in_women_aged_40_to_60(run: pl.DataFrame) -> None:
    cases = run.filter("valid")
    midlife_women = (pl.col("sex") == "female") & pl.col("age_years").is_between(40, 60)
    compensatory = pl.col("mechanism") == "compensatory"
    assert share(cases.filter(midlife_women), compensatory) > 1.5 * share(
        cases.filter(~midlife_women), compensatory
    )


def test_fractures_swell_the_knee_and_often_stop_weight_bearing(run: pl.DataFrame) -> None:
    fractures = run.filter(pl.col("valid") & (pl.col("knee_injury") == "fracture"))
    others = run.filter(pl.col("valid") & (pl.col("knee_injury") != "fracture"))
    assert share(fractures.drop_nulls("knee_effusion"), pl.col("knee_effusion")) > 0.8
    no_weight = pl.col("weight_bearing") == "none"
    assert share(fractures, no_weight) > 0.3
    assert share(others, no_weight) < 0.05


def test_findings_are_missing_for_a_reason(run: pl.DataFrame) -> None:
    cases = run.filter("valid")
    in_pain = (pl.col("pain_score") >= p.IN_PAIN_SCORE) | (pl.col("weight_bearing") != "full")
    not_done = pl.col("trendelenburg_sign").is_null()
    assert share(cases.filter(in_pain), not_done) > 2 * share(cases.filter(~in_pain), not_done)
    unwell = pl.col("fever_reported").fill_null(value=False)
    not_taken = pl.col("temperature_c").is_null()
    assert share(cases.filter(unwell), not_taken) < 0.5 * share(cases.filter(~unwell), not_taken)


def test_no_phrase_in_the_notes_gives_the_mechanism_away(run: pl.DataFrame) -> None:
    phrases = (
        run.filter("valid")
        .select(
            "mechanism", pl.col("notes").str.split("\n").list.first().str.split(". ").alias("p")
        )
        .explode("p")
        .drop_nulls("p")
    )
    by_phrase = phrases.group_by("p").agg(
        pl.len().alias("n"), pl.col("mechanism").n_unique().alias("mechanisms")
    )
    common = by_phrase.filter(pl.col("n") >= 200)
    assert common.height >= 10
    assert (common["mechanisms"] >= 4).all(), common.filter(pl.col("mechanisms") < 4)


def test_the_hip_causes_the_guards_exclude_are_generated_with_a_truthful_label(
    run: pl.DataFrame,
) -> None:
    cases = run.filter("valid")
    hip_signs = pl.col("hip_rom").is_in(["painful", "restricted"]) | (
        pl.col("hip_provocation") == "positive"
    )
    children = cases.filter((pl.col("age_years") < 16) & hip_signs)
    old_hips = cases.filter(
        (pl.col("age_years") >= 50)
        & (pl.col("hip_pain_location") == "groin")
        & (pl.col("hip_rom") == "restricted")
    )
    same_event = cases.filter(
        (pl.col("hip_pain_onset_date") == pl.col("injury_date"))
        & pl.col("knee_injury").is_in(["fracture", "ligament_injury", "contusion"])
    )
    for group in (children, old_hips, same_event):
        assert group.height > 100
        # mostly a hip cause (truth undetermined), though a knee mechanism is possible too
        assert 0.3 < share(group, pl.col("mechanism") == "undetermined") < 1.0


def test_ages_are_not_piled_up_at_the_youngest_age_of_an_injury(run: pl.DataFrame) -> None:
    ligament = run.filter(pl.col("valid") & (pl.col("knee_injury") == "ligament_injury"))
    youngest = p.AGE_BY_KNEE_INJURY["ligament_injury"].lowest
    at_youngest = share(ligament, pl.col("age_years") == youngest)
    next_up = share(ligament, pl.col("age_years") == youngest + 1)
    assert at_youngest < 1.5 * next_up


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
