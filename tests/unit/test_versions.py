"""Version vectors and the hybrid clock."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tpe_tui.sync.versions import HybridClock, descends, dominates, join, parse_hlc


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=50))
def test_clock_never_goes_backwards_even_when_the_wall_clock_does(walls: list[int]) -> None:
    values = iter(walls)
    clock = HybridClock(lambda: next(values))
    ticks = [clock.tick() for _ in walls]
    assert ticks == sorted(ticks) and len(set(ticks)) == len(ticks)


def test_clock_moves_past_values_seen_from_other_laptops() -> None:
    clock = HybridClock(lambda: 1000)
    assert clock.tick([9999]) > 9999


vectors = st.dictionaries(st.sampled_from("abcd"), st.integers(0, 5), max_size=4)


@given(vectors, vectors)
def test_join_dominates_both(a: dict[str, int], b: dict[str, int]) -> None:
    joined = join([a, b])
    assert dominates(joined, a) and dominates(joined, b)
    assert not descends(a, a)


def test_schema_1_clock_values_are_read() -> None:
    assert parse_hlc("0000000009999-0003") == (9999, 3) and parse_hlc(None) == (0, 0)
