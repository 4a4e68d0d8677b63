"""The impact comparison (pure): however the cases are cut into chunks, the combined report is
the same; its counts add up to the cases; a downgrade is exactly a triage that goes down."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.classify import classify
from pipeline.rules_change import impact, report_text
from pipeline.validate.rules import validate
from tests.records import NOW, Record, raw_frame
from tests.strategies import valid_records

OLD, NEW = "2026.11.1", "2026.11.2"
SETTINGS = settings(max_examples=30, deadline=None)


def _before(records: list[Record], triage_before: list[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    valid = validate(raw_frame(*records), NOW).valid
    old = classify(valid, OLD)
    cases = valid.select("intake_id", "clinic_id", "intake_date").with_columns(
        old["mechanism"].alias("mechanism_before"),
        pl.Series("triage_before", triage_before[: valid.height], dtype=pl.String),
    )
    return cases, classify(valid, NEW)


TRIAGES = st.sampled_from(["routine", "evaluate", "urgent", None])


@SETTINGS
@given(valid_records(max_size=20), st.lists(TRIAGES, min_size=20, max_size=20), st.data())
def test_chunks_combined_are_the_whole_and_add_up_to_the_cases(
    records: list[Record], triage_before: list[str | None], data: st.DataObject
) -> None:
    cases, after = _before(records, [t or "" for t in triage_before])
    cases = cases.with_columns(pl.col("triage_before").replace("", None))
    whole = impact.combine([impact.compare(cases, after)])
    size = data.draw(st.integers(min_value=1, max_value=max(cases.height, 1)))
    parts = [
        impact.compare(cases.slice(start, size), after) for start in range(0, cases.height, size)
    ]
    chunked = impact.combine(parts)

    assert chunked.transitions.equals(whole.transitions)
    assert chunked.weekly.equals(whole.weekly)
    assert chunked.downgrades.equals(whole.downgrades)
    assert chunked.cases == whole.cases == cases.height
    for kind in impact.KINDS:
        assert impact.overall(whole.transitions, kind)["cases"].sum() == cases.height
    assert whole.weekly["cases"].sum() == cases.height


@SETTINGS
@given(valid_records(max_size=20), st.lists(TRIAGES, min_size=20, max_size=20))
def test_a_downgrade_is_exactly_a_triage_that_goes_down(
    records: list[Record], triage_before: list[str | None]
) -> None:
    cases, after = _before(records, [t or "" for t in triage_before])
    cases = cases.with_columns(pl.col("triage_before").replace("", None))
    found = impact.combine([impact.compare(cases, after)]).downgrades
    rank = impact.TRIAGE_RANK
    expected = sorted(
        case
        for case, before, now in zip(
            cases["intake_id"], cases["triage_before"], after["triage"], strict=True
        )
        if before is not None and rank[now] < rank[before]
    )
    assert found["intake_id"].to_list() == expected


def test_the_markdown_report_has_every_section_and_names_downgraded_cases() -> None:
    from tests.records import record

    records = [record(intake_id=f"A{i}", pain_trend="stable") for i in range(3)]
    cases, after = _before(records, ["urgent", "routine", "routine"])
    compared = impact.combine([impact.compare(cases, after)])
    document = report_text.document(OLD, NEW, NOW, compared, {})
    text = report_text.markdown(document)
    assert text.startswith(f"# Rules impact report: {OLD} -> {NEW}")
    for section in ("## Mechanism, every clinic", "## Triage, every clinic", "## Clinic "):
        assert section in text
    assert "Triage would go down: **1**" in text
    assert "| A0 " in text
    assert document["cases"] == 3
