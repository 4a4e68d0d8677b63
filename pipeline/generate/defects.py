"""Deliberately bad records: every way the contract names for a record to be invalid.

A share (`--invalid-rate`) of original records is made invalid. Most get a field-level defect
(a missing required field, an unknown enum value, ...), a few a second one in another field;
some have their whole line damaged instead (see `lines`). Records that come back later as
re-sends or corrections are never made invalid. Each invalid record's `_invalid_rules` names
every rule it was made to break, as `field:rule` items in contract field order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import numpy as np
import polars as pl

from pipeline.contract import FIELD_NAMES, FIELDS, RECORD_FIELD, REQUIRED_FIELDS
from pipeline.contract.fields import Field, FieldType, fields_of_type
from pipeline.contract.rules import Rule
from pipeline.generate import bad_values as bad
from pipeline.generate import columns as col
from pipeline.generate import messiness as m
from pipeline.generate.cases import SECONDS_PER_DAY
from pipeline.generate.config import OutputFormat
from pipeline.generate.lines import LineDamage
from pipeline.generate.render import date_text, intake_at_text
from pipeline.generate.sampling import FloatArray, IntArray, chance, choose

MALFORMED_RULE: Final = f"{RECORD_FIELD}:{Rule.MALFORMED.value}"
"""The truth's rule for a line that cannot be read as a record."""

MAX_DAYS_AFTER_INTAKE: Final = 60
"""An injury or hip pain onset written after the intake falls 1 to this many days after it."""
MAX_EXTRA_NOTE_CHARACTERS: Final = 1000
"""An over-long note is 1 to this many characters over the limit."""


class DefectKind(StrEnum):
    """The field-level defects, named as in `parameters.FIELD_DEFECT_WEIGHTS`."""

    MISSING_REQUIRED = "missing_required"
    UNKNOWN_ENUM_VALUE = "unknown_enum_value"
    NUMBER_OUT_OF_RANGE = "number_out_of_range"
    NOT_A_NUMBER = "not_a_number"
    BAD_BOOLEAN = "bad_boolean"
    BAD_ID_CHARACTERS = "bad_id_characters"
    ID_TOO_LONG = "id_too_long"
    FUTURE_INTAKE = "future_intake"
    INJURY_AFTER_INTAKE = "injury_after_intake"
    HIP_PAIN_ONSET_AFTER_INTAKE = "hip_pain_onset_after_intake"
    BAD_DATE = "bad_date"
    NOTES_TOO_LONG = "notes_too_long"


BadText = Callable[[Field, pl.Expr], pl.Expr]
"""The bad text for a field, given its current text (helper columns may be read too)."""


@dataclass(frozen=True, slots=True)
class Defect:
    """One kind of defect: the rule it breaks, the fields it can hit, and the text it writes."""

    rule: Rule
    fields: tuple[str, ...]
    bad_text: BadText
    can_be_second: bool
    """It cannot interfere with another defect, so it may be a record's second one."""


_PICK: Final = "_pick"
"""Working column: a random number choosing among a defect's bad values."""
_DAYS_AFTER: Final = "_days_after"
_EXTRA: Final = "_extra_characters"
_FIRST_KIND, _FIRST_FIELD = "_first_kind", "_first_field"
_SECOND_KIND, _SECOND_FIELD = "_second_kind", "_second_field"


def _one_of(values: tuple[str, ...] | dict[str, tuple[str, ...]]) -> BadText:
    def bad_text(field: Field, current: pl.Expr) -> pl.Expr:
        choices = values[field.name] if isinstance(values, dict) else values
        return pl.lit(pl.Series(choices, dtype=pl.String)).gather(pl.col(_PICK) % len(choices))

    return bad_text


def _missing(field: Field, current: pl.Expr) -> pl.Expr:
    return pl.lit(None, dtype=pl.String)


def _bad_id_character(field: Field, current: pl.Expr) -> pl.Expr:
    character = _one_of(bad.BAD_ID_CHARACTERS)(field, current)
    return pl.concat_str(current.str.slice(0, 2), character, current.str.slice(2))


