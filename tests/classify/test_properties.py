"""Properties of classification for every valid record (hypothesis)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.classify.mechanism import FINDING_LABELS, GUARD_LABELS
from pipeline.classify.triage import RED_FLAGS
from pipeline.contract.fields import OPTIONAL_FIELDS
from pipeline.contract.outputs import MECHANISMS, TRIAGE_LEVELS, TRIAGE_REASONS
from tests.classify.cases import classified
from tests.records import Record
from tests.strategies import valid_records

RANK = {level: rank for rank, level in enumerate(reversed(TRIAGE_LEVELS))}  # routine lowest
RED_FLAG_SETTINGS: dict[str, dict[str, str]] = {
    "rapid_worsening": {"pain_trend": "rapidly_worsening"},
    "no_weight_bearing": {"weight_bearing": "none"},
    "fever_measured": {"temperature_c": "38.0"},
    "fever_reported": {"fever_reported": "yes"},
}
SETTINGS = settings(max_examples=40, deadline=None)
RED_FLAG_FIELDS = ("temperature_c", "fever_reported")
"""The optional fields that can show a red flag: leaving one out may lose what it alone showed
(`test_a_missing_optional_field_never_creates_a_red_flag` pins that none is made up)."""


@SETTINGS
@given(valid_records())
def test_classification_never_fails_and_gives_one_known_answer_per_record(
    records: list[Record],
) -> None:
    result = classified(*records)
    assert result["intake_id"].to_list() == [r["intake_id"] for r in records]
    assert set(result["mechanism"]) <= set(MECHANISMS)
    assert set(result["triage"]) <= set(TRIAGE_LEVELS)
    for reasons in result["triage_reasons"].to_list():
        assert reasons == [r for r in TRIAGE_REASONS if r in reasons]


@SETTINGS
@given(valid_records(), st.sampled_from(sorted(RED_FLAG_SETTINGS)))
def test_adding_a_red_flag_never_lowers_triage_and_makes_it_urgent(
    records: list[Record], flag: str
) -> None:
    before = classified(*records)
    after = classified(*[{**r, **RED_FLAG_SETTINGS[flag]} for r in records])
    for old, new in zip(before["triage"], after["triage"], strict=True):
        assert new == "urgent"
        assert RANK[new] >= RANK[old]


@SETTINGS
@given(valid_records(), st.sampled_from(OPTIONAL_FIELDS))
def test_a_missing_optional_field_never_creates_a_red_flag(
    records: list[Record], field: str
) -> None:
    red = {f.value for f in RED_FLAGS}
    before = classified(*records)["triage_reasons"].to_list()
    after = classified(*[{**r, field: None} for r in records])["triage_reasons"].to_list()
    for old, new in zip(before, after, strict=True):
        assert set(new) & red <= set(old) & red


@SETTINGS
@given(valid_records(), st.sampled_from([f for f in OPTIONAL_FIELDS if f not in RED_FLAG_FIELDS]))
def test_a_missing_optional_finding_never_changes_triage(records: list[Record], field: str) -> None:
    before = classified(*records).select("triage", "triage_reasons")
    after = classified(*[{**r, field: None} for r in records]).select("triage", "triage_reasons")
    assert after.equals(before)


@SETTINGS
@given(valid_records(), st.integers(min_value=1, max_value=400))
def test_hip_pain_that_began_before_the_injury_is_always_undetermined(
    records: list[Record], days: int
) -> None:
    earlier = [
        {
            **r,
            "hip_pain_onset_date": str(
                date.fromisoformat(str(r["injury_date"])) - timedelta(days=days)
            ),
        }
        for r in records
    ]
    for row, record in zip(classified(*earlier).iter_rows(named=True), earlier, strict=True):
        assert row["mechanism"] == "undetermined"
        assert row["mechanism_evidence"] == [
            f"hip_pain_onset_date={record['hip_pain_onset_date']}",
            f"injury_date={record['injury_date']}",
        ]


@SETTINGS
@given(valid_records(), st.randoms(use_true_random=False))
def test_shuffled_records_get_the_same_classification_each(
    records: list[Record], rng: random.Random
) -> None:
    shuffled = records[:]
    rng.shuffle(shuffled)
    by_id = {row["intake_id"]: row for row in classified(*records).iter_rows(named=True)}
    for row in classified(*shuffled).iter_rows(named=True):
        assert row == by_id[row["intake_id"]]


@SETTINGS
@given(valid_records())
def test_evidence_comes_in_the_rule_tables_order(records: list[Record]) -> None:
    order = {label: i for i, label in enumerate(FINDING_LABELS)}
    for row in classified(*records).iter_rows(named=True):
        evidence = row["mechanism_evidence"]
        if evidence and evidence[0].startswith("hip_pain_onset_date="):
            assert row["mechanism"] == "undetermined"
            continue
        if evidence and evidence[0].startswith("guard="):
            assert row["mechanism"] == "undetermined"
            (block,) = [b for b in GUARD_LABELS if b[0] == evidence[0]]
            assert [block.index(e) for e in evidence] == sorted(block.index(e) for e in evidence)
            continue
        assert [order[e] for e in evidence] == sorted(order[e] for e in evidence)
        assert (evidence == []) == (row["mechanism"] == "undetermined")
