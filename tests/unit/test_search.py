"""As-you-type search: accents and case ignored, every word must match, kept up to date."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import add_client, open_store
from tpe_tui.domain.records import new_record
from tpe_tui.domain.search import SearchIndex
from tpe_tui.services.workspace import Workspace


def _index(clients: list[dict], sessions: list[dict]) -> SearchIndex:
    by_id = {c["id"]: c for c in clients}
    index = SearchIndex.build(clients, sessions, lambda cid: by_id.get(cid or ""))
    assert index is not None
    return index


def test_finds_businesses_and_sessions_by_any_of_their_words() -> None:
    ecole = new_record("clients", name="Auto-École Dupont", commune="Saint-Omer", trade="Moniteur")
    fleur = new_record("clients", name="Fleuriste Roussel", commune="Arras")
    s1 = new_record(
        "sessions",
        client_id=fleur["id"],
        status="closed",
        date="2026-11-02",
        needs=["website"],
        synthesis="Créer une fiche Google Business",
    )
    s2 = new_record(
        "sessions",
        client_id=ecole["id"],
        status="in_progress",
        date="2026-11-20",
        request_said="Facturation électronique obligatoire",
    )
    draft = new_record("sessions", status="draft", request_said="facturation")
    index = _index([ecole, fleur], [s1, s2, draft])
    assert [h.record_id for h in index.search("ecole")] == [ecole["id"], s2["id"]]
    assert [h.record_id for h in index.search("FACTURATION electronique")] == [s2["id"]]
    assert [h.record_id for h in index.search("roussel google")] == [s1["id"]]
    assert [h.record_id for h in index.search("site")] == [s1["id"]]  # the need's label
    assert index.search("ecole arras") == [] and index.search("   ") == []


def test_results_are_shared_between_kinds_and_newest_sessions_first() -> None:
    clients = [new_record("clients", name=f"Boulangerie {n}") for n in range(20)]
    sessions = [
        new_record("sessions", client_id=clients[0]["id"], status="closed", date=f"2026-01-{d:02d}")
        for d in range(1, 21)
    ]
    hits = _index(clients, sessions).search("boulangerie", limit=10)
    assert [h.table for h in hits] == ["clients"] * 5 + ["sessions"] * 5
    assert [h.sort_key for h in hits[5:]] == [f"2026-01-{d}" for d in (20, 19, 18, 17, 16)]


def _strip_accents(text: str) -> str:
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )


@given(
    st.text(alphabet="abcdeéèêëàâçîïôûùœ", min_size=3, max_size=12),
    st.sampled_from([str.upper, str.lower, str.title, _strip_accents]),
)
def test_any_accent_or_case_variant_of_a_name_finds_it(word: str, variant) -> None:
    client = new_record("clients", name=f"Atelier {word}")
    other = new_record("clients", name="Garage")
    hits = _index([client, other], []).search(variant(word))
    assert client["id"] in [h.record_id for h in hits]


def test_the_workspace_index_follows_saves(db: Path) -> None:
    with open_store(db) as store:
        ws = Workspace(store)
        client = add_client(store, "Garage Caron")
        assert [h.record_id for h in ws.search("caron")] == [client["id"]]
        ws.save_client({**store.get("clients", client["id"]), "name": "Garage Lefèvre"})
        assert ws.search("caron") == [] and len(ws.search("lefevre")) == 1
        session = ws.new_session(client["id"])
        session["synthesis"] = "Passer à la facture électronique"
        ws.save_session(session)
        assert [h.table for h in ws.search("electronique")] == ["sessions"]
        ws.save_client({**store.get("clients", client["id"]), "deleted": True})
        assert [h.table for h in ws.search("lefevre")] == ["sessions"]


def test_a_renamed_business_finds_its_sessions_under_the_new_name(db: Path) -> None:
    with open_store(db) as store:
        ws = Workspace(store)
        client = add_client(store, "Garage Caron")
        other = add_client(store, "Fleuriste Roussel")
        ws.prepare_search()
        for owner in (client, other):
            session = ws.new_session(owner["id"])
            session["synthesis"] = "Site vitrine"
            ws.save_session(session)
        ws.save_client({**store.get("clients", client["id"]), "name": "Garage Lefèvre"})
        found = [h for h in ws.search("lefevre site") if h.table == "sessions"]
        assert [store.get("sessions", h.record_id)["client_id"] for h in found] == [client["id"]]
        assert ws.search("caron") == []
        # The other business's sessions did not move.
        assert len([h for h in ws.search("roussel site") if h.table == "sessions"]) == 1


def test_a_renamed_business_finds_its_actions_and_workshops_under_the_new_name(
    db: Path,
) -> None:
    with open_store(db) as store:
        ws = Workspace(store)
        client = add_client(store, "Garage Caron")
        other = add_client(store, "Fleuriste Roussel")
        ws.prepare_search()
        action = ws.save_programme(
            "actions", new_record("actions", client_id=client["id"], title="Fiche Google")
        )
        workshop = ws.save_programme(
            "workshops",
            new_record(
                "workshops",
                title="Réseaux sociaux",
                participants=[
                    {"id": "p1", "client_id": client["id"], "attended": True},
                    {"id": "p2", "client_id": other["id"], "attended": None},
                ],
            ),
        )
        # A workshop is found by its participants' businesses.
        assert ("workshops", workshop["id"]) in {
            (h.table, h.record_id) for h in ws.search("roussel")
        }
        ws.save_client({**store.get("clients", client["id"]), "name": "Garage Lefèvre"})
        found = {(h.table, h.record_id) for h in ws.search("lefevre")}
        assert {("actions", action["id"]), ("workshops", workshop["id"])} <= found
        assert ws.search("caron") == []
        # The workshop still names the other participant; dropping them re-keys it.
        assert ("workshops", workshop["id"]) in {
            (h.table, h.record_id) for h in ws.search("roussel")
        }
        ws.save_programme("workshops", {**workshop, "participants": workshop["participants"][:1]})
        ws.save_client({**store.get("clients", other["id"]), "name": "Fleuriste Morel"})
        assert [h.table for h in ws.search("morel")] == ["clients"]
        # Rebuilt from the file: the same answers.
        ws.forget_caches()
        assert {("actions", action["id"]), ("workshops", workshop["id"])} <= {
            (h.table, h.record_id) for h in ws.search("lefevre")
        }


def test_a_build_called_off_gives_nothing_and_the_next_search_builds_it(db: Path) -> None:
    with open_store(db) as store:
        ws = Workspace(store)
        client = add_client(store, "Garage Caron")
        looks = []
        ws.prepare_search(lambda: looks.append(1) or True)
        assert looks and ws._search is None  # called off at the first look
        assert [h.record_id for h in ws.search("caron")] == [client["id"]]


def test_a_contact_is_found_by_name_and_by_phone_whatever_the_spacing() -> None:
    shop = new_record(
        "clients",
        name="Fleuriste Roussel",
        contacts=[{"id": "p", "name": "Anne Lemaire", "phone": "03 21 00 11 22"}],
    )
    other = new_record("clients", name="Garage Petit", phone="+33 6 12 34 56 78")
    index = _index([shop, other], [])
    for typed in ("lemaire", "0321001122", "03 21 00", "03-21-00-11-22", "+33 3 21 00 11 22"):
        assert [h.record_id for h in index.search(typed)] == [shop["id"]], typed
    assert [h.record_id for h in index.search("06 12 34")] == [other["id"]]
    assert index.search("03 21 99") == []


def test_a_save_during_the_build_waits_for_nothing_and_is_found_once_built(db: Path) -> None:
    import threading

    with open_store(db) as store:
        ws = Workspace(store)
        client = add_client(store, "Garage Caron")
        saved: list[dict] = []

        def save_meanwhile() -> None:
            session = ws.new_session(client["id"])
            session["synthesis"] = "Fiche Google"
            saved.append(ws.save_session(session))

        def between_slices() -> bool:
            if not saved:  # the save thread, while the build is under way
                thread = threading.Thread(target=save_meanwhile)
                thread.start()
                thread.join(timeout=10)
                assert not thread.is_alive()  # it did not wait for the index
            return False

        ws.prepare_search(between_slices)
        assert saved
        found = [h.record_id for h in ws.search("caron google") if h.table == "sessions"]
        assert found == [saved[0]["id"]]


def test_the_actions_and_workshops_are_built_in_slices_too() -> None:
    actions = [new_record("actions", title=f"Fiche {n}") for n in range(3)]
    looks: list[int] = []
    built = SearchIndex.build(
        [], [], lambda _: None, lambda: looks.append(1) or True, programmes={"actions": actions}
    )
    assert built is None and looks  # called off before the businesses and sessions