def _too_long_id(field: Field, current: pl.Expr) -> pl.Expr:
    padding = bad.ID_PADDING[: field.max_length]
    return pl.concat_str(current, pl.lit("-"), pl.lit(padding))


def _future_intake(field: Field, current: pl.Expr) -> pl.Expr:
    shifted = pl.col(col.INTAKE_SECONDS) + m.FUTURE_INTAKE_SHIFT_DAYS * SECONDS_PER_DAY
    return intake_at_text(shifted, pl.col(col.INTAKE_OFFSET), pl.col(col.UTC_OFFSET))


def _after_intake(field: Field, current: pl.Expr) -> pl.Expr:
    return date_text(pl.col(col.INTAKE_DAY) + pl.col(_DAYS_AFTER))


def _bad_date(field: Field, current: pl.Expr) -> pl.Expr:
    """Day-first dates, 30 February, month 13 (a date-time keeps its time after the date)."""
    year, month, day = current.str.slice(0, 4), current.str.slice(5, 2), current.str.slice(8, 2)
    rest = current.str.slice(10)
    day_first = pl.concat_str(day, pl.lit("/"), month, pl.lit("/"), year, rest.str.slice(0, 6))
    variant = pl.col(_PICK) % 3
    return (
        pl.when(variant == 0)
        .then(day_first.str.replace("T", " ", literal=True))
        .when(variant == 1)
        .then(pl.concat_str(year, pl.lit("-02-30"), rest))
        .otherwise(pl.concat_str(year, pl.lit("-13-"), day, rest))
    )


def _too_long_note(field: Field, current: pl.Expr) -> pl.Expr:
    limit = field.max_length or 0
    text = bad.LONG_NOTE_PARAGRAPH * (
        1 + (limit + MAX_EXTRA_NOTE_CHARACTERS) // len(bad.LONG_NOTE_PARAGRAPH)
    )
    return pl.lit(text).str.slice(0, limit + pl.col(_EXTRA))


def _names(field_type: FieldType) -> tuple[str, ...]:
    return tuple(f.name for f in fields_of_type(field_type))


_NUMBERS: Final = _names(FieldType.INTEGER) + _names(FieldType.DECIMAL)

DEFECTS: Final[dict[DefectKind, Defect]] = {
    DefectKind.MISSING_REQUIRED: Defect(Rule.REQUIRED, REQUIRED_FIELDS, _missing, False),
    DefectKind.UNKNOWN_ENUM_VALUE: Defect(
        Rule.ALLOWED_VALUES, _names(FieldType.ENUM), _one_of(bad.UNKNOWN_ENUM_VALUES), True
    ),
    DefectKind.NUMBER_OUT_OF_RANGE: Defect(
        Rule.RANGE, _NUMBERS, _one_of(bad.OUT_OF_RANGE_NUMBERS), True
    ),
    DefectKind.NOT_A_NUMBER: Defect(Rule.TYPE, _NUMBERS, _one_of(bad.NOT_A_NUMBER), True),
    DefectKind.BAD_BOOLEAN: Defect(
        Rule.TYPE, _names(FieldType.BOOLEAN), _one_of(bad.BAD_BOOLEANS), True
    ),
    DefectKind.BAD_ID_CHARACTERS: Defect(
        Rule.ALPHABET, _names(FieldType.ID), _bad_id_character, False
    ),
    DefectKind.ID_TOO_LONG: Defect(Rule.LENGTH, _names(FieldType.ID), _too_long_id, False),
    DefectKind.FUTURE_INTAKE: Defect(Rule.NOT_IN_FUTURE, ("intake_at",), _future_intake, False),
    DefectKind.INJURY_AFTER_INTAKE: Defect(
        Rule.NOT_AFTER_INTAKE, ("injury_date",), _after_intake, False
    ),
    DefectKind.HIP_PAIN_ONSET_AFTER_INTAKE: Defect(
        Rule.NOT_AFTER_INTAKE, ("hip_pain_onset_date",), _after_intake, False
    ),
    DefectKind.BAD_DATE: Defect(
        Rule.TYPE, _names(FieldType.DATETIME) + _names(FieldType.DATE), _bad_date, False
    ),
    DefectKind.NOTES_TOO_LONG: Defect(Rule.LENGTH, _names(FieldType.TEXT), _too_long_note, True),
}
"""Every field-level defect: the contract rule it breaks and the fields it can hit."""

