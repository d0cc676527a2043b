"""Probable duplicates and their merge, on one laptop and carried by sync to another."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

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


# ---------------------------------------------------------------- different SIRETs, French reasons
_digits = st.text(alphabet="0123456789", min_size=14, max_size=14)
_word = st.sampled_from(["Boulangerie Girard", "boulangerie  GIRARD", "Garage Caron", ""])
_commune = st.sampled_from(["Soissons", "soissons", "Arras", ""])
_phone = st.sampled_from(["03 23 00 00 00", "+33 3 23 00 00 00", "06 11 22 33 44", ""])
_email = st.sampled_from(["girard@pain.fr", "GIRARD@pain.fr", ""])


@given(
    st.tuples(_word, _commune, _phone, _email),
    st.tuples(_word, _commune, _phone, _email),
    _digits,
    _digits,
)
def test_two_different_sirets_are_never_a_probable_duplicate(
    one: tuple[str, ...], two: tuple[str, ...], siret_a: str, siret_b: str
) -> None:
    keys = ("name", "commune", "phone", "email")
    a = _c(**dict(zip(keys, one, strict=True)), siret=siret_a)
    b = _c(**dict(zip(keys, two, strict=True)), siret=siret_b)
    assert duplicates.probable_duplicates(a, b) == (siret_a == siret_b)
    assert duplicates.probable_duplicates(a, b) == duplicates.probable_duplicates(b, a)
    assert bool(duplicates.duplicates_of(a, [a, b])) == (siret_a == siret_b)
    # With one SIRET missing, the other fields decide, as before.
    c = {**b, "siret": ""}
    assert duplicates.probable_duplicates(a, c) == (len(duplicates.shared_keys(a, c)) >= 2)


def test_three_homonyms_with_their_own_sirets_are_three_businesses() -> None:
    shops = [
        _c(name="Boulangerie Girard", commune="Soissons", siret=s)
        for s in ("73282932000074", "73282932000082", "")
    ]
    # The two with a SIRET are not one; the one without may be either of them.
    assert duplicates.duplicates_of(shops[0], shops) == [shops[2]]
    assert [d["id"] for d in duplicates.duplicates_of(shops[2], shops)] == [
        shops[0]["id"],
        shops[1]["id"],
    ]


def test_the_reason_is_said_with_french_field_names() -> None:
    a = _c(name="Garage Caron", commune="Arras", phone="03 21 00 00 00", siret="")
    b = _c(name="garage caron", commune="arras", phone="+33 3 21 00 00 00")
    assert duplicates.reason(a, b) == "mêmes nom, téléphone et commune"
    assert duplicates.reason({**a, "siret": "1"}, {**b, "siret": "1"}) == "même SIRET"
    assert duplicates.reason(a, {**b, "phone": "", "commune": ""}) == "même nom"


def test_coded_values_are_compared_by_their_french_labels() -> None:
    from tpe_tui.sync.conflicts import compare

    a = _c(size="alone", activity_kind="craft")
    b = _c(size="employees", activity_kind="commercial")
    rows = {label: (mine, theirs) for label, mine, theirs in compare("clients", a, b)}
    assert rows["Taille"] == ("Seul(e)", "Avec salariés")
    assert rows["Type d’activité"] == ("Artisanale", "Commerciale")


def test_homonyms_are_told_apart_by_what_differs_among_them() -> None:
    from tpe_tui.domain import homonyms

    people = [{"id": "p", "name": "Mme Girard"}]
    shops = [
        _c(name="Boulangerie Girard", commune="Soissons", siret="73282932000074", contacts=people),
        _c(name="Boulangerie Girard", commune="Soissons", address="2 rue du Pont"),
        _c(name="Boulangerie Girard", commune="Soissons", siret="73282932000082"),
    ]
    told = homonyms.telling(shops)
    assert told[shops[0]["id"]] == "SIRET 73282932000074 · sans adresse · Mme Girard"
    assert told[shops[1]["id"]] == "sans SIRET · 2 rue du Pont · sans interlocuteur"
    assert len(set(told.values())) == 3  # each one its own line
    assert homonyms.telling(shops[:1]) == {shops[0]["id"]: ""}  # alone: nothing to tell
    by_name = homonyms.telling_by_name([*shops, _c(name="Garage Caron", commune="Arras")])
    assert by_name[shops[2]["id"]].startswith("SIRET 73282932000082")
    assert list(by_name.values())[-1] == ""
