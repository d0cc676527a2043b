"""Version vectors and the hybrid logical clock."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tpe_tui.sync.versions import HybridClock, descends, dominates, join, next_version, parse_hlc


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=50))
def test_clock_never_goes_backwards_even_when_the_wall_clock_does(walls: list[int]) -> None:
    values = iter(walls)
    clock = HybridClock(lambda: next(values))
    ticks = [parse_hlc(clock.tick()) for _ in walls]
    assert ticks == sorted(ticks) and len(set(ticks)) == len(ticks)


def test_clock_moves_past_values_seen_from_other_laptops() -> None:
    clock = HybridClock(lambda: 1000)
    seen = "0000000009999-0003"
    assert parse_hlc(clock.tick([seen])) > parse_hlc(seen)


vectors = st.dictionaries(st.sampled_from("abcd"), st.integers(0, 5), max_size=4)


@given(vectors, vectors)
def test_join_dominates_both(a: dict[str, int], b: dict[str, int]) -> None:
    joined = join([a, b])
    assert dominates(joined, a) and dominates(joined, b)
    assert not descends(a, a)


def test_next_version_supersedes_all_parents() -> None:
    clock = HybridClock()
    a = next_version({"id": "r"}, [], "a", clock)
    b = next_version({"id": "r"}, [], "b", clock)
    resolved = next_version({"id": "r"}, [a, b], "a", clock)
    assert descends(resolved["vv"], a["vv"]) and descends(resolved["vv"], b["vv"])
    assert resolved["vv"] == {"a": 2, "b": 1} and resolved["rev"] == 3
