"""Read a JSON Lines intake file (one JSON object a line, UTF-8) into a RawBatch: polars reads
the object lines at once, block by block if it rejects some; the rest, one by one with `json`."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import numpy.typing as npt
import polars as pl

from pipeline.contract.fields import FIELD_NAMES
from pipeline.contract.rules import Reason, Rule
from pipeline.validate.batch import RawBatch, records_frame
from pipeline.validate.lines import Lines, split_lines
from pipeline.validate.reasons import REASONS_DTYPE, MalformedLine, malformed_frame

BLOCK_LINES: Final = 8192
"""When polars rejects a file, it is retried in blocks of this many lines."""

_REJECTED: Final = (pl.exceptions.PolarsError, RecursionError)
"""What the fast path raises for lines it cannot take."""
_KNOWN_AS_TEXT: Final = pl.Schema({name: pl.String() for name in FIELD_NAMES})
_NOT_UTF8: Final = "the line is not valid UTF-8"


@dataclass(slots=True)
class _Accumulator:
    """Records read so far, as line-indexed pieces, plus the file's unknown keys."""

    frames: list[pl.DataFrame] = field(default_factory=list)
    malformed: list[MalformedLine] = field(default_factory=list)
    unknown: dict[str, None] = field(default_factory=dict)  # ordered set


def read_jsonl_bytes(data: bytes) -> RawBatch:
    """Read a JSON Lines file's bytes. The first line is line 1; blank lines are skipped."""
    lines = split_lines(data)
    frame = pl.DataFrame(lines.text).with_columns(
        stripped=pl.col("text").str.strip_chars(" \t\r\n")
    )
    stripped = frame["stripped"]
    blank = (stripped.str.len_bytes() == 0).to_numpy()
    object_like = (
        lines.utf8 & (stripped.str.starts_with("{") & stripped.str.ends_with("}")).to_numpy()
    )
    acc = _Accumulator()
    for index in np.flatnonzero(~blank & ~object_like).tolist():
        outcome = _NOT_UTF8 if not lines.utf8[index] else read_json_object(lines.text[index])
        detail = outcome if isinstance(outcome, str) else "a JSON value that is not an object"
        acc.malformed.append(MalformedLine(index + 1, lines.raw_text(index), detail))
    _read_objects(lines, np.flatnonzero(object_like), acc)
    if not acc.frames:
        records = records_frame([], [], {})
    elif len(acc.frames) == 1:
        records = acc.frames[0]
    else:
        records = pl.concat(acc.frames).sort("line_number")
    malformed = malformed_frame(sorted(acc.malformed, key=lambda m: m.line_number))
    return RawBatch(records, malformed, tuple(acc.unknown))


def _read_objects(lines: Lines, indices: npt.NDArray[np.int64], acc: _Accumulator) -> None:
    if len(indices) == 0:
        return
    try:
        _read_fast(lines, indices, acc)
    except _REJECTED:
        for low in range(0, len(indices), BLOCK_LINES):
            block = indices[low : low + BLOCK_LINES]
            try:
                _read_fast(lines, block, acc)
            except _REJECTED:
                _read_careful(lines, block, acc)


def _read_fast(lines: Lines, indices: npt.NDArray[np.int64], acc: _Accumulator) -> None:
    """Read the object lines at `indices` with polars; raises one of `_REJECTED` if it
    cannot."""
    keep = np.zeros(len(lines), dtype=np.bool_)
    keep[indices] = True
    buffer = lines.join(keep)
    keys = pl.scan_ndjson(io.BytesIO(buffer), infer_schema_length=None).collect_schema().names()
    values = pl.read_ndjson(io.BytesIO(buffer), schema=_KNOWN_AS_TEXT)
    if values.height != len(indices):  # pragma: no cover - would be a reader bug
        msg = f"JSON Lines fast path read {values.height} rows from {len(indices)} lines"
        raise RuntimeError(msg)
    suspect = values.select(
        pl.any_horizontal(
            pl.col(name).str.starts_with("[") | pl.col(name).str.starts_with("{")
            for name in FIELD_NAMES
        ).fill_null(False)
    ).to_series()
    plain = ~suspect
    acc.frames.append(
        records_frame(
            indices[plain.to_numpy()] + 1,
            lines.text.gather(indices[plain.to_numpy()]),
            {name: values[name].filter(plain) for name in FIELD_NAMES},
        )
    )
    for key in keys:
        if key not in _KNOWN_AS_TEXT:
            acc.unknown[key] = None
    if suspect.any():
        _read_careful(lines, indices[suspect.to_numpy()], acc)


