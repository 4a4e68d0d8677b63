"""The CSV reader reads every well-formed record, quarantines each damaged line on its own
with its line number and raw text, and never lets one damaged line stop the rest."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.contract.fields import FIELD_NAMES
from pipeline.validate import UnsupportedFileError, read_intake_file
from pipeline.validate.csv_reader import read_csv_bytes
from tests.files import HEADER, csv, csv_value, line
from tests.records import BASELINE, record


def malformed(data: bytes) -> list[tuple[int, str, str]]:
    batch = read_csv_bytes(data)
    return [
        (row["line_number"], row["raw_record"], row["reasons"][0]["value"])
        for row in batch.malformed.iter_rows(named=True)
    ]


def test_a_clean_file_gives_one_record_per_line_starting_on_line_2() -> None:
    batch = read_csv_bytes(csv(line(intake_id="A"), line(intake_id="B")))
    assert batch.records["line_number"].to_list() == [2, 3]
    assert batch.records["intake_id"].to_list() == ["A", "B"]
    assert batch.records["raw_record"][0] == line(intake_id="A")
    assert batch.malformed.is_empty()
    assert batch.records.select(FIELD_NAMES).row(0, named=True) == {**BASELINE, "intake_id": "A"}


def test_an_empty_file_has_no_records() -> None:
    batch = read_csv_bytes(b"")
    assert (batch.records.height, batch.malformed.height) == (0, 0)


def test_a_header_only_file_has_no_records() -> None:
    batch = read_csv_bytes(csv())
    assert (batch.records.height, batch.malformed.height, batch.missing_columns) == (0, 0, ())


def test_a_short_row_is_malformed_and_the_next_row_is_read() -> None:
    short = ",".join(line().split(",")[:20])
    data = csv(short, line(intake_id="NEXT"))
    assert malformed(data) == [(2, short, "20 fields where the header has 30")]
    assert read_csv_bytes(data).records["intake_id"].to_list() == ["NEXT"]


def test_a_long_row_is_malformed() -> None:
    long = line() + ",extra"
    assert malformed(csv(long)) == [(2, long, "31 fields where the header has 30")]


def test_a_stray_quote_inside_a_field_is_malformed_and_contained_to_its_line() -> None:
    stray = line(notes=None).replace("contusion", 'contu"sion')
    data = csv(stray, line(intake_id="NEXT"), line(intake_id="AFTER"))
    assert malformed(data) == [
        (
            2,
            stray,
            "a quote where RFC 4180 allows none (inside an unquoted field or after a "
            "closing quote)",
        )
    ]
    assert read_csv_bytes(data).records["intake_id"].to_list() == ["NEXT", "AFTER"]


def test_an_unclosed_quote_in_the_last_record_does_not_swallow_anything() -> None:
    unclosed = line() + '"'
    data = csv(line(intake_id="FIRST"), unclosed)
    assert malformed(data) == [(3, unclosed, "a quoted field is never closed")]
    assert read_csv_bytes(data).records["intake_id"].to_list() == ["FIRST"]


def test_an_unclosed_quote_mid_file_is_malformed_and_the_lines_after_it_are_read() -> None:
    unclosed = line(notes=None)[: -len(",")] + ',"never closed'
    data = csv(
        line(intake_id="A"),
        unclosed,
        line(intake_id="B"),
        line(intake_id="C", notes='he said "ouch"'),
    )
    assert [m[0] for m in malformed(data)] == [3]
    assert read_csv_bytes(data).records["intake_id"].to_list() == ["A", "B", "C"]


def test_bad_utf8_is_malformed_with_its_bytes_shown_and_the_rest_is_read() -> None:
    data = csv(line(intake_id="A"), line(notes="x"), line(intake_id="C")).replace(
        b",x\n", b",\xff\n"
    )
    assert malformed(data) == [(3, line(notes="\\xff"), "the line is not valid UTF-8")]
    assert read_csv_bytes(data).records["intake_id"].to_list() == ["A", "C"]


def test_a_quoted_field_over_several_lines_is_one_record_numbered_by_its_first_line() -> None:
    data = csv(line(intake_id="A", notes="first line\nsecond, line"), line(intake_id="B"))
    batch = read_csv_bytes(data)
    assert batch.records["line_number"].to_list() == [2, 4]
    assert batch.records["notes"][0] == "first line\nsecond, line"
    assert batch.malformed.is_empty()


def test_quotes_inside_a_quoted_field_are_unescaped() -> None:
    batch = read_csv_bytes(csv(line(notes='he said "ouch", twice')))
    assert batch.records["notes"][0] == 'he said "ouch", twice'


def test_a_byte_order_mark_is_not_part_of_the_first_column_name() -> None:
    batch = read_csv_bytes(b"\xef\xbb\xbf" + csv(line()))
    assert batch.unknown_columns == ()
    assert batch.records["intake_id"][0] == "T-1"


def test_crlf_line_endings_are_read_like_lf() -> None:
    batch = read_csv_bytes(csv(line(intake_id="A"), line(intake_id="B", notes="n"), newline="\r\n"))
    assert batch.records["intake_id"].to_list() == ["A", "B"]
    assert batch.records["notes"].to_list() == [None, "n"]
    assert batch.records["raw_record"][0] == line(intake_id="A")


def test_an_unknown_column_is_reported_once_and_kept_out_of_the_records() -> None:
    batch = read_csv_bytes(csv(line() + ",42", line() + ",43", header=HEADER + ",favourite_colour"))
    assert batch.unknown_columns == ("favourite_colour",)
    assert "favourite_colour" not in batch.records.columns
    assert batch.records.height == 2


def test_a_missing_column_is_reported_and_every_record_lacks_that_field() -> None:
    header = ",".join(n for n in FIELD_NAMES if n != "sex")
    row = ",".join(csv_value(v) for k, v in record().items() if k != "sex")
    batch = read_csv_bytes(csv(row, header=header))
    assert batch.missing_columns == ("sex",)
    assert batch.records["sex"].to_list() == [None]


def test_columns_may_come_in_any_order() -> None:
    names = list(reversed(FIELD_NAMES))
    row = ",".join(csv_value(record()[n]) for n in names)
    batch = read_csv_bytes(csv(row, header=",".join(names)))
    assert batch.records.select(FIELD_NAMES).row(0, named=True) == BASELINE


def test_empty_cells_and_empty_quoted_cells_are_not_given() -> None:
    row = line(notes=None).replace(",contusion,", ',"",')
    assert read_csv_bytes(csv(row)).records["knee_injury"].to_list() == [None]


def test_blank_lines_are_skipped() -> None:
    batch = read_csv_bytes(csv(line(intake_id="A"), "", line(intake_id="B")))
    assert batch.records["line_number"].to_list() == [2, 4]
    assert batch.malformed.is_empty()


def test_a_header_naming_a_column_twice_makes_every_record_malformed() -> None:
    batch = read_csv_bytes(csv(line() + ",x", header=HEADER + ",sex"))
    assert batch.records.is_empty()
    assert (
        batch.malformed["reasons"][0][0]["value"] == "the header (line 1) names sex more than once"
    )


def test_records_in_counts_readable_and_unreadable_records() -> None:
    batch = read_csv_bytes(csv(line(intake_id="A"), "short,row", line(intake_id="B")))
    assert (batch.records.height, batch.malformed.height, batch.records_in) == (2, 1, 3)


def test_files_are_read_by_their_extension(tmp_path: Path) -> None:
    path = tmp_path / "intake_c1.CSV"
    path.write_bytes(csv(line()))
    assert read_intake_file(path).records.height == 1
    with pytest.raises(UnsupportedFileError, match=r"intake\.txt"):
        read_intake_file(tmp_path / "intake.txt")


def test_a_header_of_more_than_1000_columns_makes_every_record_malformed() -> None:
    batch = read_csv_bytes(csv(line(), header="c," * 1000 + "c"))
    assert batch.records.is_empty()
    assert batch.malformed["reasons"][0][0]["value"] == (
        "the header (line 1) names more than 1,000 columns"
    )
