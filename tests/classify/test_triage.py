"""Triage follows the contract exactly: red flags make a case urgent, pain lasting 21 days or
more despite rest needs evaluation, everything else is routine."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.classify.cases import classified_one


def test_a_case_without_red_flags_or_persistent_pain_is_routine() -> None:
    case = classified_one()
    assert (case["triage"], case["triage_reasons"]) == ("routine", [])


def test_rapidly_worsening_pain_is_urgent() -> None:
    case = classified_one(pain_trend="rapidly_worsening")
    assert (case["triage"], case["triage_reasons"]) == ("urgent", ["rapid_worsening"])


@pytest.mark.parametrize("trend", ["improving", "stable", "worsening"])
def test_pain_that_is_not_rapidly_worsening_is_no_red_flag(trend: str) -> None:
    assert classified_one(pain_trend=trend)["triage"] == "routine"


def test_no_weight_bearing_is_urgent() -> None:
    case = classified_one(weight_bearing="none")
    assert (case["triage"], case["triage_reasons"]) == ("urgent", ["no_weight_bearing"])


def test_partial_weight_bearing_is_no_red_flag() -> None:
    assert classified_one(weight_bearing="partial")["triage"] == "routine"


def test_temperature_of_38_0_is_fever() -> None:
    case = classified_one(temperature_c="38.0")
    assert (case["triage"], case["triage_reasons"]) == ("urgent", ["fever"])


def test_temperature_of_37_9_is_not_fever() -> None:
    assert classified_one(temperature_c="37.9")["triage"] == "routine"


def test_reported_fever_alone_is_urgent() -> None:
    case = classified_one(fever_reported="true")
    assert (case["triage"], case["triage_reasons"]) == ("urgent", ["fever"])


def test_measured_fever_alone_is_urgent_when_fever_is_not_reported() -> None:
    case = classified_one(temperature_c="38.4", fever_reported=None)
    assert case["triage_reasons"] == ["fever"]


def test_reported_fever_is_not_hidden_by_a_normal_temperature() -> None:
    case = classified_one(temperature_c="36.8", fever_reported="yes")
    assert (case["triage"], case["triage_reasons"]) == ("urgent", ["fever"])


def test_measured_fever_is_not_hidden_by_a_patient_who_reports_none() -> None:
    case = classified_one(temperature_c="39.1", fever_reported="false")
    assert (case["triage"], case["triage_reasons"]) == ("urgent", ["fever"])


def test_missing_temperature_and_fever_report_are_not_fever() -> None:
    case = classified_one(temperature_c=None, fever_reported=None)
    assert (case["triage"], case["triage_reasons"]) == ("routine", [])


def test_every_red_flag_that_holds_is_listed_in_the_contract_order() -> None:
    case = classified_one(
        pain_trend="rapidly_worsening", weight_bearing="none", fever_reported="true"
    )
    assert case["triage"] == "urgent"
    assert case["triage_reasons"] == ["rapid_worsening", "no_weight_bearing", "fever"]


def test_pain_for_21_days_despite_rest_needs_evaluation() -> None:
    case = classified_one(
        hip_pain_onset_date="2026-10-30", injury_date="2026-10-20", rest_tried="true"
    )
    assert (case["triage"], case["triage_reasons"]) == ("evaluate", ["persistent_despite_rest"])


def test_pain_for_20_days_despite_rest_is_routine() -> None:
    case = classified_one(
        hip_pain_onset_date="2026-10-31", injury_date="2026-10-20", rest_tried="true"
    )
    assert (case["triage"], case["triage_reasons"]) == ("routine", [])


def test_persistent_pain_without_rest_tried_is_routine() -> None:
    case = classified_one(
        hip_pain_onset_date="2026-09-01", injury_date="2026-08-20", rest_tried="false"
    )
    assert case["triage"] == "routine"


@pytest.mark.parametrize(
    ("intake_at", "utc_date"),
    [
        ("2026-11-20T00:30:00+01:00", "2026-11-19"),  # just after local midnight, east of UTC
        ("2026-11-20T08:00:00+10:00", "2026-11-19"),
        ("2026-11-19T23:30:00-05:00", "2026-11-20"),  # just before local midnight, west of UTC
    ],
)
def test_pain_duration_is_counted_to_the_date_written_in_intake_at(
    intake_at: str, utc_date: str
) -> None:
    # The contract: the date of intake is the calendar date written, the clinic's own day,
    # whatever the UTC date of the instant is.
    written = intake_at[:10]
    onset = (date.fromisoformat(written) - timedelta(days=21)).isoformat()
    case = classified_one(
        intake_at=intake_at, hip_pain_onset_date=onset, injury_date=onset, rest_tried="true"
    )
    assert utc_date != written
    assert case["triage"] == "evaluate"
    one_day_less = (date.fromisoformat(onset) + timedelta(days=1)).isoformat()
    case = classified_one(
        intake_at=intake_at,
        hip_pain_onset_date=one_day_less,
        injury_date=one_day_less,
        rest_tried="true",
    )
    assert case["triage"] == "routine"


def test_an_urgent_case_also_lists_persistent_pain_despite_rest() -> None:
    case = classified_one(
        weight_bearing="none",
        hip_pain_onset_date="2026-09-01",
        injury_date="2026-08-20",
        rest_tried="true",
    )
    assert case["triage"] == "urgent"
    assert case["triage_reasons"] == ["no_weight_bearing", "persistent_despite_rest"]
