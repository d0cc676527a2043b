"""People's rights: export of what is held, erasure checked in the JSON file itself, retention."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import add_client, add_session, open_store, read_data
from tpe_tui.domain.records import ANONYMOUS_NAME, new_record
from tpe_tui.services import clients as client_files
from tpe_tui.services.config import Config
from tpe_tui.services.sync import import_file
from tpe_tui.services.workspace import Workspace
from tpe_tui.storage import backups
from tpe_tui.storage.exchange import export_file

PERSONAL = [
    "Loïc Caron",
    "06 12 34 56 78",
    "loic@caron.fr",
    "Garage Caron",
    "12 rue des Lilas",
    "73282932000074",
    "sa fille Julie",
    "Mme Caron",
]


def _business(store) -> tuple[dict, dict, dict]:
    client = add_client(
        store,
        "Garage Caron",
        commune="Arras",
        trade="Garagiste",
        phone="06 12 34 56 78",
        email="loic@caron.fr",
        address="12 rue des Lilas",
        siret="73282932000074",
        notes="Le fils reprend en 2027",
        contacts=[
            {
                "id": "p1",
                "role": "owner",
                "name": "Loïc Caron",
                "phone": "06 12 34 56 78",
                "email": "loic@caron.fr",
                "consent": {"given": True, "date": "2026-11-02"},
            }
        ],
    )
    session = add_session(
        store,
        client["id"],
        status="closed",
        date="2026-11-02",
        needs=["website"],
        request_said="Mme Caron veut un site",
        synthesis="Voir avec sa fille Julie",
        duration_min=60,
    )
    followup = store.put(
        "followups",
        new_record(
            "followups",
            client_id=client["id"],
            session_id=session["id"],
            due_date="2026-12-01",
            reason="Rappeler Mme Caron",
        ),
    )
    return client, session, followup


def test_export_holds_everything_about_the_business_in_markdown_and_json(
    db: Path, tmp_path: Path
) -> None:
    with open_store(db) as store:
        client, session, _ = _business(store)
        md, js = client_files.export_personal(Workspace(store), client["id"], tmp_path / "out")
    held = json.loads(js.read_text(encoding="utf-8"))
    assert held["entreprise"]["contacts"][0]["name"] == "Loïc Caron"
    assert [s["id"] for s in held["accompagnements"]] == [session["id"]]
    assert len(held["suivis"]) == 1
    text = md.read_text(encoding="utf-8")
    assert "# Données conservées : Garage Caron" in text
    assert (
        "Loïc Caron (Dirigeant(e)) : 06 12 34 56 78, loic@caron.fr ; accord donné le 02/11/2026"
        in text
    )
    assert "Mme Caron veut un site" in text and "Rappeler Mme Caron" in text


def test_erasure_leaves_nothing_personal_in_the_file_and_sessions_countable(db: Path) -> None:
    with open_store(db) as store:
        client, _, _ = _business(store)
        client_files.erase(Workspace(store), client["id"])
    raw = db.read_text(encoding="utf-8")
    for value in PERSONAL:
        assert value not in raw, value  # emptied in the file, not hidden
    data = read_data(db)
    (stored,) = data["clients"].values()
    assert stored["name"] == ANONYMOUS_NAME and stored["anonymised"] is True
    assert (stored["commune"], stored["trade"]) == ("Arras", "Garagiste")
    (kept,) = data["sessions"].values()
    assert (kept["needs"], kept["duration_min"], kept["date"]) == (["website"], 60, "2026-11-02")
    # The journal beside the file is gone too (it held the old lines).
    assert not db.with_name(db.name + ".journal").exists()


def test_erasure_reaches_a_laptop_that_edited_the_business_meanwhile(tmp_path: Path) -> None:
    a_db, b_db = tmp_path / "a.json", tmp_path / "b.json"
    with open_store(a_db, "laptop-a") as store:
        client, _, _ = _business(store)
    export_file(a_db, tmp_path / "a1.json", "laptop-a")
    with open_store(b_db, "laptop-b") as store:
        import_file(store, tmp_path / "a1.json")
        edited = store.get("clients", client["id"])
        store.put("clients", {**edited, "phone": "07 99 99 99 99", "notes": "Nouveau numéro"})
    export_file(b_db, tmp_path / "b1.json", "laptop-b")
    with open_store(a_db, "laptop-a") as store:
        client_files.erase(Workspace(store), client["id"])
        import_file(store, tmp_path / "b1.json")  # a concurrent edit, with personal data
    export_file(a_db, tmp_path / "a2.json", "laptop-a")
    with open_store(b_db, "laptop-b") as store:
        import_file(store, tmp_path / "a2.json")
    for db in (a_db, b_db):
        raw = db.read_text(encoding="utf-8")
        for value in [*PERSONAL, "07 99 99 99 99"]:
            assert value not in raw, (db.name, value)


@pytest.mark.parametrize(("today", "expected"), [("2029-11-10", (0, 1)), ("2029-12-01", (1, 0))])
def test_retention_warns_then_anonymises_inactive_businesses(
    db: Path, monkeypatch: pytest.MonkeyPatch, today: str, expected: tuple[int, int]
) -> None:
    with open_store(db) as store:
        client, _, _ = _business(store)
        recent = add_client(store, "Fleuriste Roussel", phone="03 21 11 11 11")
        add_session(store, recent["id"], date="2029-09-01", status="closed")
    monkeypatch.setenv("TPE_TUI_TODAY", today)
    with open_store(db) as store:
        # Three years after the follow-up's date (2026-12-01) the people's data goes.
        result = client_files.apply_retention(Workspace(store, Config(retention_days=3 * 365)))
        assert result == expected
        assert store.get("clients", recent["id"])["phone"] == "03 21 11 11 11"
        assert store.get("clients", client["id"])["anonymised"] is (expected[0] == 1)
    # Erased everywhere, as by F8: the backup of the second start holds no value left.
    held = [b.read_bytes() for b in backups.list_backups(db)]
    assert len(held) == 1
    for value in PERSONAL:
        assert any(value.encode() in raw for raw in held) is (expected[0] == 0)


def test_the_export_reads_in_french_words_not_codes(db: Path, tmp_path: Path) -> None:
    """Third acceptance pass (NEW3-18): the document handed to the person read « Interlocutor
    role : owner », « Place kind : tiers_lieu », « Equipment : 2 élément(s) », ISO dates."""
    from tests.helpers import add_place

    with open_store(db) as store:
        client, session, followup = _business(store)
        place = add_place(store, "Tiers-lieu La Fabrique", "Soissons", "02200")
        aid = store.put("aids", new_record("aids", name="Pass Numérique"))
        store.put(
            "sessions",
            {
                **session,
                "interlocutor_role": "owner",
                "place_kind": "tiers_lieu",
                "place_structure_id": place["id"],
                "equipment": ["computer", "phone"],
                "need_nature": "both",
                "answered": "partly",
                "right_place": True,
                "callback_wanted": True,
                "callback_date": "2026-12-15",
                "current_step": "solutions",
                "skills": {"communication_collaboration": "2"},
                "aids": [aid["id"]],
                "redirections": [{"structure_id": place["id"], "reason": "Atelier réseaux"}],
                "to_find_out": ["Tarif de l’hébergeur"],
            },
        )
        store.put(
            "followups",
            {
                **followup,
                "status": "done",
                "solution_worked": "yes",
                "history": [{"action": "rescheduled", "date": "2026-11-20", "to": "2026-12-01"}],
            },
        )
        md, _ = client_files.export_personal(Workspace(store), client["id"], tmp_path / "out")
    text = md.read_text(encoding="utf-8")
    for expected in (
        "**Fonction de l’interlocuteur** : Dirigeant(e)",
        "**Lieu** : Tiers-lieu",
        "**Lieu (structure de l’annuaire)** : Tiers-lieu La Fabrique",
        "**Nature du besoin** : Technique et stratégique",
        "**Réponse au besoin** : En partie",
        "**Au bon endroit** : oui",
        "**Date de rappel** : 15/12/2026",
        "**Étape** : Solutions",
        "**Aides** : Pass Numérique",
        "**Réorientations** : Tiers-lieu La Fabrique (Atelier réseaux)",
        "**À vérifier** : Tarif de l’hébergeur",
        "**La solution a marché** : Oui",
        "**Historique** : 20/11/2026 : reporté au 01/12/2026",
    ):
        assert expected in text, expected
    assert "**Équipement utilisé** : Ordinateur, Téléphone" in text
    assert "**Compétences numériques** : Communication" in text and "élément(s)" not in text
    assert "Anonymisé" not in text and "Relances" not in text
    for code in ("owner", "tiers_lieu", "partly", "2026-12-15", "Interlocutor", "computer"):
        assert code not in text, code


def test_the_export_names_needs_keeps_a_long_synthesis_whole_and_skips_empty_people(
    db: Path, tmp_path: Path
) -> None:
    """Fourth acceptance pass (NEW4-17): « Besoins : online_presence », a multi-line synthesis
    breaking the list, empty people listed, sync bookkeeping in the JSON twin."""
    with open_store(db) as store:
        client, session, _ = _business(store)
        store.put("clients", {**client, "contacts": [*client["contacts"], {"id": "p2"}]})
        synthesis = "Points vus :\n- Click and collect\n- Fiche Google"
        store.put("sessions", {**session, "synthesis": synthesis, "needs": ["online_presence"]})
        md, js = client_files.export_personal(Workspace(store), client["id"], tmp_path / "out")
    text = md.read_text(encoding="utf-8")
    assert "**Besoins** : Améliorer la présence en ligne" in text and "online_" not in text
    # The lines begun with a dash are a list inside the item (a blank line before it).
    assert "**Synthèse** : Points vus :\n\n  - Click and collect\n  - Fiche Google\n" in text
    assert "(sans nom)" not in text
    held = json.loads(js.read_text(encoding="utf-8"))
    for record in [held["entreprise"], *held["accompagnements"], *held["suivis"]]:
        assert not {"vv", "dot", "dots"} & record.keys()


def test_the_retention_period_reads_as_a_person_says_it() -> None:
    """NEW4-30: 400 days read « plus de 1.09589 an(s) ». Whole years or months when the
    period is one, else its days, never rounded: the sentence says which files went."""
    import re

    from tpe_tui.domain.personal_data import more_than

    examples = {
        1: "plus d’un jour",
        45: "plus de 45 jours",
        30: "plus d’un mois",
        180: "plus de 6 mois",
        365: "plus d’un an",
        400: "plus de 400 jours",
        730: "plus de 2 ans",
        1095: "plus de 3 ans",
        1100: "plus de 1\u00a0100 jours",
    }
    for days, said in examples.items():
        assert more_than(days) == said
    units = {"jour": 1, "jours": 1, "mois": 30, "an": 365, "ans": 365}
    for days in range(1, 4000):
        said = more_than(days)
        found = re.fullmatch(r"plus (?:d’un|de ([\d\u00a0]+)) (jours?|mois|ans?)", said)
        assert found, said
        count = int((found.group(1) or "1").replace("\u00a0", ""))
        assert count * units[found.group(2)] == days, said  # exact, never rounded
        assert (count == 1) == (found.group(1) is None)  # « d’un an », not « de 1 an(s) »


HOSTILE = "[b]Gras[/b] [texte](https://x.example) <script>alert(1)</script> *fort* | a"


def test_the_export_writes_what_people_typed_as_text_not_markdown_or_html(
    db: Path, tmp_path: Path
) -> None:
    """NEW5-12: a name with « [texte](lien) » or « <script> » reached the .md handed to the
    person as is: a live link, and HTML passed through by viewers that allow it."""
    from markdown_it import MarkdownIt

    with open_store(db) as store:
        client, session, _ = _business(store)
        person = {**client["contacts"][0], "name": f"Loïc {HOSTILE}"}
        store.put(
            "clients",
            {**client, "name": HOSTILE, "trade": HOSTILE, "contacts": [person]},
        )
        store.put("sessions", {**session, "synthesis": f"# titre\n{HOSTILE}\n- point"})
        md, _ = client_files.export_personal(Workspace(store), client["id"], tmp_path / "out")
    text = md.read_text(encoding="utf-8")
    html = MarkdownIt("commonmark").enable("table").render(text)  # HTML allowed, as some do
    assert "<script>" not in html and "<a href" not in html and "<strong>fort" not in html
    assert "<h1>titre" not in html and "<table>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown, literally
    assert "[texte](https://x.example)" in html.replace("\\", "")
    assert html.count("[b]Gras[/b] [texte](https://x.example) &lt;script&gt;") >= 4
    assert "<li>point</li>" in html  # a line begun with a dash stays an item
