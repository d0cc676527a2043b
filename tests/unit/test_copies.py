"""Which copy of a record counts when several files of a team folder hold it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tpe_tui.domain.copies import Copy, Versions, keys_of, newest, skips
from tpe_tui.domain.records import new_record
from tpe_tui.domain.stats import ActivityStats, Filters

VECTORS = st.dictionaries(st.sampled_from(["a", "b", "c"]), st.integers(1, 3), max_size=3)


def test_the_copy_that_has_seen_every_edit_wins_whatever_the_files_order() -> None:
    left_behind = Copy(0, {"a": 1}, False, "2026-11-28T09:00:00Z")  # newest file
    went_on = Copy(1, {"a": 2}, False, "2026-11-20T09:00:00Z")  # older file, wrong clock
    assert newest([left_behind, went_on]) is went_on
    deleted_after = Copy(2, {"a": 3}, True, "2026-11-21T09:00:00Z")
    assert newest([left_behind, went_on, deleted_after]) is deleted_after


def test_between_concurrent_copies_a_deletion_then_the_latest_write_then_the_newest_file() -> None:
    edited = Copy(0, {"a": 2}, False, "2026-11-28T09:00:00Z")
    deleted = Copy(1, {"b": 1}, True, "2026-11-01T09:00:00Z")
    assert newest([edited, deleted]) is deleted
    later = Copy(1, {"b": 1}, False, "2026-11-29T09:00:00Z")
    assert newest([edited, later]) is later
    same_time = Copy(1, {"b": 1}, False, "2026-11-28T09:00:00Z")
    assert newest([same_time, edited]) is edited  # file 0 is the newest file


@given(st.lists(st.tuples(VECTORS, st.booleans(), st.sampled_from(["1", "2"])), min_size=1))
def test_the_winner_does_not_depend_on_the_order_the_copies_are_compared_in(
    drawn: list[tuple[dict[str, int], bool, str]],
) -> None:
    held = [Copy(n, vv, deleted, stamp) for n, (vv, deleted, stamp) in enumerate(drawn)]
    assert newest(held) == newest(list(reversed(held)))
    winner = newest(held)
    # No copy has seen every edit of the winner and more.
    assert not any(
        all(o.vv.get(d, 0) >= n for d, n in winner.vv.items()) and o.vv != winner.vv for o in held
    )


def test_versions_note_only_the_ids_met_again_with_another_version() -> None:
    versions = Versions()
    versions.add("sessions", *keys_of([("v1", {"a": 1}, False, ""), ("v2", {"a": 1}, None, "")]))
    assert not versions.any_differ
    versions.add("sessions", *keys_of([("v1", {"a": 1}, None, "x"), ("v3", {"b": 1}, False, "")]))
    assert not versions.any_differ  # v1 alike (its time is not its version), v3 new
    versions.add("sessions", *keys_of([("v2", {"a": 1}, True, ""), ("v3", {"b": 1}, False, "")]))
    assert versions.differing == {"sessions": {hash("v2")}}


def test_counting_notes_a_record_met_in_a_second_file() -> None:
    """What tells a folder's count to compare copies (`services.stats._each_copy_once`)."""
    visit = new_record("sessions", status="closed", date="2026-10-01")
    other = new_record("sessions", status="closed", date="2026-10-01")
    stats = ActivityStats(Filters())
    stats.add_data({"sessions": {"1": visit}})
    stats.add_data({"sessions": {"1": other}})
    assert not stats.repeated
    stats.add_data({"sessions": {"2": visit}})
    assert stats.repeated
    gone = new_record("sessions", status="closed", date="2026-10-01", deleted=True)
    assert not stats.counted_any("sessions", {hash(gone["id"])})  # deleted: never counted
    assert stats.counted_any("sessions", {hash(other["id"])})


def test_each_file_skips_the_copies_another_file_holds_newer() -> None:
    plan = skips(
        {
            "sessions": {
                "v1": [Copy(0, {"a": 1}, False, ""), Copy(2, {"a": 2}, False, "")],
                "v2": [Copy(1, {"a": 1}, True, ""), Copy(2, {"b": 1}, False, "")],
            }
        },
        3,
    )
    assert plan[0] == {"sessions": ({"v1"}, set())}
    assert plan[1] == {"sessions": (set(), {"v2"})}
    assert plan[2] == {"sessions": ({"v2"}, {"v1"})}