_DAMAGE_NAMES: Final = pl.Series([None, *(d.value for d in LineDamage)], dtype=pl.String)
_DAMAGE_CODE: Final = {d: i + 1 for i, d in enumerate(LineDamage)}
"""Line damage as a number: 0 for none, else its place in `_DAMAGE_NAMES`."""
_KINDS: Final = tuple(DefectKind)
_WEIGHTS: Final[FloatArray] = np.array([m.FIELD_DEFECT_WEIGHTS[k.value] for k in _KINDS])
_SECOND_WEIGHTS: Final = _WEIGHTS * np.array([DEFECTS[k].can_be_second for k in _KINDS])
_FIELD_INDEX: Final = {name: i for i, name in enumerate(FIELD_NAMES)}
_CANDIDATES: Final = [np.array([_FIELD_INDEX[f] for f in DEFECTS[k].fields]) for k in _KINDS]
_NO_DEFECT: Final = -1
_RULE_LABELS: Final = pl.Series(
    [f"{name}:{DEFECTS[k].rule.value}" for k in _KINDS for name in FIELD_NAMES], dtype=pl.String
)
"""`field:rule` for every (defect kind, field) pair, at `kind * len(FIELDS) + field`."""

if (
    set(bad.UNKNOWN_ENUM_VALUES) != set(_names(FieldType.ENUM))
    or set(bad.OUT_OF_RANGE_NUMBERS) != set(_NUMBERS)
    or set(bad.NOT_A_NUMBER) != set(_NUMBERS)
):
    raise ValueError("bad_values must list bad values for every enum and number field")


def inject_defects(
    rng: np.random.Generator,
    frame: pl.DataFrame,
    output_format: OutputFormat,
    invalid_rate: float,
    records_in_file: IntArray,
) -> pl.DataFrame:
    """Make a share of the text records invalid; add `_invalid_rules` and `_damage`.

    The invalid records come back after the others (sort the batch before writing it).

    `records_in_file` is the number of originals in each record's file: a stray quote is put in
    the last record of a file, with a chance that grows with the file so that it makes up about
    `STRAY_QUOTE_SHARE` of bad CSV records.
    """
    size = frame.height
    eligible = ~frame[col.RESENT_LATER].to_numpy()
    csv = output_format is OutputFormat.CSV
    stray_chance = np.minimum(1.0, invalid_rate * m.STRAY_QUOTE_SHARE * records_in_file)
    stray = csv & eligible & frame[col.LAST_IN_FILE].to_numpy() & chance(rng, stray_chance, size)
    other_rate = invalid_rate * (1 - m.STRAY_QUOTE_SHARE) if csv else invalid_rate
    invalid = eligible & ~stray & chance(rng, other_rate, size)
    line_share = m.SHORT_ROW_SHARE if csv else m.TRUNCATED_LINE_SHARE
    line_damaged = invalid & chance(rng, line_share, size)
    field_defect = invalid & ~line_damaged

    first_kind, first_field = _draw_defect(rng, _WEIGHTS, size)
    second_kind, second_field = _draw_defect(rng, _SECOND_WEIGHTS, size)
    second = field_defect & chance(rng, m.SECOND_DEFECT_SHARE, size) & (second_field != first_field)
    first_kind[~field_defect], first_field[~field_defect] = _NO_DEFECT, _NO_DEFECT
    second_kind[~second], second_field[~second] = _NO_DEFECT, _NO_DEFECT

    damage_code = np.zeros(size, dtype=np.int64)
    damage_code[line_damaged] = _DAMAGE_CODE[
        LineDamage.SHORT_ROW if csv else LineDamage.TRUNCATED_LINE
    ]
    damage_code[stray] = _DAMAGE_CODE[LineDamage.STRAY_QUOTE]
    bad_rows = field_defect | line_damaged | stray
    count = int(bad_rows.sum())
    damage_share = np.where(line_damaged | stray, rng.random(size), np.nan)
    work = frame.with_columns(
        _DAMAGE_NAMES.gather(damage_code).alias(col.DAMAGE),
        pl.Series(col.DAMAGE_SHARE, damage_share, nan_to_null=True),
    )
    made_bad = (
        work.filter(pl.Series(bad_rows))
        .with_columns(
            pl.Series(_PICK, rng.integers(0, 1 << 30, count)),
            pl.Series(_DAYS_AFTER, rng.integers(1, MAX_DAYS_AFTER_INTAKE + 1, count)),
            pl.Series(_EXTRA, rng.integers(1, MAX_EXTRA_NOTE_CHARACTERS + 1, count)),
            pl.Series(_FIRST_KIND, first_kind[bad_rows]),
            pl.Series(_FIRST_FIELD, first_field[bad_rows]),
            pl.Series(_SECOND_KIND, second_kind[bad_rows]),
            pl.Series(_SECOND_FIELD, second_field[bad_rows]),
        )
        .with_columns(
            *(_defective_text(field) for field in FIELDS),
            _invalid_rules().alias(col.INVALID_RULES),
        )
        .drop(_PICK, _DAYS_AFTER, _EXTRA, _FIRST_KIND, _FIRST_FIELD, _SECOND_KIND, _SECOND_FIELD)
    )
    still_good = work.filter(pl.Series(~bad_rows)).with_columns(
        pl.lit(None, dtype=pl.String).alias(col.INVALID_RULES)
    )
    return pl.concat([still_good, made_bad])


