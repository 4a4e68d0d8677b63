"""Deciding a day's records in memory: for any records and any versions on record, every content
becomes a version at most once, versions are numbered on from the newest, each case takes its
newest version, and every file's counts add up."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.load.decide import STORED_SCHEMA, decide

IDS = ("A", "B", "C")
HASHES = ("h1", "h2", "h3")
FILES = (1, 2, 3)

received = st.lists(
    st.tuples(st.sampled_from(FILES), st.sampled_from(IDS), st.sampled_from(HASHES)), max_size=25
)
on_record = st.dictionaries(
    st.sampled_from(IDS), st.lists(st.sampled_from(HASHES), min_size=1, max_size=3, unique=True)
)


def _records(rows: list[tuple[int, str, str]]) -> pl.DataFrame:
    ordered = sorted(enumerate(rows), key=lambda r: (r[1][0], r[0]))  # file, then line
    return pl.DataFrame(
        {
            "file_id": [f for _, (f, _, _) in ordered],
            "line_number": [line for line, _ in ordered],
            "intake_id": [i for _, (_, i, _) in ordered],
            "content_hash": [h for _, (_, _, h) in ordered],
        },
        schema={
            "file_id": pl.Int64,
            "line_number": pl.Int64,
            "intake_id": pl.String,
            "content_hash": pl.String,
        },
    )


def _stored(versions: dict[str, list[str]]) -> pl.DataFrame:
    rows = [
        (intake_id, content, number, 9)
        for intake_id, contents in versions.items()
        for number, content in enumerate(contents, start=1)
    ]
    return pl.DataFrame(rows, schema=STORED_SCHEMA, orient="row")


@settings(max_examples=200, deadline=None)
@given(rows=received, versions=on_record)
def test_each_content_becomes_a_version_once_numbered_on_and_the_counts_add_up(
    rows: list[tuple[int, str, str]], versions: dict[str, list[str]]
) -> None:
    records, stored = _records(rows), _stored(versions)
    decision = decide(records, stored, list(FILES))
    new = decision.new_versions
    known = {(i, h) for i, hashes in versions.items() for h in hashes}
    brought = {(i, h) for _, i, h in rows} - known
    assert set(zip(new["intake_id"], new["content_hash"], strict=True)) == brought
    assert new.height == len(brought)
    for intake_id in IDS:
        numbers = new.filter(pl.col("intake_id") == intake_id)["version"].to_list()
        first = len(versions.get(intake_id, [])) + 1
        assert numbers == list(range(first, first + len(numbers)))
    newest = new.group_by("intake_id").agg(pl.col("version").max())
    assert dict(decision.current.select("intake_id", "version").iter_rows()) == dict(
        newest.iter_rows()
    )
    assert dict(decision.current.select("intake_id", "known").iter_rows()) == {
        i: i in versions for i in decision.current["intake_id"]
    }
    for outcome in decision.outcomes:
        in_file = sum(1 for f, _, _ in rows if f == outcome.file_id)
        assert outcome.loaded + outcome.unchanged + outcome.corrected == in_file
        assert min(outcome.loaded, outcome.unchanged, outcome.corrected) >= 0
    assert sum(o.loaded + o.corrected for o in decision.outcomes) == len(brought)
    assert sum(o.loaded for o in decision.outcomes) == new.filter(pl.col("version") == 1).height
