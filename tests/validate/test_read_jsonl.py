"""The JSON Lines reader: one object a line, numbered from 1; anything that is not a JSON
object is quarantined on its own, and values arrive as the text validation reads."""

from __future__ import annotations

from pipeline.validate.csv_reader import read_csv_bytes
from pipeline.validate.jsonl_reader import read_jsonl_bytes
from pipeline.validate.rules import validate
from tests.files import csv, jsonl, line, obj
from tests.records import NOW, hashes


def details(data: bytes) -> list[tuple[int, str]]:
    return [
        (row["line_number"], row["reasons"][0]["value"])
        for row in read_jsonl_bytes(data).malformed.iter_rows(named=True)
    ]


def test_objects_are_records_numbered_from_line_1_with_their_raw_text() -> None:
    batch = read_jsonl_bytes(jsonl(obj(intake_id="A"), obj(intake_id="B")))
    assert batch.records["line_number"].to_list() == [1, 2]
    assert batch.records["raw_record"][0] == obj(intake_id="A")
    assert batch.malformed.is_empty()


def test_json_booleans_and_numbers_become_their_text() -> None:
    line = obj(knee_instability=True, age_years=40, temperature_c=37.5, pain_score=4.0)
    row = read_jsonl_bytes(jsonl(line)).records.row(0, named=True)
    assert (row["knee_instability"], row["age_years"], row["temperature_c"]) == (
        "true",
        "40",
        "37.5",
    )
    assert row["pain_score"] == "4"


def test_json_null_and_a_left_out_key_are_both_not_given() -> None:
    row = read_jsonl_bytes(jsonl(obj(notes=None))).records.row(0, named=True)
    assert (row["notes"], row["knee_effusion"]) == (None, None)


def test_a_json_array_line_is_malformed() -> None:
    assert details(jsonl("[1, 2]", obj())) == [(1, "a JSON array, not an object")]


def test_a_json_number_line_is_malformed() -> None:
    assert details(jsonl(obj(), "12")) == [(2, "a JSON number, not an object")]


def test_invalid_json_is_malformed_and_the_other_lines_are_read() -> None:
    data = jsonl(obj(intake_id="A"), '{"intake_id": "B", "sex": }', obj(intake_id="C"))
    assert details(data) == [(2, "invalid JSON: Expecting value: line 1 column 27 (char 26)")]
    assert read_jsonl_bytes(data).records["intake_id"].to_list() == ["A", "C"]


def test_a_line_cut_off_mid_object_is_malformed() -> None:
    cut = obj()[:40]
    assert [d[0] for d in details(jsonl(obj(), cut))] == [2]


def test_bad_utf8_is_malformed() -> None:
    data = jsonl(obj(intake_id="A"), obj(notes="x")).replace(b'"x"', b'"\xff"')
    assert details(data) == [(2, "the line is not valid UTF-8")]


def test_a_list_where_a_value_belongs_is_a_type_reason_for_that_field() -> None:
    batch = read_jsonl_bytes(jsonl(obj(notes=["a", "b"]), obj(intake_id="S", notes="[not a list]")))
    validated = validate(batch.records, NOW)
    assert validated.quarantine["reasons"].to_list() == [
        [{"field": "notes", "rule": "type", "value": '["a","b"]'}]
    ]
    assert validated.valid["notes"].to_list() == ["[not a list]"]


def test_unknown_keys_are_reported_once_even_late_in_the_file() -> None:
    data = jsonl(
        obj(intake_id="A"), obj(intake_id="B", colour="red"), obj(intake_id="C", colour="blue")
    )
    batch = read_jsonl_bytes(data)
    assert batch.unknown_columns == ("colour",)
    assert "colour" not in batch.records.columns


def test_an_empty_file_has_no_records() -> None:
    batch = read_jsonl_bytes(b"")
    assert (batch.records.height, batch.malformed.height) == (0, 0)


def test_blank_lines_are_skipped_and_crlf_is_accepted() -> None:
    data = (obj(intake_id="A") + "\r\n\r\n" + obj(intake_id="B") + "\r\n").encode()
    batch = read_jsonl_bytes(data)
    assert batch.records["line_number"].to_list() == [1, 3]
    assert batch.records["raw_record"][0] == obj(intake_id="A")


def test_the_same_record_in_csv_and_json_lines_has_the_same_content_hash() -> None:
    from_csv = validate(read_csv_bytes(csv(line(rest_tried="TRUE"))).records, NOW)
    from_json = validate(read_jsonl_bytes(jsonl(obj(rest_tried=True, age_years=40))).records, NOW)
    assert hashes(from_csv.valid).to_list() == hashes(from_json.valid).to_list()


def test_a_value_nested_thousands_deep_is_malformed_and_the_next_line_is_read() -> None:
    deep = '{"notes": ' + "[" * 5000 + "]" * 5000 + "}"
    batch = read_jsonl_bytes(jsonl(deep, obj(intake_id="B")))
    assert details(jsonl(deep)) == [(1, "invalid JSON: nested too deeply to read")]
    assert batch.records["intake_id"].to_list() == ["B"]
