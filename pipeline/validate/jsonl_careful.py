"""The careful path for JSON Lines: one line at a time with Python's `json`, for the lines the
fast path cannot take (invalid JSON, a value that is a list or an object, or a block of lines
that polars rejected as a whole).

It gives each field the same text the fast path gives: a string as it is, `true`/`false` for a
JSON boolean, null for JSON null, an integer as written and any other number as polars writes
it (`38.0` and `1e1` as `38` and `10`, `37.5` as `37.5`). A field whose value is a list or an
object gets the value's JSON text and a `type` reason, since the contract has no such values.
When an object names the same key twice, the first occurrence counts, as on the fast path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Final

from pipeline.contract.fields import FIELD_NAMES
from pipeline.contract.rules import Reason, Rule

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
