"""The intake record, v1: every field, its type, whether it is required and what it allows; the
one place the contract (`shared/spec/intake-record.md`) is written down in code, which every
other part takes field names, allowed values and limits from."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final


class FieldType(StrEnum):
    """The value types the contract uses."""

    ID = "id"  # string of A-Z a-z 0-9 _ -
    TEXT = "text"
    DATETIME = "datetime"
    DATE = "date"
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    ENUM = "enum"


ID_ALPHABET_PATTERN: Final = r"^[A-Za-z0-9_-]+$"
"""Identifiers (`intake_id`, `clinic_id`, `patient_ref`) use only these characters."""

FUTURE_TOLERANCE_DAYS: Final = 1
"""`intake_at` more than this many days after the time of validation is invalid."""

SEXES: Final = ("female", "male", "other", "unknown")
KNEE_INJURIES: Final = (
    "meniscal_tear",
    "ligament_injury",
    "patellofemoral_pain",
    "osteoarthritis",
    "fracture",
    "contusion",
    "other",
)
KNEE_SIDES: Final = ("left", "right")
HIP_PAIN_SIDES: Final = ("left", "right", "both")
HIP_PAIN_LOCATIONS: Final = ("lateral", "groin", "buttock", "deep_diffuse")
PAIN_TRENDS: Final = ("improving", "stable", "worsening", "rapidly_worsening")
HIP_ROM: Final = ("full_painless", "painful", "restricted")
HIP_PROVOCATION: Final = ("positive", "negative", "not_done")
FEMORAL_ROTATION: Final = ("neutral", "internal", "external", "not_assessed")
KNEE_ALIGNMENT: Final = ("neutral", "valgus", "varus", "not_assessed")
WEIGHT_BEARING: Final = ("full", "partial", "none")

BOOLEAN_TRUE: Final = ("true", "1", "yes")
"""Spellings of true in a CSV cell, compared case-insensitively."""
BOOLEAN_FALSE: Final = ("false", "0", "no")
"""Spellings of false in a CSV cell, compared case-insensitively."""


@dataclass(frozen=True, slots=True)
class Field:
    """One field of the intake record and every rule the contract attaches to it."""

    name: str
    type: FieldType
    required: bool
    description: str
    allowed: tuple[str, ...] = ()
    min_length: int | None = None
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None


def _id(name: str, max_length: int, description: str) -> Field:
    return Field(name, FieldType.ID, True, description, min_length=1, max_length=max_length)


def _enum(name: str, allowed: tuple[str, ...], required: bool, description: str) -> Field:
    return Field(name, FieldType.ENUM, required, description, allowed=allowed)


def _bool(name: str, required: bool, description: str) -> Field:
    return Field(name, FieldType.BOOLEAN, required, description)


FIELDS: Final[tuple[Field, ...]] = (
    _id("intake_id", 64, "the source system's id of this intake; unique per record"),
    _id("clinic_id", 32, "the site"),
    Field(
        "intake_at", FieldType.DATETIME, True, "when the patient was taken in (UTC if no offset)"
    ),
    _id("patient_ref", 64, "pseudonymous patient reference"),
    Field("age_years", FieldType.INTEGER, True, "age in years", minimum=0, maximum=120),
    _enum("sex", SEXES, True, "sex"),
    _enum("knee_injury", KNEE_INJURIES, True, "the knee injury"),
    _enum("knee_side", KNEE_SIDES, True, "the injured knee"),
    Field("injury_date", FieldType.DATE, True, "date of the knee injury"),
    _bool("knee_instability", True, "the knee gives way"),
    _bool("knee_effusion", False, "swelling in the knee joint"),
    _enum("hip_pain_side", HIP_PAIN_SIDES, True, "side of the hip pain"),
    Field("hip_pain_onset_date", FieldType.DATE, True, "date the hip pain began"),
    _enum("hip_pain_location", HIP_PAIN_LOCATIONS, True, "where the hip pain is felt"),
    Field(
        "pain_score", FieldType.INTEGER, True, "0-10 numeric rating scale", minimum=0, maximum=10
    ),
    _enum("pain_trend", PAIN_TRENDS, True, "course of the pain"),
    _bool("worse_with_walking", False, "pain worse with walking"),
    _bool("antalgic_gait", True, "limp: shortened stance on the injured leg"),
    _bool("trendelenburg_sign", False, "pelvis drops on single-leg stance"),
    _bool("trochanteric_tenderness", False, "tender over the greater trochanter"),
    _enum("hip_rom", HIP_ROM, False, "hip range of motion"),
    _enum("hip_provocation", HIP_PROVOCATION, False, "hip tests (FADIR, FABER, log roll)"),
    _bool(
        "knee_provocation_reproduces_hip_pain",
        False,
        "examining or loading the knee brings on the hip pain",
    ),
    _enum("femoral_rotation", FEMORAL_ROTATION, False, "femoral rotation"),
    _enum("knee_alignment", KNEE_ALIGNMENT, False, "knee alignment"),
    _enum("weight_bearing", WEIGHT_BEARING, True, "weight bearing on the leg"),
    Field(
        "temperature_c",
        FieldType.DECIMAL,
        False,
        "measured body temperature; null when not measured",
        minimum=30.0,
        maximum=45.0,
    ),
    _bool("fever_reported", False, "the patient reports fever or chills"),
    _bool("rest_tried", True, "the patient has rested the leg"),
    Field("notes", FieldType.TEXT, False, "free text", max_length=2000),
)

FIELDS_BY_NAME: Final[dict[str, Field]] = {f.name: f for f in FIELDS}
FIELD_NAMES: Final[tuple[str, ...]] = tuple(f.name for f in FIELDS)
REQUIRED_FIELDS: Final[tuple[str, ...]] = tuple(f.name for f in FIELDS if f.required)
OPTIONAL_FIELDS: Final[tuple[str, ...]] = tuple(f.name for f in FIELDS if not f.required)


def fields_of_type(field_type: FieldType) -> tuple[Field, ...]:
    """All fields of one type, in contract order."""
    return tuple(f for f in FIELDS if f.type is field_type)
