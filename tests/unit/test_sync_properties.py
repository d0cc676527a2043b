"""The merge is a join: commutative, associative, idempotent, and it loses no edit.

Histories are generated: several laptops edit, delete and exchange files in any order.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tpe_tui.domain.records import new_record
from tpe_tui.sync import merge as sync
from tpe_tui.sync.versions import HybridClock, descends, next_version, version_id

LAPTOPS = ("alpha", "bravo", "charlie")
RECORD_IDS = ("r1", "r2", "r3")

Tables = dict[str, list[dict[str, Any]]]

operation = st.one_of(
    st.tuples(
        st.just("edit"), st.sampled_from(LAPTOPS), st.sampled_from(RECORD_IDS), st.text(max_size=3)
    ),
    st.tuples(
        st.just("delete"), st.sampled_from(LAPTOPS), st.sampled_from(RECORD_IDS), st.just("")
    ),
    st.tuples(st.just("sync"), st.sampled_from(LAPTOPS), st.sampled_from(LAPTOPS), st.just("")),
    st.tuples(
        st.just("resolve"), st.sampled_from(LAPTOPS), st.sampled_from(RECORD_IDS), st.just("")
    ),
)


class World:
    """Laptops with their own files; every version ever written is remembered."""

    def __init__(self) -> None:
        self.files: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in LAPTOPS}
        self.clocks = {name: HybridClock() for name in LAPTOPS}
        self.created: list[dict[str, Any]] = []

    def tables(self, laptop: str) -> Tables:
        return {"clients": list(self.files[laptop].values())}

    def write(self, laptop: str, record: dict[str, Any], parents: list[dict[str, Any]]) -> None:
        siblings = parents[0]["conflicts"] if len(parents) == 1 else []
        new = next_version(record, parents, laptop, self.clocks[laptop], siblings=siblings)
        new["conflicts"] = (
            [] if len(parents) > 1 else list(parents[0]["conflicts"]) if parents else []
        )
        self.files[laptop][new["id"]] = new
        self.created.append({k: v for k, v in new.items() if k != "conflicts"})

    def apply(self, op: tuple[str, str, str, str]) -> None:
        kind, laptop, target, text = op
        mine = self.files[laptop]
        if kind == "sync":
            if target != laptop:
                merged, _ = sync.merge(self.tables(laptop), self.tables(target))
                self.files[laptop] = {r["id"]: r for r in merged["clients"]}
            return
        current = mine.get(target)
        if kind == "edit":
            base = current or new_record("clients", name="x", id=target)
            self.write(
                laptop,
                {**base, "name": f"{laptop}:{text}", "deleted": False},
                [current] if current else [],
            )
        elif kind == "delete" and current:
            self.write(laptop, {**current, "deleted": True}, [current])
        elif kind == "resolve" and current and current["conflicts"]:
            self.write(laptop, dict(current["conflicts"][0]), [current, *current["conflicts"]])


def build(ops: list[tuple[str, str, str, str]]) -> World:
    world = World()
    for op in ops:
        world.apply(op)
    return world


def merged(*tables: Tables) -> Tables:
    result = tables[0]
    for other in tables[1:]:
        result, _ = sync.merge(result, other)
    return result


def held_versions(tables: Tables) -> set[str]:
    return {
        (record["id"], version_id(v))
        for record in tables["clients"]
        for v in sync.versions_of(record)
    }


histories = st.lists(operation, max_size=40)


@settings(max_examples=150, deadline=None)
@given(histories)
def test_merge_is_commutative(ops: list[tuple[str, str, str, str]]) -> None:
    world = build(ops)
    a, b = world.tables("alpha"), world.tables("bravo")
    assert sync.tables_equal(merged(a, b), merged(b, a))


@settings(max_examples=150, deadline=None)
@given(histories)
def test_merge_is_associative(ops: list[tuple[str, str, str, str]]) -> None:
    world = build(ops)
    a, b, c = (world.tables(name) for name in LAPTOPS)
    assert sync.tables_equal(merged(merged(a, b), c), merged(a, merged(b, c)))


@settings(max_examples=150, deadline=None)
@given(histories)
def test_merge_is_idempotent(ops: list[tuple[str, str, str, str]]) -> None:
    world = build(ops)
    a, b = world.tables("alpha"), world.tables("bravo")
    once = merged(a, b)
    assert sync.tables_equal(merged(once, b), once)
    assert sync.tables_equal(merged(once, once), once)
    _, report = sync.merge(once, b)
    assert not report.changed


@settings(max_examples=200, deadline=None)
@given(histories)
def test_no_edit_is_lost(ops: list[tuple[str, str, str, str]]) -> None:
    """Every version nobody has superseded is the shown one or a stored conflict."""
    world = build(ops)
    everything = merged(*(world.tables(name) for name in LAPTOPS))
    frontier = {
        (v["id"], version_id(v))
        for v in world.created
        if not any(w["id"] == v["id"] and descends(w["vv"], v["vv"]) for w in world.created)
    }
    assert held_versions(everything) == frontier


@settings(max_examples=150, deadline=None)
@given(histories)
def test_a_deletion_wins_over_a_concurrent_edit(ops: list[tuple[str, str, str, str]]) -> None:
    world = build(ops)
    for record in merged(*(world.tables(name) for name in LAPTOPS))["clients"]:
        if any(c["deleted"] for c in record["conflicts"]):
            assert record["deleted"], "a tombstone among the survivors must be shown"


def _client(**fields: Any) -> dict[str, Any]:
    return new_record("clients", id="c", name="Garage Caron", **fields)


def test_concurrent_edits_keep_a_winner_and_a_conflict_and_report_it() -> None:
    clock_a, clock_b = HybridClock(lambda: 1000), HybridClock(lambda: 2000)
    base = next_version(_client(), [], "alpha", clock_a)
    mine = next_version({**base, "trade": "Garage"}, [base], "alpha", clock_a)
    theirs = next_version({**base, "trade": "Carrosserie"}, [base], "bravo", clock_b)
    result, report = sync.merge({"clients": [mine]}, {"clients": [theirs]})
    (record,) = result["clients"]
    assert record["trade"] == "Carrosserie"  # later clock wins the display, deterministically
    assert [c["trade"] for c in record["conflicts"]] == ["Garage"]
    assert report.tables["clients"].conflicts == 1 and report.tables["clients"].updated == 1
    assert any("conflit" in line for line in sync.format_report(report))


def test_a_descendant_replaces_its_ancestor_without_conflict() -> None:
    clock = HybridClock()
    base = next_version(_client(), [], "alpha", clock)
    later = next_version({**base, "trade": "Garage"}, [base], "bravo", clock)
    result, report = sync.merge({"clients": [base]}, {"clients": [later]})
    assert result["clients"][0]["trade"] == "Garage" and result["clients"][0]["conflicts"] == []
    assert report.tables["clients"].updated == 1 and report.tables["clients"].conflicts == 0


def test_an_erasure_strips_personal_data_from_a_concurrent_edit() -> None:
    clock = HybridClock()
    contact = {
        "id": "p",
        "role": "owner",
        "name": "Loïc Caron",
        "phone": "06 00 00 00 00",
        "email": "",
    }
    base = next_version(_client(phone="03 21 00 00 00", contacts=[contact]), [], "alpha", clock)
    from tpe_tui.domain.records import anonymise_client

    erased = next_version({**anonymise_client(base), "deleted": True}, [base], "alpha", clock)
    edited = next_version({**base, "phone": "03 21 99 99 99"}, [base], "bravo", clock)
    for first, second in ((erased, edited), (edited, erased)):
        result, report = sync.merge({"clients": [first]}, {"clients": [second]})
        record = result["clients"][0]
        assert record["deleted"] and record["anonymised"]
        text = repr(record)
        assert "Loïc" not in text and "06 00" not in text and "99 99" not in text
    _, report = sync.merge({"clients": [edited]}, {"clients": [erased]})
    assert report.tables["clients"].deletions_over_edits == ["c"]