def _read_careful(lines: Lines, indices: npt.NDArray[np.int64], acc: _Accumulator) -> None:
    """Read the object lines at `indices` one by one with Python's json."""
    read: list[tuple[int, JsonRecord]] = []
    for index in indices.tolist():
        outcome = read_json_object(lines.text[index])
        if isinstance(outcome, str):
            acc.malformed.append(MalformedLine(index + 1, lines.raw_text(index), outcome))
            continue
        read.append((index, outcome))
        for key in outcome.unknown_keys:
            acc.unknown[key] = None
    acc.frames.append(
        records_frame(
            [index + 1 for index, _ in read],
            [lines.text[index] for index, _ in read],
            {name: [record.values[name] for _, record in read] for name in FIELD_NAMES},
            pl.Series([record.reasons or None for _, record in read], dtype=REASONS_DTYPE),
        )
    )


# The careful path: one line at a time with Python's `json`, giving each field the text the
# fast path gives (a string as is, `true`/`false`, null, an integer as written, other numbers
# as polars writes them: `38.0` and `1e1` as `38` and `10`). A list or an object gets its JSON
# text and a `type` reason; of a key named twice, the first counts, as on the fast path.

_KNOWN: Final = frozenset(FIELD_NAMES)
_JSON_KINDS: Final[dict[type, str]] = {list: "array", bool: "boolean", type(None): "null"}


@dataclass(frozen=True, slots=True)
class JsonRecord:
    """A JSON object read into contract fields as text."""

    values: dict[str, str | None]
    reasons: list[Reason] = field(default_factory=list)
    unknown_keys: tuple[str, ...] = ()


def _reject_constant(name: str) -> object:
    msg = f"{name} is not valid JSON"
    raise ValueError(msg)


def _first_wins(pairs: list[tuple[str, object]]) -> dict[str, object]:
    return dict(reversed(pairs))


def _float_text(written: str) -> str:
    """A JSON number with a fraction or exponent as the fast path's text: integral values
    without a fraction, others in their shortest form."""
    number = float(written)
    return str(int(number)) if number.is_integer() else repr(number)


def _kind(value: object, text: str) -> str:
    if isinstance(value, str):  # numbers are parsed to their text, so look at what was written
        return "string" if text.lstrip().startswith('"') else "number"
    return _JSON_KINDS[type(value)]


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):  # strings, and numbers as text (parse_int/parse_float)
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def read_json_object(text: str) -> JsonRecord | str:
    """One line's object as contract fields, or what makes the line malformed."""
    try:
        value = json.loads(
            text,
            object_pairs_hook=_first_wins,
            parse_float=_float_text,
            parse_int=str,
            parse_constant=_reject_constant,
        )
    except ValueError as error:  # json.JSONDecodeError is a ValueError
        return f"invalid JSON: {error}"
    except RecursionError:
        return "invalid JSON: nested too deeply to read"
    if not isinstance(value, dict):
        return f"a JSON {_kind(value, text)}, not an object"
    values = {name: _text(value.get(name)) for name in FIELD_NAMES}
    reasons: list[Reason] = [
        {"field": name, "rule": Rule.TYPE.value, "value": values[name]}
        for name in FIELD_NAMES
        if isinstance(value.get(name), list | dict)
    ]
    unknown = tuple(key for key in value if key not in _KNOWN)
    return JsonRecord(values, reasons, unknown)
