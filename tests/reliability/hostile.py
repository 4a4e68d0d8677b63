"""Hostile intake files for the fuzz tests: good records with hostile lines of every kind among
them, and what a correct reader must make of them (every good record valid, every other line
accounted for exactly once, nothing else)."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

from hypothesis import strategies as st

from pipeline.contract.fields import FIELD_NAMES
from pipeline.validate.lines import UTF8_BOM
from tests.files import HEADER, line, obj

# How many files a fuzz test tries: a few hundred in `make test`, many more in `make fuzz`.
FUZZ_EXAMPLES: Final = int(os.environ.get("INTAKE_FUZZ_EXAMPLES", "300"))
"""Hostile files per fuzz test (the pipeline and CLI tests try a fraction of them)."""
HUGE_FIELD_CHARS: Final = int(os.environ.get("INTAKE_FUZZ_HUGE_FIELD", "60000"))
MANY_COLUMNS: Final = int(os.environ.get("INTAKE_FUZZ_MANY_COLUMNS", "20000"))

FORMATS: Final = ("csv", "jsonl")
SQL_INJECTION: Final = "'; DROP TABLE intake_cases; --"
SCRIPT_INJECTION: Final = "<script>alert(1)</script>"


def good_line(fmt: str, intake_id: str, **changes: str) -> str:
    """A valid record as one line of `fmt`."""
    return (
        line(intake_id=intake_id, **changes)
        if fmt == "csv"
        else obj(intake_id=intake_id, **changes)
    )


@dataclass(frozen=True)
class HostileFile:
    """A file's bytes and what reading it must give."""

    fmt: str
    data: bytes
    good: dict[int, str]
    """Line number -> intake id of each good record: each must come out valid."""
    other: dict[int, bytes]
    """Line number -> bytes (without line break) of each other non-blank line: each must come
    out exactly once, valid or quarantined, with its text as received."""

    @property
    def records(self) -> int:
        return len(self.good) + len(self.other)

    @property
    def hostile_lines(self) -> int:
        return len(self.other)


# Hostile lines in the middle of a CSV file have an even number of quotes: an odd number
# legitimately opens a quoted field that runs on over the following lines (RFC 4180) and may
# swallow good records. Only the final, truncated line may leave a quote open.
def _even_quotes(data: bytes) -> bytes:
    return data + b'"' if data.count(b'"') % 2 else data


def _non_blank(data: bytes) -> bool:
    return data.strip(b" \t\r\n") != b""


