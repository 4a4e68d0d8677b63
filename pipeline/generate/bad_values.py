"""The wrong values clinics really send: typos, other systems' codes, units, free text.

Each list is checked against the contract when this module is imported, so a value that the
contract would accept can never be passed off as a bad one. No value contains a quote, a
backslash or a line break, so a bad value is bad for what it says, never for how it is quoted
(a comma, as in `37,5`, is quoted in CSV like any other).
"""

from __future__ import annotations

import re
from typing import Final

from pipeline.contract import FIELDS_BY_NAME
from pipeline.contract.fields import (
    BOOLEAN_FALSE,
    BOOLEAN_TRUE,
    ID_ALPHABET_PATTERN,
    FieldType,
    fields_of_type,
)

UNKNOWN_ENUM_VALUES: Final[dict[str, tuple[str, ...]]] = {
    "sex": ("f", "m", "woman", "x", "n/k"),
    "knee_injury": ("acl_tear", "sprain", "bursitis", "meniscus", "dislocation"),
    "knee_side": ("l", "r", "both", "bilateral"),
    "hip_pain_side": ("l", "bilateral", "centre", "lft"),
    "hip_pain_location": ("thigh", "anterior", "outer_hip", "lower_back"),
    "pain_trend": ("better", "worse", "rapid", "fluctuating"),
    "hip_rom": ("normal", "limited", "full", "reduced"),
    "hip_provocation": ("pos", "neg", "equivocal", "faber_positive"),
    "femoral_rotation": ("inward", "in", "anteversion", "na"),
    "knee_alignment": ("knock_kneed", "bowed", "straight", "na"),
    "weight_bearing": ("full_weight", "no", "some", "crutches"),
}
"""Values outside each enum's allowed set."""

OUT_OF_RANGE_NUMBERS: Final[dict[str, tuple[str, ...]]] = {
    "age_years": ("121", "134", "150", "-1", "-4", "200"),
    "pain_score": ("11", "12", "15", "-1", "100", "20"),
    "temperature_c": ("98.6", "100.4", "101.3", "368", "3.7", "29.5", "-1.0", "45.5"),
}
"""Numbers of the right type outside the field's range (temperatures in Fahrenheit, a decimal
point dropped or misplaced)."""

NOT_A_NUMBER: Final[dict[str, tuple[str, ...]]] = {
    "age_years": ("forty", "42y", "4O", "34.5", "adult"),
    "pain_score": ("7/10", "six", "5-6", "6.5", "severe"),
    "temperature_c": ("37,5", "37.5C", "afebrile", "normal", "38 C"),
}
"""Text where a number belongs (or a decimal where a whole number belongs)."""

BAD_BOOLEANS: Final = ("maybe", "unsure", "2", "ja", "y/n", "unknown")
"""Answers to a yes/no field that are not yes or no."""

BAD_ID_CHARACTERS: Final = (" ", "/", ".", "#", "é", "+", ":")
"""Characters outside the id alphabet (one is slipped into an otherwise good id)."""

ID_PADDING: Final = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-" * 2
"""Valid id characters appended to make an id too long (so only its length is wrong)."""

LONG_NOTE_PARAGRAPH: Final = (
    "Discharge summary pasted in full. Patient seen for knee pain after a fall, now with hip "
    "pain on walking and at night. Examination of the knee and hip as recorded above. Imaging "
    "reviewed. Plan discussed with the patient: analgesia, relative rest, physiotherapy "
    "referral, review in clinic. Advised to return if worse, if unable to bear weight, or if "
    "feverish. "
)
"""Repeated to make notes longer than the contract allows (a pasted letter)."""

_SPECIAL: Final = re.compile(r'["\\\r\n]')
_ID_ALPHABET: Final = re.compile(ID_ALPHABET_PATTERN)


def _check() -> None:
    """Refuse any bad value the contract would accept, or whose quoting would matter."""
    problems: list[str] = []
    for name, values in UNKNOWN_ENUM_VALUES.items():
        problems += [f"{name}={v}" for v in values if v in FIELDS_BY_NAME[name].allowed]
    for name, values in OUT_OF_RANGE_NUMBERS.items():
        field = FIELDS_BY_NAME[name]
        low = field.minimum if field.minimum is not None else float("-inf")
        high = field.maximum if field.maximum is not None else float("inf")
        problems += [f"{name}={v}" for v in values if low <= float(v) <= high]
        if field.type is FieldType.INTEGER:
            problems += [f"{name}={v} is no integer" for v in values if not v.lstrip("-").isdigit()]
    for name, values in NOT_A_NUMBER.items():
        is_number = (
            _parses_as_integer
            if FIELDS_BY_NAME[name].type is FieldType.INTEGER
            else _parses_as_decimal
        )
        problems += [f"{name}={v}" for v in values if is_number(v)]
    accepted = {s.lower() for s in BOOLEAN_TRUE + BOOLEAN_FALSE}
    problems += [f"boolean {v}" for v in BAD_BOOLEANS if v.lower() in accepted]
    problems += [f"id character {c!r}" for c in BAD_ID_CHARACTERS if _ID_ALPHABET.match(c)]
    if not _ID_ALPHABET.match(ID_PADDING):
        problems.append("id padding")
    every_value = [
        v
        for table in (UNKNOWN_ENUM_VALUES, OUT_OF_RANGE_NUMBERS, NOT_A_NUMBER)
        for vs in table.values()
        for v in vs
    ]
    problems += [
        f"{v!r} needs quoting"
        for v in [*every_value, *BAD_BOOLEANS, *BAD_ID_CHARACTERS]
        if _SPECIAL.search(v)
    ]
    max_id = max(f.max_length or 0 for f in fields_of_type(FieldType.ID))
    if len(ID_PADDING) <= max_id:
        problems.append("id padding shorter than the longest id allowed")
    if problems:
        raise ValueError(f"bad values the contract would accept or that need quoting: {problems}")


def _parses_as_integer(text: str) -> bool:
    try:
        int(text)
    except ValueError:
        return False
    return True


def _parses_as_decimal(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


_check()
