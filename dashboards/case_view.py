"""The case view's words: a case's findings grouped as a clinician examines (history, knee,
hip, red flags) in labels, not codes; its evidence as sentences; what each correction changed.
Pure; the SQL is in dashboards.follow_up_queries."""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from dashboards.filters import label_of
from pipeline.classify.versions import RULE_SETS
from pipeline.contract.fields import FIELDS_BY_NAME, FieldType

GROUPS: Final = {
    "History": (
        "clinic_id",
        "intake_at",
        "patient_ref",
        "age_years",
        "sex",
        "injury_date",
        "hip_pain_onset_date",
        "rest_tried",
        "notes",
    ),
    "Knee": (
        "knee_injury",
        "knee_side",
        "knee_instability",
        "knee_effusion",
        "knee_alignment",
        "knee_provocation_reproduces_hip_pain",
    ),
    "Hip": (
        "hip_pain_side",
        "hip_pain_location",
        "pain_score",
        "hip_rom",
        "hip_provocation",
        "trochanteric_tenderness",
        "trendelenburg_sign",
        "antalgic_gait",
        "worse_with_walking",
        "femoral_rotation",
    ),
    "Red flags": ("pain_trend", "weight_bearing", "temperature_c", "fever_reported"),
}
"""Every contract field but the intake id, in the order a clinician examines."""

FIELD_LABELS: Final = {
    "clinic_id": "Clinic",
    "intake_at": "Intake",
    "patient_ref": "Patient ref",
    "age_years": "Age (years)",
    "knee_provocation_reproduces_hip_pain": "Loading the knee brings on the hip pain",
    "hip_rom": "Hip range of motion",
    "hip_provocation": "Hip provocation tests",
    "temperature_c": "Temperature (°C)",
    "fever_reported": "Fever or chills reported",
    "rest_tried": "Rest tried",
    "trendelenburg_sign": "Trendelenburg sign",
}


def _meanings() -> dict[str, str]:
    """What each piece of evidence means, as the rules say it: findings and derived findings
    by their `meaning`, guards by their reason."""
    meanings: dict[str, str] = {}
    for rules in RULE_SETS.values():  # oldest first: the newest rule set's words win
        meanings |= {
            c.evidence: c.meaning
            for c in rules.conditions
            if hasattr(c, "meaning") and hasattr(c, "evidence")
        }
        meanings |= {guard.evidence: guard.reason for guard in rules.guards}
    return meanings


_MEANINGS: Final = _meanings()
NOT_EXAMINED: Final = "not recorded"


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, label_of(name))


def value_text(value: Any, field: str | None = None) -> str:
    """A field's value in words: yes/no, dates and times as people write them, the contract's
    codes as labels (identifiers and notes as written); a field not filled in says so."""
    if value is None:
        return NOT_EXAMINED
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M} UTC"
    if isinstance(value, dt.date):
        return value.isoformat()
    enum = field is None or FIELDS_BY_NAME[field].type is FieldType.ENUM
    if isinstance(value, str) and enum:
        return label_of(value)
    return str(value)


def grouped_fields(content: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """The case's findings by group, each as (label, value in words)."""
    return {
        group: [(field_label(name), value_text(content.get(name), name)) for name in names]
        for group, names in GROUPS.items()
    }


def evidence_sentence(evidence: str) -> str:
    """One piece of mechanism evidence (`field=value`) as a short sentence."""
    meaning = _MEANINGS.get(evidence)
    field, _, value = evidence.partition("=")
    if field == "guard":
        stated = f"a hip cause to exclude first: {label_of(value).lower()}"
    elif field in FIELDS_BY_NAME:
        written = {"true": True, "false": False}.get(value, value)
        stated = f"{field_label(field)}: {value_text(written, field)}"
    else:  # a derived finding such as `age_years<16`
        stated = evidence.replace("_", " ")
    if meaning:
        return f"{meaning[0].upper()}{meaning[1:]} ({stated})."
    return f"{stated[0].upper()}{stated[1:]}."


def version_changes(versions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each version with where and when it came in, and what it changed from the one before:
    (field label, old value, new value) in words; the first version changes nothing."""
    shown = []
    previous: dict[str, Any] | None = None
    fields = [name for names in GROUPS.values() for name in names]
    for version in versions:
        changes = (
            [
                (
                    field_label(name),
                    value_text(previous.get(name), name),
                    value_text(version.get(name), name),
                )
                for name in fields
                if previous.get(name) != version.get(name)
            ]
            if previous is not None
            else []
        )
        shown.append(
            {
                "version": version["version"],
                "file": str(version["source_path"]).rsplit("/", 1)[-1],
                "received_at": version["received_at"],
                "changes": changes,
            }
        )
        previous = version
    return shown