def _draw_defect(
    rng: np.random.Generator, weights: FloatArray, size: int
) -> tuple[IntArray, IntArray]:
    """A defect kind and a field it can hit, for every record."""
    kind = choose(rng, weights, size)
    count = np.array([len(c) for c in _CANDIDATES])[kind]
    pick = np.floor(rng.random(size) * count).astype(np.int64)
    field = np.zeros(size, dtype=np.int64)
    for k, candidates in enumerate(_CANDIDATES):
        mine = kind == k
        field[mine] = candidates[pick[mine]]
    return kind, field


def _defective_text(field: Field) -> pl.Expr:
    """The field's text, replaced by the bad text wherever a defect hits it."""
    index = _FIELD_INDEX[field.name]
    current = pl.col(field.name)
    result: pl.Expr = current
    for k, kind in enumerate(_KINDS):
        defect = DEFECTS[kind]
        if field.name not in defect.fields:
            continue
        hit = ((pl.col(_FIRST_KIND) == k) & (pl.col(_FIRST_FIELD) == index)) | (
            (pl.col(_SECOND_KIND) == k) & (pl.col(_SECOND_FIELD) == index)
        )
        result = pl.when(hit).then(defect.bad_text(field, current)).otherwise(result)
    if field.name == "notes":
        result = (
            pl.when(pl.col(col.DAMAGE) == LineDamage.STRAY_QUOTE.value).then(None).otherwise(result)
        )
    return result.alias(field.name)


def _invalid_rules() -> pl.Expr:
    """`field:rule` of each defect in contract field order, or the malformed rule."""
    fields = len(FIELDS)

    def label(kind: str, field: str) -> pl.Expr:
        at = pl.col(kind) * fields + pl.col(field)
        return pl.when(pl.col(kind) >= 0).then(
            pl.lit(_RULE_LABELS).gather(pl.max_horizontal(at, 0))
        )

    first, second = label(_FIRST_KIND, _FIRST_FIELD), label(_SECOND_KIND, _SECOND_FIELD)
    second_goes_first = pl.col(_SECOND_FIELD).is_between(0, pl.col(_FIRST_FIELD) - 1)
    ordered = (
        pl.when(second_goes_first)
        .then(pl.concat_str(second, first, separator=";", ignore_nulls=True))
        .otherwise(pl.concat_str(first, second, separator=";", ignore_nulls=True))
    )
    return (
        pl.when(pl.col(col.DAMAGE).is_not_null())
        .then(pl.lit(MALFORMED_RULE))
        .when(pl.col(_FIRST_KIND) >= 0)
        .then(ordered)
        .otherwise(None)
    )