_json_scalar = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
_json_values = st.recursive(
    _json_scalar,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def hostile_line(draw: st.DrawFn, fmt: str, tag: str) -> bytes:
    """One hostile line (no line break in it), never blank. `tag` makes ids unique."""
    kind = draw(
        st.sampled_from(
            (
                "random_bytes",
                "invalid_utf8",
                "nul",
                "huge_field",
                "many_columns",
                "nested_quotes",
                "json_not_an_object",
                "json_object",
                "deep_nesting",
                "field_changed",
                "injection",
            )
        )
    )
    bad_id = f"B{tag}"
    match kind:
        case "random_bytes":
            data = draw(st.binary(min_size=1, max_size=300))
        case "invalid_utf8":
            text = draw(st.text(max_size=40)).encode()
            data = text + draw(
                st.sampled_from((b"\xff", b"\xc3\x28", b"\xe2\x82", b"\xed\xa0\x80"))
            )
        case "nul":
            text = good_line(fmt, bad_id).encode()
            at = draw(st.integers(0, len(text)))
            data = text[:at] + b"\x00" + text[at:]
        case "huge_field":
            size = draw(st.integers(2001, HUGE_FIELD_CHARS))
            field = draw(st.sampled_from(("notes", "patient_ref", "clinic_id", "sex")))
            data = good_line(fmt, bad_id, **{field: "x" * size}).encode()
        case "many_columns":
            data = b"," * draw(st.integers(len(FIELD_NAMES), MANY_COLUMNS))
            data = draw(st.sampled_from((b"", b"a", b'"q"'))) + data
        case "nested_quotes":
            data = draw(st.text(alphabet="\"',ab\\ \r{}[]:", min_size=1, max_size=80)).encode()
        case "json_not_an_object":
            data = json.dumps(draw(_json_values.filter(lambda v: not isinstance(v, dict)))).encode()
        case "deep_nesting":
            depth = draw(st.integers(500, 5000))
            opening = draw(st.sampled_from((b"[", b'{"a":')))
            closing = b"]" if opening == b"[" else b"}"
            data = b'{"notes":' + opening * depth + b"1" + closing * depth + b"}"
        case "json_object":
            value = draw(st.dictionaries(st.sampled_from(FIELD_NAMES), _json_values, max_size=8))
            data = json.dumps({**value, "intake_id": bad_id}).encode()
        case "field_changed":
            field = draw(st.sampled_from(FIELD_NAMES[1:]))
            changed = draw(st.text(max_size=30).filter(lambda t: "\n" not in t))
            data = good_line(fmt, bad_id, **{field: changed}).encode()
        case _:
            notes = draw(st.sampled_from((SQL_INJECTION, SCRIPT_INJECTION)))
            data = good_line(fmt, bad_id, notes=notes, patient_ref=notes).encode()
    data = data.replace(b"\n", b" ")
    if fmt == "csv":
        data = _even_quotes(data)
    return data if _non_blank(data) else data + b"?"


@st.composite
def hostile_files(draw: st.DrawFn, fmt: str | None = None) -> HostileFile:
    """A file of good records with hostile lines among them (see the module)."""
    chosen = fmt or draw(st.sampled_from(FORMATS))
    crlf = draw(st.booleans())
    ending = b"\r\n" if crlf else b"\n"
    lines: list[bytes] = [HEADER.encode()] if chosen == "csv" else []
    good: dict[int, str] = {}
    other: dict[int, bytes] = {}
    for index, is_good in enumerate(draw(st.lists(st.booleans(), min_size=1, max_size=12))):
        number = len(lines) + 1
        if is_good:
            good[number] = f"G{index}"
            lines.append(good_line(chosen, good[number]).encode())
        else:
            other[number] = draw(hostile_line(chosen, str(index)))
            lines.append(other[number])
    data = b"".join(text + ending for text in lines)
    if draw(st.booleans()):  # a truncated final line, without its line break
        text = good_line(chosen, "T").encode()
        cut = text[: draw(st.integers(1, len(text)))]
        if _non_blank(cut):
            other[len(lines) + 1] = cut
            data += cut
    if draw(st.booleans()):
        data = UTF8_BOM + data
    raw = {n: (text + (b"\r" if crlf else b"")).removesuffix(b"\r") for n, text in other.items()}
    return HostileFile(chosen, data, good, raw)


def whole_files() -> st.SearchStrategy[bytes]:
    """Files hostile from the first byte: random bytes, an empty file, a header alone, a
    header of very many columns, a BOM before anything."""
    header = HEADER.encode()
    return st.one_of(
        st.binary(max_size=2000),
        st.just(b""),
        st.just(header),
        st.just(header + b"\n"),
        st.binary(max_size=200).map(lambda tail: header + b"\n" + tail),
        st.integers(1000, 3000).map(lambda n: b"a," * n + b"a\n" + line().encode() + b"\n"),
        st.binary(max_size=200).map(lambda tail: UTF8_BOM + tail),
        st.text(alphabet=',"\r\n\x00ab', max_size=400).map(str.encode),
    )


@dataclass(frozen=True)
class Specimen:
    """One named hostile file of the catalogue: its bytes, the ids of its good records and how
    many records it holds that must be quarantined."""

    data: bytes
    good: frozenset[str]
    bad: int


def catalogue(prefix: str = "K") -> dict[str, Specimen]:
    """One file for each kind of hostile input the issue names, by `kind.ext` (its landing name
    is `intake_<kind>_<day>.<ext>`). Good records' ids start with `prefix`."""
    header = HEADER.encode()
    specimens = {"empty.csv": Specimen(b"", frozenset(), 0)}

    def add(
        name: str,
        rows: list[str | bytes],
        bad: int,
        head: bytes = header,
        end: bytes = b"\n",
        bom: bytes = b"",
    ) -> None:
        """A file of `rows`: a str is a good record with that id (after the prefix), bytes a
        line as it is; `bad` of the lines must be quarantined."""
        fmt = name.rsplit(".", 1)[1]
        lines = [head] if fmt == "csv" else []
        good: set[str] = set()
        for row in rows:
            if isinstance(row, str):
                good.add(f"{prefix}-{row}")
                lines.append(good_line(fmt, f"{prefix}-{row}").encode())
            else:
                lines.append(row)
        specimens[name] = Specimen(bom + b"\n".join(lines) + end, frozenset(good), bad)

    def bad(fmt: str, kind: str, **changes: str) -> bytes:
        return good_line(fmt, f"{prefix}-{kind}-bad", **changes).encode()

    add("headeronly.csv", [], 0)
    add("blanklines.jsonl", [b"", b"  ", b"\t"], 0)
    add("bom.csv", ["bom-1", "bom-2"], 0, bom=UTF8_BOM)
    add("bomjson.jsonl", ["bomjson-1"], 0, bom=UTF8_BOM)
    add("randombytes.csv", [], 3, head=bytes(range(256)) * 3)  # three lines, header unusable
    add("badutf8.csv", ["badutf8-1", b"caf\xe9,\xff\xfe", "badutf8-2"], 1)
    add("nul.csv", ["nul-1", b"x\x00y,1", bad("csv", "nul", notes="a\x00b"), "nul-2"], 2)
    add("nuljson.jsonl", ["nuljson-1", bad("jsonl", "nuljson", notes="a\x00b")], 1)
    add("hugefield.csv", ["hugefield-1", bad("csv", "hugefield", notes="x" * 200_000)], 1)
    add("manycolumns.csv", ["manycolumns-1", b"," * 200_000, "manycolumns-2"], 1)
    add("wideheader.csv", [good_line("csv", f"{prefix}-wide").encode()], 1, head=b"c," * 5000)
    add("quotes.csv", ["quotes-1", b'"a""b"c"d,"e""', "quotes-2", b'x,"y""z",w'], 2)
    add("truncated.csv", ["truncated-1", bad("csv", "truncated")[:40]], 1, end=b"")
    deep = b'{"notes":' + b"[" * 5000 + b"]" * 5000 + b"}"
    add(
        "json.jsonl",
        [
            "json-1",
            b"[1, 2, 3]",
            b"42",
            b'"a string"',
            b"null",
            deep,
            b'{"intake_id": "x", "notes": ["a", {"b": null}]}',
            "json-2",
            bad("jsonl", "json")[:30],
        ],
        7,
        end=b"",
    )
    return specimens


def tried_summary(reports: Iterable[Any]) -> str | None:
    """What the fuzz tests tried, added up from the `malformed_*` properties they record at
    their teardown (the run's summary prints it); None when none ran."""
    tried: Counter[str] = Counter()
    for report in reports:
        if getattr(report, "when", None) != "teardown":
            continue
        for key, value in report.user_properties:
            if key.startswith("malformed_"):
                tried[key.removeprefix("malformed_")] += int(value)
    if not tried:
        return None
    return (
        f"malformed inputs tried: {tried['files']:,} files, {tried['lines']:,} hostile lines"
        f" among good records; {tried['pipeline_runs']} full pipeline runs of fuzzed files"
    )
