"""TinyDB through its extension points: `DataFileStorage` and `RecordTable`; journal folds.

Single-document writes go through TinyDB's own API, cost one journal line (the file itself
is untouched until a whole write), and the file stays one that plain TinyDB reads.
"""

from __future__ import annotations

import gc
import json
import tempfile
import weakref
from pathlib import Path
from typing import Any

import orjson
import pytest
import tinydb
from hypothesis import given, settings
from hypothesis import strategies as st
from tinydb import Query
from tinydb.table import Document

from tests.helpers import add_client, open_store
from tpe_tui.storage import datafile
from tpe_tui.storage.datafile import DataFileStorage
from tpe_tui.storage.file_format import dump, dump_lines, loads_lines, parse_data
from tpe_tui.storage.journal import journal_path, read_journal
from tpe_tui.storage.record_table import replaced_by
from tpe_tui.storage.store import DataFile


def open_file(path: Path) -> DataFile:
    return DataFile(path, storage=DataFileStorage, writer="laptop-a")


def plain_tables(path: Path) -> dict[str, dict[int, dict[str, Any]]]:
    """What plain TinyDB (its own JSON storage) reads from the file."""
    plain = tinydb.TinyDB(path)
    try:
        return {name: {d.doc_id: dict(d) for d in plain.table(name)} for name in plain.tables()}
    finally:
        plain.close()


def file_tables(path: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """What the file alone (without its journal) holds, records read whole."""
    return parse_data(path.read_bytes(), str(path))


def test_one_document_written_is_one_journal_line_and_the_file_is_untouched(db: Path) -> None:
    with open_file(db) as base:
        base.storage.flush()
        before = db.read_bytes()
        clients = base.table("clients")
        doc_id = clients.insert({"id": "c1", "name": "Boulangerie"})
        clients.update({"name": "Boulangerie Martin"}, doc_ids=[doc_id])
        clients.remove(doc_ids=[doc_id])
        assert db.read_bytes() == before
        entries, bad = read_journal(journal_path(db))
        assert bad == 0
        assert entries == [
            ("clients", "1", {"id": "c1", "name": "Boulangerie"}),
            ("clients", "1", {"id": "c1", "name": "Boulangerie Martin"}),
            ("clients", "1", None),
        ]


def test_closing_folds_the_journal_into_a_file_plain_tinydb_reads(db: Path) -> None:
    with open_file(db) as base:
        base.storage.flush()
        clients = base.table("clients")
        first = clients.insert({"id": "c1", "name": "Fleuriste"})
        clients.insert({"id": "c2", "name": "Garage"})
        clients.update(replaced_by({"id": "c1", "name": "Fleuriste Roussel"}), doc_ids=[first])
        assert journal_path(db).exists()
    assert not journal_path(db).exists()
    assert plain_tables(db)["clients"] == {
        1: {"id": "c1", "name": "Fleuriste Roussel"},
        2: {"id": "c2", "name": "Garage"},
    }


def test_replaced_by_drops_the_fields_a_plain_update_would_keep(db: Path) -> None:
    with open_file(db) as base:
        clients = base.table("clients")
        doc_id = clients.insert({"id": "c1", "name": "Atelier", "phone": "01 02 03 04 05"})
        clients.update({"name": "Atelier Dupont"}, doc_ids=[doc_id])
        assert clients.get(doc_id=doc_id) == {
            "id": "c1",
            "name": "Atelier Dupont",
            "phone": "01 02 03 04 05",
        }
        clients.update(replaced_by({"id": "c1", "name": "Atelier Dupont"}), doc_ids=[doc_id])
        assert clients.get(doc_id=doc_id) == {"id": "c1", "name": "Atelier Dupont"}


def test_a_document_is_swapped_never_mutated_under_a_reader(db: Path) -> None:
    with open_file(db) as base:
        clients = base.table("clients")
        doc_id = clients.insert({"id": "c1", "name": "Avant"})
        held = clients.by_record_id("c1")
        clients.update({"name": "Après"}, doc_ids=[doc_id])
        assert held == {"id": "c1", "name": "Avant"}
        assert clients.by_record_id("c1") == {"id": "c1", "name": "Après"}


def test_writes_by_query_take_tinydbs_whole_path_and_keep_the_index(db: Path) -> None:
    with open_file(db) as base:
        clients = base.table("clients")
        clients.insert({"id": "c1", "town": "Arras"})
        clients.insert({"id": "c2", "town": "Calais"})
        clients.insert({"id": "c3", "town": "Arras"})
        assert sorted(clients.update({"visited": True}, Query().town == "Arras")) == [1, 3]
        assert clients.remove(Query().town == "Calais") == [2]
        assert not journal_path(db).exists()  # a whole write folded the journal
        assert clients.doc_id_of("c2") is None and clients.doc_id_of("c3") == 3
        assert clients.insert({"id": "c4"}) == 4
    assert plain_tables(db)["clients"] == {
        1: {"id": "c1", "town": "Arras", "visited": True},
        3: {"id": "c3", "town": "Arras", "visited": True},
        4: {"id": "c4"},
    }


def test_insert_multiple_owes_one_whole_write(db: Path) -> None:
    with open_file(db) as base:
        base.storage.flush()
        sessions = base.table("sessions")
        assert sessions.insert_multiple([{"id": f"s{n}"} for n in range(3)]) == [1, 2, 3]
        assert base.storage.pending and not journal_path(db).exists()
        sessions.insert({"id": "s3"})  # the next save makes the whole write it owed
        assert not base.storage.pending
    assert sorted(plain_tables(db)["sessions"]) == [1, 2, 3, 4]


def test_a_document_with_its_own_doc_id_moves_the_next_id_past_it(db: Path) -> None:
    with open_file(db) as base:
        meta = base.table("meta")
        assert meta.insert(Document({"note": "a"}, doc_id=7)) == 7
        assert meta.insert({"note": "b"}) == 8


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["insert", "update", "replace", "remove"]),
        st.integers(min_value=0, max_value=5),
        st.text(max_size=4),
    ),
    max_size=25,
)


