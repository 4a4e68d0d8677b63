"""The small-cell rule: for viewers and in every aggregate export, a count from 1 to 10 shows
as "<11" and a share or change resting on such a count is not shown; administrators see
exact counts."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from dashboards.small_cells import (
    SMALL_CELL_MAX,
    SUPPRESSED,
    change_text,
    count_text,
    is_small,
    share,
    share_text,
)

counts = st.integers(min_value=0, max_value=10_000_000)
small = st.integers(min_value=1, max_value=SMALL_CELL_MAX)
not_small = st.one_of(st.just(0), st.integers(min_value=SMALL_CELL_MAX + 1, max_value=10**9))


def test_the_small_cells_are_exactly_one_to_ten() -> None:
    assert [n for n in range(20) if is_small(n)] == list(range(1, 11))
    assert SUPPRESSED == "<11"


@given(small)
def test_a_viewer_sees_a_small_count_as_less_than_eleven(count: int) -> None:
    assert count_text(count, exact=False) == "<11"


@given(counts)
def test_an_administrator_sees_every_count_exactly(count: int) -> None:
    assert int(count_text(count, exact=True).replace(",", "")) == count


@given(not_small)
def test_zero_and_counts_above_ten_are_shown_to_everyone(count: int) -> None:
    assert count_text(count, exact=False) == count_text(count, exact=True) == f"{count:,}"


@given(small, counts)
def test_a_share_resting_on_a_small_part_is_not_shown_to_a_viewer(part: int, extra: int) -> None:
    whole = part + extra
    assert share(part, whole, exact=False) is None
    assert share_text(part, whole, exact=False) == "\u2013"


@given(counts, small)
def test_a_share_of_a_small_whole_is_not_shown_to_a_viewer(part: int, whole: int) -> None:
    assert share(min(part, whole), whole, exact=False) is None


@given(not_small, not_small)
def test_a_share_of_large_counts_is_the_same_for_everyone(part: int, rest: int) -> None:
    whole = part + rest
    expected = None if whole == 0 else 100.0 * part / whole
    assert share(part, whole, exact=False) == share(part, whole, exact=True) == expected


@given(counts, counts)
def test_an_administrator_sees_every_share_of_a_nonempty_whole(part: int, rest: int) -> None:
    whole = part + rest
    value = share(part, whole, exact=True)
    assert (value is None) == (whole == 0)
    if value is not None:
        assert 0.0 <= value <= 100.0


@given(small, counts)
def test_a_change_from_or_to_a_small_count_is_not_shown_to_a_viewer(
    small_count: int, other: int
) -> None:
    assert change_text(small_count, other, exact=False) is None
    assert change_text(other, small_count, exact=False) is None


@given(counts, counts)
def test_an_administrator_sees_every_change_with_its_sign(current: int, previous: int) -> None:
    text = change_text(current, previous, exact=True)
    assert text is not None
    if previous == 0:
        assert text == "no earlier data", "a difference from nothing is no trend"
        return
    assert int(text.split(" ")[0].replace(",", "")) == current - previous
    assert text[0] in "+-"


@given(small, small)
def test_no_text_a_viewer_sees_gives_a_small_count_away(count: int, other: int) -> None:
    shown = [
        count_text(count, exact=False),
        share_text(count, count + other, exact=False),
        change_text(count, other, exact=False) or "",
    ]
    numbers = {int(n) for text in shown for n in re.findall(r"\d+", text)}
    assert numbers <= {11}
