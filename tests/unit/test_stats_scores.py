"""Maturity scores compared a few C passes at a time give what comparing each business's
first and last scores axis by axis gives."""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tpe_tui.domain.stats import _Scores

AXES = ["a", "b", "c"]
VALUE = st.one_of(
    st.none(), st.integers(0, 13), st.sampled_from([-1, 14, 99, True, False, "2", 2.5])
)
SCORES = st.tuples(*[VALUE] * len(AXES)).filter(lambda scores: scores != (None,) * len(AXES))


def compared(pairs: list[tuple[tuple[Any, ...], tuple[Any, ...]]]) -> tuple[Counter, Counter]:
    """Each pair compared axis by axis, where both values are ints."""
    outcome: Counter[str] = Counter()
    up: Counter[str] = Counter()
    for first, last in pairs:
        rises = falls = 0
        for axis, before, after in zip(AXES, first, last, strict=True):
            if isinstance(before, int) and isinstance(after, int):
                if after > before:
                    rises += 1
                    up[axis] += 1
                elif after < before:
                    falls += 1
        outcome["up" if rises else "down" if falls else "same"] += 1
    return outcome, up


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(SCORES, SCORES), max_size=30))
def test_codes_compare_as_the_scores_they_stand_for(pairs) -> None:
    scores = _Scores(AXES)
    firsts = [scores.code(first) for first, _ in pairs]
    lasts = [scores.code(last) for _, last in pairs]
    assert None not in firsts and None not in lasts
    outcome, up = scores.outcomes(firsts, lasts)  # type: ignore[arg-type]
    expected_outcome, expected_up = compared(pairs)
    assert +outcome == expected_outcome
    assert +up == expected_up


def test_no_axis_assessed_has_no_code() -> None:
    assert _Scores(AXES).code((None, None, None)) is None
    assert _Scores(AXES).code((None, "", None)) is not None  # a value, if not an int
