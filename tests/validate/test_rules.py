"""Every rule of the contract quarantines a record with the exact (field, rule, value), and a
record that breaks no rule comes out valid with the contract's types."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

import polars as pl
import pytest

from pipeline.contract.schema import RECORD_SCHEMA
from pipeline.validate.content_hash import canonical_text, content_hash
from pipeline.validate.rules import VALID_SCHEMA, validate
from tests.records import NOW, hashes, raw_frame, record


def reasons_of(**changes: str | None) -> list[dict[str, str | None]]:
    validated = validate(raw_frame(record(**changes)), NOW)
    assert validated.records_in == 1
    if validated.valid.height:
        return []
    reasons: list[dict[str, str | None]] = validated.quarantine["reasons"][0].to_list()
    return reasons


def reason(field: str, rule: str, value: str | None) -> dict[str, str | None]:
    return {"field": field, "rule": rule, "value": value}


def test_the_baseline_record_is_valid_with_the_contracts_types() -> None:
    validated = validate(raw_frame(record()), NOW)
    assert validated.quarantine.is_empty()
    assert validated.valid.schema == VALID_SCHEMA
    row = validated.valid.row(0, named=True)
    assert row["intake_at"] == datetime(2026, 11, 20, 10, tzinfo=UTC)
    assert row["intake_date"] == date(2026, 11, 20)
    assert row["age_years"] == 40
    assert row["knee_effusion"] is None


def test_the_valid_frame_has_every_contract_field_with_its_contract_type() -> None:
    valid = validate(raw_frame(record()), NOW).valid
    assert {name: valid.schema[name] for name in RECORD_SCHEMA} == dict(RECORD_SCHEMA)


def test_a_missing_required_field_fails_required() -> None:
    assert reasons_of(sex=None) == [reason("sex", "required", None)]


def test_a_missing_optional_field_is_fine() -> None:
    assert reasons_of(temperature_c=None, notes=None) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("age_years", "forty"),
        ("age_years", "40.0"),
        ("pain_score", ""),  # empty text is "not given": see the required test; here a space
        ("temperature_c", "hot"),
        ("temperature_c", "nan"),
        ("injury_date", "2026-02-30"),
        ("injury_date", "2026-3-4"),
        ("intake_at", "yesterday"),
        ("intake_at", "2026-11-20T10"),
        ("intake_at", "2026-11-20T10:00:00+0100"),
        ("intake_at", "2026-11-20T24:00:00Z"),
        ("intake_at", "2026-11-20T10:00:00+25:00"),
        ("knee_instability", "maybe"),
    ],
)
def test_a_value_that_is_not_of_the_fields_type_fails_type(field: str, value: str) -> None:
    if value == "":
        value = " "
    assert reasons_of(**{field: value}) == [reason(field, "type", value)]


@pytest.mark.parametrize(
    "spelling", ["true", "TRUE", "True", "1", "yes", "YES", "false", "0", "No"]
)
def test_every_boolean_spelling_of_the_contract_is_accepted(spelling: str) -> None:
    validated = validate(raw_frame(record(knee_instability=spelling)), NOW)
    assert validated.valid["knee_instability"][0] is (spelling.lower() in ("true", "1", "yes"))


def test_a_value_outside_the_enum_fails_allowed_values() -> None:
    assert reasons_of(sex="Female") == [reason("sex", "allowed_values", "Female")]


def test_an_id_with_characters_outside_the_alphabet_fails_alphabet() -> None:
    assert reasons_of(intake_id="T 1") == [reason("intake_id", "alphabet", "T 1")]


def test_an_id_that_is_too_long_fails_length() -> None:
    clinic = "C" * 33
    assert reasons_of(clinic_id=clinic) == [reason("clinic_id", "length", clinic)]
    assert reasons_of(clinic_id="C" * 32) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [("age_years", "121"), ("age_years", "-1"), ("pain_score", "11"), ("temperature_c", "29.9")],
)
def test_a_number_outside_its_range_fails_range(field: str, value: str) -> None:
    assert reasons_of(**{field: value}) == [reason(field, "range", value)]


@pytest.mark.parametrize(
    ("field", "value"),
    [("age_years", "0"), ("age_years", "120"), ("temperature_c", "30.0"), ("temperature_c", "45")],
)
def test_the_ends_of_a_range_are_inside_it(field: str, value: str) -> None:
    assert reasons_of(**{field: value}) == []


def test_an_intake_more_than_a_day_ahead_fails_not_in_future() -> None:
    ahead = (NOW + timedelta(days=1, seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    dates = {"injury_date": "2026-11-10", "hip_pain_onset_date": "2026-11-15"}
    assert reasons_of(intake_at=ahead, **dates) == [reason("intake_at", "not_in_future", ahead)]


def test_an_intake_up_to_a_day_ahead_is_accepted() -> None:
    assert reasons_of(intake_at=(NOW + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")) == []


@pytest.mark.parametrize("field", ["injury_date", "hip_pain_onset_date"])
def test_a_date_after_the_date_of_intake_fails_not_after_intake(field: str) -> None:
    assert reasons_of(**{field: "2026-11-21"}) == [reason(field, "not_after_intake", "2026-11-21")]


def test_a_date_on_the_day_of_intake_is_accepted() -> None:
    assert reasons_of(injury_date="2026-11-20", hip_pain_onset_date="2026-11-20") == []


def test_notes_longer_than_2000_characters_fail_length() -> None:
    notes = "x" * 2001
    assert reasons_of(notes=notes) == [reason("notes", "length", notes)]
    assert reasons_of(notes="é" * 2000) == []


def test_a_record_lists_every_reason_in_contract_field_order() -> None:
    assert reasons_of(intake_id=None, age_years="200", sex="x", injury_date="2027-01-01") == [
        reason("intake_id", "required", None),
        reason("age_years", "range", "200"),
        reason("sex", "allowed_values", "x"),
        reason("injury_date", "not_after_intake", "2027-01-01"),
    ]


def test_a_date_time_without_an_offset_is_utc_and_an_offset_is_applied() -> None:
    validated = validate(
        raw_frame(
            record(intake_id="A", intake_at="2026-11-20T10:00:00"),
            record(intake_id="B", intake_at="2026-11-20T10:00:00+01:00"),
            record(intake_id="C", intake_at="2026-11-20T10:00:00.123456789Z"),
        ),
        NOW,
    )
    assert validated.valid["intake_at"].to_list() == [
        datetime(2026, 11, 20, 10, tzinfo=UTC),
        datetime(2026, 11, 20, 9, tzinfo=UTC),
        datetime(2026, 11, 20, 10, 0, 0, 123456, tzinfo=UTC),
    ]


def test_the_same_id_twice_with_different_content_quarantines_both() -> None:
    validated = validate(raw_frame(record(pain_score="4"), record(pain_score="9")), NOW)
    assert validated.valid.is_empty()
    assert (
        validated.quarantine["reasons"].to_list()
        == [[reason("intake_id", "duplicate_in_file", "T-1")]] * 2
    )


def test_an_exact_resend_inside_a_file_stays_valid_and_points_at_the_first() -> None:
    validated = validate(raw_frame(record(rest_tried="false"), record(rest_tried="FALSE")), NOW)
    assert validated.quarantine.is_empty()
    assert validated.valid["duplicate_of_line"].to_list() == [None, 2]


def test_a_repeated_invalid_record_is_quarantined_for_its_own_reasons_only() -> None:
    validated = validate(raw_frame(record(sex="x"), record(sex="x")), NOW)
    assert validated.quarantine["reasons"].to_list() == [[reason("sex", "allowed_values", "x")]] * 2


def test_the_same_content_however_spelled_has_the_same_content_hash() -> None:
    validated = validate(
        raw_frame(
            record(intake_id="A", rest_tried="true", intake_at="2026-11-20T10:00:00Z"),
            record(intake_id="A", rest_tried="YES", intake_at="2026-11-20T11:00:00+01:00"),
            record(intake_id="A", rest_tried="1", intake_at="2026-11-20T10:00:00"),
        ),
        NOW,
    )
    assert hashes(validated.valid).n_unique() == 1


def test_a_changed_value_changes_the_content_hash() -> None:
    validated = validate(
        raw_frame(record(intake_id="A"), record(intake_id="B", pain_score="5")), NOW
    )
    assert hashes(validated.valid).n_unique() == 2


def test_the_content_hash_is_sha256_of_the_documented_canonical_text() -> None:
    valid = validate(raw_frame(record(notes="a|b", temperature_c="37.5")), NOW).valid
    row = valid.select(content_hash().alias("hash")).row(0, named=True)
    intake_us = int(datetime(2026, 11, 20, 10, tzinfo=UTC).timestamp() * 1_000_000)
    days = (
        (date(2026, 11, 10) - date(1970, 1, 1)).days,
        (date(2026, 11, 15) - date(1970, 1, 1)).days,
    )
    # booleans in contract order: knee_instability false, knee_effusion -, worse_with_walking -,
    # antalgic_gait false, trendelenburg -, trochanteric -, knee provocation -, fever -, rest false
    booleans = int("022022220", 3)
    text = "|".join(
        [
            "intake-record-v1",
            "T-1",
            "C1",
            str(intake_us),
            "P1",
            "40",
            "female",
            "contusion",
            "left",
            str(days[0]),
            "left",
            str(days[1]),
            "buttock",
            "4",
            "stable",
            "",
            "",
            "",
            "",
            "full",
            "37500000",
            "3:a|b",
            str(booleans),
        ]
    )
    assert row["hash"] == hashlib.sha256(text.encode()).hexdigest()


def test_records_in_equal_valid_plus_quarantined() -> None:
    records = [record(intake_id=f"R{i}", age_years=str(i * 20)) for i in range(10)]
    validated = validate(raw_frame(*records), NOW)
    assert validated.valid.height == 7  # ages 0..120 are valid, 140..180 are not
    assert validated.valid.height + validated.quarantine.height == len(records)


def test_a_frame_without_some_field_columns_is_read_as_those_fields_not_given() -> None:
    validated = validate(pl.DataFrame({"line_number": [2], "intake_id": ["X"]}), NOW)
    reasons = validated.quarantine["reasons"][0].to_list()
    assert reason("clinic_id", "required", None) in reasons


def test_free_text_with_a_nul_character_breaks_type() -> None:
    assert reasons_of(notes="a\x00b") == [reason("notes", "type", "a\x00b")]


# --- The date of intake is the calendar date written in intake_at (the contract, issue 12) ---


def test_pain_that_began_on_the_written_day_of_intake_is_not_after_intake() -> None:
    # 01:00 at +02:00 on 22 March is 23:00 UTC on the 21st; the clinic's day is the 22nd.
    validated = validate(
        raw_frame(
            record(
                intake_at="2026-03-22T01:00:00+02:00",
                injury_date="2026-03-20",
                hip_pain_onset_date="2026-03-22",
                pain_trend="rapidly_worsening",
            )
        ),
        NOW,
    )
    assert validated.quarantine.is_empty(), validated.quarantine["reasons"].to_list()
    assert validated.valid["intake_date"].to_list() == [date(2026, 3, 22)]
    assert validated.valid["intake_at"].to_list() == [datetime(2026, 3, 21, 23, tzinfo=UTC)]


def test_a_date_after_the_written_day_of_intake_is_after_intake_west_of_utc() -> None:
    # 20:00 at -05:00 on 21 March is 01:00 UTC on the 22nd; the clinic's day is the 21st.
    onset = "2026-03-22"
    reasons = reasons_of(
        intake_at="2026-03-21T20:00:00-05:00", injury_date="2026-03-20", hip_pain_onset_date=onset
    )
    assert reasons == [reason("hip_pain_onset_date", "not_after_intake", onset)]


@pytest.mark.parametrize(
    ("text", "instant"),
    [
        ("2026-03-22T08:00Z", datetime(2026, 3, 22, 8, tzinfo=UTC)),
        ("2026-03-22T08:00z", datetime(2026, 3, 22, 8, tzinfo=UTC)),
        ("2026-03-22t08:00:00z", datetime(2026, 3, 22, 8, tzinfo=UTC)),
        ("2026-03-22 08:00:00Z", datetime(2026, 3, 22, 8, tzinfo=UTC)),
        ("2026-03-22T08:00", datetime(2026, 3, 22, 8, tzinfo=UTC)),
        ("2026-03-22T08:00+10:00", datetime(2026, 3, 21, 22, tzinfo=UTC)),
        ("2026-03-22T08:00:00.5-00:00", datetime(2026, 3, 22, 8, 0, 0, 500000, tzinfo=UTC)),
    ],
)
def test_every_rfc3339_form_a_clinic_system_writes_is_accepted(
    text: str, instant: datetime
) -> None:
    validated = validate(
        raw_frame(
            record(intake_at=text, injury_date="2026-03-01", hip_pain_onset_date="2026-03-02")
        ),
        NOW,
    )
    assert validated.quarantine.is_empty(), validated.quarantine["reasons"].to_list()
    assert validated.valid["intake_at"].to_list() == [instant]
    assert validated.valid["intake_date"].to_list() == [date(2026, 3, 22)]


def test_the_same_instant_written_on_another_day_is_other_content() -> None:
    # 23:00Z on the 21st and 01:00+02:00 on the 22nd are one instant but two intake days: a
    # re-send that changes the day is a correction. Where the days agree the hash is as before.
    dates = {"injury_date": "2026-03-01", "hip_pain_onset_date": "2026-03-02"}
    validated = validate(
        raw_frame(
            record(intake_id="A", intake_at="2026-03-21T23:00:00Z", **dates),
            record(intake_id="B", intake_at="2026-03-22T01:00:00+02:00", **dates),
            record(intake_id="C", intake_at="2026-03-21T23:00:00Z", **dates),
            record(intake_id="D", intake_at="2026-03-22T00:30:00+01:30", **dates),
        ),
        NOW,
    )
    assert validated.quarantine.is_empty()
    text = validated.valid.with_columns(pl.lit("X").alias("intake_id")).select(
        canonical_text().alias("text")
    )["text"]
    assert text[0] != text[1]
    assert text[0] == text[2]
    assert "@" not in text[0]
    assert text[1] == text[3]
