"""The case view's words: findings in labels grouped as a clinician examines, identifiers as
written, and what each correction changed."""

from __future__ import annotations

import datetime as dt

from dashboards import case_view
from pipeline.contract.fields import FIELD_NAMES


def test_every_contract_field_but_the_intake_id_is_shown_in_exactly_one_group() -> None:
    shown = [name for names in case_view.GROUPS.values() for name in names]
    assert sorted(shown) == sorted(n for n in FIELD_NAMES if n != "intake_id")


def test_codes_read_as_labels_and_identifiers_and_notes_as_written() -> None:
    content = {
        "knee_injury": "meniscal_tear",
        "patient_ref": "P_north_1",
        "notes": "fell_over",
        "knee_effusion": True,
        "temperature_c": None,
    }
    groups = case_view.grouped_fields(content)
    history = dict(groups["History"])
    knee = dict(groups["Knee"])
    assert history["Patient ref"] == "P_north_1"
    assert history["Notes"] == "fell_over"
    assert knee["Knee injury"] == "Meniscal tear"
    assert knee["Knee effusion"] == "yes"
    assert dict(groups["Red flags"])["Temperature (°C)"] == "not recorded"


def test_each_version_says_what_its_correction_changed() -> None:
    first = {"version": 1, "source_path": "landing/a.csv", "received_at": dt.datetime(2026, 1, 1)}
    first |= {"pain_trend": "stable", "weight_bearing": "full"}
    second = first | {"version": 2, "source_path": "landing/b.csv", "pain_trend": "worsening"}
    shown = case_view.version_changes([first, second])
    assert shown[0]["changes"] == []
    assert (shown[1]["file"], shown[1]["changes"]) == (
        "b.csv",
        [("Pain trend", "Stable", "Worsening")],
    )


def test_evidence_reads_as_the_rules_sentences_guards_included() -> None:
    assert case_view.evidence_sentence("guard=child_with_hip_signs").startswith(
        "A child's hip signs may be a slipped epiphysis or Perthes disease"
    )
    assert case_view.evidence_sentence("age_years<16") == "Under 16 (age years<16)."
    assert case_view.evidence_sentence("knee_effusion=true").endswith("(Knee effusion: yes).")