@settings(max_examples=40, deadline=None)
@given(OPERATIONS)
def test_any_sequence_of_single_writes_reopens_and_reads_as_in_memory(
    operations: list[tuple[str, int, str]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "donnees.json"
        expected: dict[str, dict[str, Any]] = {}
        base = open_file(path)
        base.storage.flush()
        rows = base.table("clients")
        for verb, number, text in operations:
            record_id = f"c{number}"
            doc_id = rows.doc_id_of(record_id)
            if verb == "insert" and doc_id is None:
                rows.insert({"id": record_id, "name": text})
                expected[record_id] = {"id": record_id, "name": text}
            elif verb == "update" and doc_id is not None:
                rows.update({"notes": text}, doc_ids=[doc_id])
                expected[record_id] = {**expected[record_id], "notes": text}
            elif verb == "replace" and doc_id is not None:
                rows.update(replaced_by({"id": record_id, "town": text}), doc_ids=[doc_id])
                expected[record_id] = {"id": record_id, "town": text}
            elif verb == "remove" and doc_id is not None:
                rows.remove(doc_ids=[doc_id])
                del expected[record_id]
        base.storage._journal.close()  # as if killed: never closed, the journal left as it is
        again = open_file(path)
        reread = {doc["id"]: dict(doc) for doc in again.table("clients")}
        assert reread == expected
        assert all(again.table("clients").doc_id_of(key) is not None for key in expected)
        again.storage.flush()
        again.close()
        assert {d["id"]: d for d in plain_tables(path).get("clients", {}).values()} == expected


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=8,
)


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.text(min_size=1, max_size=6),
        st.dictionaries(
            st.integers(1, 10**6).map(str), st.dictionaries(st.text(max_size=5), JSON_VALUES)
        ),
        max_size=4,
    ),
    st.integers(1, 4),
)
def test_the_file_written_in_slices_is_byte_for_byte_the_one_written_at_once(
    data: dict[str, dict[str, dict[str, Any]]], per_slice: int
) -> None:
    assert b"".join(dump_lines(data, per_slice)) == dump(data)
    assert orjson.loads(dump(data)) == data  # plain JSON, as any TinyDB reads it


