"""Probable duplicates and their merge, on one laptop and carried by sync to another."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import add_client, add_session, open_store
from tpe_tui.domain import duplicates
from tpe_tui.domain.records import new_record
from tpe_tui.services import clients as client_files
from tpe_tui.services.sync import import_file
from tpe_tui.services.workspace import Workspace
from tpe_tui.storage.exchange import export_file


def _c(**values: object) -> dict:
    return new_record("clients", **{"name": "x", **values})


def test_same_siret_alone_is_enough() -> None:
    a = _c(name="Garage Caron", siret="73282932000074")
    b = _c(name="SARL Caron Automobiles", siret="73282932000074")
    assert duplicates.probable_duplicates(a, b)


def test_two_equal_fields_once_folded_make_a_duplicate_one_does_not() -> None:
    a = _c(name="École de conduite Dupont", commune="Saint-Omer", phone="03 21 00 00 00")
    b = _c(name="ecole de conduite  DUPONT", commune="Saint Omer")
    c = _c(name="Ecole de conduite Dupont", commune="Arras", email="autre@x.fr")
    d = _c(name="Boulangerie", phone="+33 3 21 00 00 00", email="ECOLE@x.fr", commune="Lens")
    assert duplicates.probable_duplicates(a, b)  # name + commune
    assert not duplicates.probable_duplicates(a, c)  # name only
    assert duplicates.shared_keys(a, d) == ["phone"]  # +33 is the same line
    assert not duplicates.probable_duplicates(a, a)  # a record is not its own duplicate
    found = duplicates.duplicates_of(a, [a, b, c, d, {**b, "id": "gone", "deleted": True}])
    assert [c["id"] for c in found] == [b["id"]]


def test_merge_fills_blanks_unites_contacts_and_leaves_a_pointing_tombstone() -> None:
    kept = _c(
        name="Garage Caron",
        phone="",
        commune="Arras",
        notes="Client fidèle",
        contacts=[{"id": "1", "name": "Loïc Caron", "phone": "06 00 00 00 00"}],
    )
    other = _c(
        name="Garage caron",
        phone="03 21 00 00 00",
        commune="Lens",
        notes="Rappeler lundi",
        contacts=[
            {"id": "2", "name": "loic caron", "phone": "0600000000"},
            {"id": "3", "name": "Anne", "phone": ""},
        ],
    )
    merged, tomb = duplicates.merge(kept, other)
    assert merged["phone"] == "03 21 00 00 00"  # blank filled
    assert merged["commune"] == "Arras"  # not blank: kept's value stays
    assert [c["id"] for c in merged["contacts"]] == ["1", "3"]  # same person not doubled
    assert merged["notes"] == "Client fidèle\nRappeler lundi"
    assert tomb["deleted"] is True and tomb["merged_into"] == kept["id"]


def test_sessions_follow_the_merge_and_sync_carries_it_to_another_laptop(tmp_path: Path) -> None:
    a_db, b_db = tmp_path / "a.json", tmp_path / "b.json"
    with open_store(a_db, "laptop-a") as store:
        kept = add_client(store, "Garage Caron", commune="Arras", phone="03 21 00 00 00")
        other = add_client(store, "GARAGE CARON", commune="arras")
        s1 = add_session(store, other["id"], status="closed", date="2026-10-01")
    export_file(a_db, tmp_path / "a-export.json", "laptop-a")
    # Laptop B gets everything, then records a new session on the duplicate, unaware.
    with open_store(b_db, "laptop-b") as store:
        import_file(store, tmp_path / "a-export.json")
        s2 = add_session(store, other["id"], status="closed", date="2026-11-02")
    export_file(b_db, tmp_path / "b-export.json", "laptop-b")
    # Meanwhile laptop A merges the duplicates.
    with open_store(a_db, "laptop-a") as store:
        ws = Workspace(store)
        file = client_files.ClientFile.load(ws, kept["id"])
        assert file is not None and [d["id"] for d in file.duplicates] == [other["id"]]
        client_files.merge(ws, kept["id"], other["id"])
        assert store.get("sessions", s1["id"])["client_id"] == kept["id"]
        import_file(store, tmp_path / "b-export.json")
    export_file(a_db, tmp_path / "a-export2.json", "laptop-a")
    with open_store(b_db, "laptop-b") as store:
        import_file(store, tmp_path / "a-export2.json")
        ws = Workspace(store)
        assert store.get("clients", other["id"])["merged_into"] == kept["id"]
        assert ws.client(other["id"])["id"] == kept["id"]
        file = client_files.ClientFile.load(ws, kept["id"])
        assert file is not None
        assert {s["id"] for s in file.sessions} == {s1["id"], s2["id"]}
        assert file.client["phone"] == "03 21 00 00 00" and file.duplicates == []
        assert ws.search_clients("garage caron") == [file.client]