def test_a_long_journal_is_folded_in_the_background_while_saves_go_on(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(datafile, "JOURNAL_COMPACT_BYTES", 2_000)
    store = open_store(db)
    clients = [add_client(store, f"Entreprise {n}") for n in range(40)]
    for round_number in range(5):  # each save may start or meet a fold in progress
        for client in clients:
            store.put("clients", {**client, "notes": f"tour {round_number}"})
    store._storage.wait_for_fold()
    # Saves made while a fold runs stay in the journal until the next save starts another
    # fold (how many depends on the machine's speed): one more save, and it is folded.
    journal = journal_path(db)
    if journal.exists() and journal.stat().st_size > datafile.JOURNAL_COMPACT_BYTES:
        store.put("clients", {**store.get("clients", clients[0]["id"]), "trade": "Fleuriste"})
        store._storage.wait_for_fold()
    assert not journal.exists() or journal.stat().st_size <= datafile.JOURNAL_COMPACT_BYTES
    folded = {d["id"] for d in file_tables(db)["clients"].values()}
    assert len(folded) >= 30  # the file alone already holds what was folded
    store._storage._journal.close()  # as if killed now: file + journal are everything
    store._lock.release()
    with open_store(db) as again:
        for client in clients:
            assert again.get("clients", client["id"])["notes"] == "tour 4"


def test_a_whole_write_during_a_fold_wins(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_store(db) as store:
        client = add_client(store)
        monkeypatch.setattr(datafile, "JOURNAL_COMPACT_BYTES", 0)
        store.put("clients", {**client, "notes": "avant"})  # starts a fold
        store.compact()  # a whole write, possibly before the fold swaps its file in
        store._storage.wait_for_fold()
        store.put("clients", {**client, "notes": "après"})
        store._storage.wait_for_fold()
    assert [d["notes"] for d in file_tables(db)["clients"].values()] == ["après"]


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.text(max_size=6),
        st.dictionaries(st.text(max_size=4), st.dictionaries(st.text(max_size=5), JSON_VALUES)),
        max_size=4,
    ),
    st.sampled_from([None, 0, 2]),
    st.integers(min_value=1, max_value=40),
)
def test_the_file_read_a_slice_at_a_time_is_the_file_read_at_once(
    data: dict[str, dict[str, dict[str, Any]]], indent: int | None, cut: int
) -> None:
    raw = dump(data)
    assert loads_lines(raw, per_slice=2) == orjson.loads(raw) == data
    if len(raw) > cut:
        with pytest.raises(ValueError):  # a torn file is refused, never half read
            loads_lines(raw[:-cut])
    # Another program's layout (plain TinyDB, an older tpe-tui): not this parser's, yet
    # the file reads the same, at once.
    other = json.dumps(data, indent=indent).encode()
    if other != raw:
        with pytest.raises(ValueError):
            loads_lines(other)
    assert parse_data(other, "f", by_document=True) == parse_data(other, "f") == data


class _Watched(dict):  # type: ignore[type-arg]
    """A document that can be watched with a weak reference (a plain dict cannot)."""


def test_a_document_frozen_after_opening_is_freed_once_swapped_out(db: Path) -> None:
    """The app freezes what opening built (`gc.freeze`): that exempts it from the cyclic
    collector only, so an edited document's old version, a tree of dicts and lists with
    no cycle, is still freed by its reference count as soon as the table lets go of it."""
    with open_file(db) as base:
        clients = base.table("clients")
        doc_id = clients.insert({"id": "c1", "name": "Avant"})
        base.storage.read()["clients"][str(doc_id)] = _Watched(id="c1", name="Avant")
        watched = weakref.ref(base.storage.read()["clients"][str(doc_id)])
        gc.freeze()
        try:
            assert watched() is not None
            clients.update({"name": "Après"}, doc_ids=[doc_id])
            assert watched() is None
        finally:
            gc.unfreeze()
