"""Workshops, the catalogue of aids and the action plan: rules and services."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import add_client, open_store
from tpe_tui.domain import action_plan, agenda, aids, workshops
from tpe_tui.domain.headcount import HEADCOUNT_BANDS, current_bands, headcount_band
from tpe_tui.domain.integrity import check_data
from tpe_tui.domain.personal_data import keep_consented_only
from tpe_tui.domain.records import SHARED_TABLES, new_record, problems
from tpe_tui.services import action_plan as plan_service
from tpe_tui.services import agenda as agenda_service
from tpe_tui.services import aids as aid_service
from tpe_tui.services import workshops as workshop_service
from tpe_tui.services.workspace import Workspace


def _action(client_id: str, title: str, **values: object) -> dict:
    return new_record("actions", client_id=client_id, title=title, **values)


TODAY = date(2026, 11, 27)


# ---------------------------------------------------------------------------- records
def test_new_tables_are_shared_and_checked() -> None:
    for table in ("workshops", "aids", "actions"):
        assert table in SHARED_TABLES
    stamped = {"vv": {"a": 1}, "dot": ["a", 1, 1000]}  # what the store stamps
    bad = {**new_record("workshops", title=" ", level="expert"), **stamped}
    assert "title : obligatoire" in problems("workshops", bad)
    assert any(p.startswith("level") for p in problems("workshops", bad))
    good = {**new_record("aids", name="Chèque numérique", verified_on="2026-05-01"), **stamped}
    assert problems("aids", good) == []
    action = {**new_record("actions", title="Créer la fiche", status="lost"), **stamped}
    assert any(p.startswith("status") for p in problems("actions", action))


# ---------------------------------------------------------------------------- aids
def test_an_aid_not_verified_for_six_months_is_flagged() -> None:
    assert aids.is_stale({"verified_on": ""}, TODAY)
    assert aids.is_stale({"verified_on": "2026-05-20"}, TODAY)  # 191 days
    assert not aids.is_stale({"verified_on": "2026-06-01"}, TODAY)  # 179 days
    assert aids.flag({"verified_on": "2026-11-01"}, TODAY) == ""
    assert aids.flag({"verified_on": "2026-01-01"}, TODAY) == "À VÉRIFIER"
    # An example of the demo is never shown as a current offer, verified or not.
    assert aids.flag({"verified_on": "2026-11-01", "example": True}, TODAY) == aids.EXAMPLE_MARK


def test_matching_aids_come_first() -> None:
    baker = {"activity_kind": "craft", "employees": 3, "territory": "Arras"}
    fit = {
        "name": "Pass numérique artisans",
        "activity_kinds": ["craft"],
        "needs": ["online_presence"],
    }
    everyone = {"name": "Aide générale"}
    elsewhere = {"name": "Chèque Calaisis", "territories": ["Calais"]}
    wrong_need = {"name": "Prêt matériel", "needs": ["computer_use"]}
    too_big = {"name": "Aide PME", "headcount_bands": ["6-9"]}
    found = aids.suggestions(
        [too_big, elsewhere, everyone, wrong_need, fit], baker, ["online_presence"]
    )
    names = [m.aid["name"] for m in found]
    assert names[:2] == ["Pass numérique artisans", "Aide générale"]
    assert {m.aid["name"] for m in found if m.excluded} == {
        "Chèque Calaisis",
        "Prêt matériel",
        "Aide PME",
    }


@given(st.integers(min_value=0, max_value=100_000))
def test_every_headcount_has_a_band_of_the_catalogue(employees: int) -> None:
    from tpe_tui.domain.catalog import catalog

    assert catalog().has("headcount_bands", headcount_band({"employees": employees}) or "")


def test_aids_and_statistics_use_one_set_of_headcount_bands() -> None:
    """Acceptance finding F27: aids used 0 / 1-2 / 3-5 / 6-9, statistics 0 / 1-4 / 5-9 /
    10+ (`aids import` refused « 1-4 »)."""
    from tpe_tui.domain.catalog import catalog

    assert [code for _, code in catalog().choices("headcount_bands")] == [
        code for code, _ in HEADCOUNT_BANDS
    ]


def test_an_aid_with_the_retired_bands_is_matched_in_todays() -> None:
    """Stored before F27 and not yet brought up to date: « 6-9 » reads « 5-9 », so a
    business of 7 fits and one of 15 (« 10+ ») does not (it used to read « 6-9 »)."""
    aid = {"name": "Aide TPE", "headcount_bands": ["3-5", "6-9"]}
    assert current_bands(aid["headcount_bands"]) == ["1-4", "5-9"]
    assert not aids.match(aid, {"employees": 7}, []).excluded
    assert aids.match(aid, {"employees": 15}, []).excluded


def test_aids_csv_round_trip(tmp_path: Path, db: Path) -> None:
    with open_store(db) as store:
        ws = Workspace(store)
        store.put("structures", new_record("structures", name="CCI Artois"))
        csv_file = tmp_path / "aides.csv"
        csv_file.write_text(
            "nom;structure;offres;besoins;effectifs;verifie_le;candidater\n"
            "Chèque numérique;CCI Artois;Financement|Diagnostic;online_presence;0|1-4;01/10/2026;En ligne\n"
            "Ancien fichier;CCI Artois;;;1-2|3 à 5 salariés;;\n"
            "Sans nom;;;;;;\n"
            ";CCI;;;;;\n"
            "Aide inconnue;Ailleurs;Cadeau;;;;\n",
            encoding="utf-8",
        )
        result = aid_service.import_csv(ws, csv_file)
        assert (result.created, len(result.errors)) == (3, 2)
        assert result.lines()[0].startswith("3 aide(s) ajoutée(s)")
        cheque = next(a for a in aid_service.listing(ws) if a["name"] == "Chèque numérique")
        assert cheque["offers"] == ["funding", "diagnostic"]
        assert cheque["headcount_bands"] == ["0", "1-4"]
        # A file written with the bands used before F27 is read in today's.
        old = next(a for a in aid_service.listing(ws) if a["name"] == "Ancien fichier")
        assert old["headcount_bands"] == ["1-4", "5-9"]
        assert cheque["verified_on"] == "2026-10-01"
        assert aid_service.structure_name(ws, cheque["structure_id"]) == "CCI Artois"
        out = tmp_path / "export.csv"
        assert aid_service.export_csv(ws, out) == 3
        again = aid_service.import_csv(ws, out)
        assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_stored_aids_get_todays_headcount_bands(db: Path) -> None:
    with open_store(db) as store:
        ws = Workspace(store)
        old = store.put("aids", new_record("aids", name="Ancienne", headcount_bands=["0", "1-2"]))
        store.put("aids", new_record("aids", name="À jour", headcount_bands=["5-9"]))
        assert aid_service.settle_headcount_bands(ws) == 1
        assert store.get("aids", old["id"])["headcount_bands"] == ["0", "1-4"]
        assert aid_service.settle_headcount_bands(ws) == 0


# ---------------------------------------------------------------------------- workshops
def test_namesakes_on_the_attendance_sheet_are_told_apart(db: Path) -> None:
    """Second acceptance pass: two « Boulangerie Girard (Soissons) » rows, nobody could
    tell who signs where."""
    with open_store(db) as store:
        ws = Workspace(store)
        first = add_client(store, "Boulangerie Girard", commune="Soissons", siret="12345678901237")
        other = add_client(store, "Boulangerie Girard", commune="Soissons", siret="73282932000074")
        workshop = workshop_service.save(ws, workshop_service.new_workshop(ws, "Google Maps"))
        for client in (first, other):
            workshop = workshop_service.add_client(ws, workshop["id"], client["id"])
        rows = workshop_service.rows(ws, workshop)
        assert sorted(r.business for r in rows) == [
            "Boulangerie Girard (Soissons) — SIRET 12345678901237",
            "Boulangerie Girard (Soissons) — SIRET 73282932000074",
        ]
        sheet = workshop_service.render(ws, workshop, "sheet").text
        assert "SIRET 12345678901237" in sheet and "SIRET 73282932000074" in sheet


def test_a_person_already_in_the_file_is_registered_as_herself(db: Path) -> None:
    """Acceptance run: « Marie Girard » typed for a business whose file already holds her
    (with her consent) added an empty contact instead of her."""
    marie = {"id": "m", "name": "Marie Girard", "phone": "03 23 11 22 33"}
    marie["consent"] = {"given": True, "date": "2026-11-20", "wording": "accord"}
    with open_store(db) as store:
        ws = Workspace(store)
        known = add_client(store, "Boulangerie Girard", contacts=[marie])
        workshop = workshop_service.save(ws, workshop_service.new_workshop(ws, "Google Maps"))
        workshop = workshop_service.add_client(
            ws, workshop["id"], known["id"], workshop_service.Newcomer("", "marie  GIRARD")
        )
        (row,) = workshop_service.rows(ws, workshop)
        assert row.person == "Marie Girard"
        client = ws.client(known["id"])
        assert client is not None and [c["id"] for c in client["contacts"]] == ["m"]


def test_participants_attendance_and_consent(db: Path) -> None:
    with open_store(db) as store:
        ws = Workspace(store)
        known = add_client(store, "Fleuriste Roussel", commune="Arras")
        workshop = workshop_service.save(ws, workshop_service.new_workshop(ws, "Google Maps"))
        workshop = workshop_service.add_client(ws, workshop["id"], known["id"])
        workshop = workshop_service.add_newcomer(
            ws,
            workshop["id"],
            workshop_service.Newcomer("Garage Petit", "Luc Petit", "0321000000", consent=False),
        )
        workshop = workshop_service.add_newcomer(
            ws,
            workshop["id"],
            workshop_service.Newcomer("Librairie Lu", "Ana Lu", "0321000001", consent=True),
        )
        rows = workshop_service.rows(ws, workshop)
        assert [r.business for r in rows] == [
            "Fleuriste Roussel (Arras)",
            "Garage Petit",
            "Librairie Lu",
        ]
        # Without consent, the person's name and phone are not kept.
        assert [r.person for r in rows] == ["", "", "Ana Lu"]
        garage = ws.client(rows[1].client_id)
        assert garage is not None and garage["contacts"][0]["phone"] == ""
        workshop = workshop_service.set_attendance(ws, workshop["id"], rows[2].participant_id, True)
        workshop = {**workshop, "anonymous_count": 4}
        count = workshops.attendance(workshop)
        assert (count.registered, count.attended, count.present) == (3, 1, 5)
        # The same business is registered once.
        again = workshop_service.add_client(ws, workshop["id"], known["id"])
        assert len(again["participants"]) == 3
        assert [w["id"] for w in workshop_service.of_client(ws, known["id"])] == [workshop["id"]]
        followup = workshop_service.followup_for(ws, workshop, known["id"], "2026-12-10")
        assert followup["kind"] == "workshop" and followup["workshop_id"] == workshop["id"]
        assert check_data(store.data) == []


def test_the_consent_rule_is_the_visits_one() -> None:
    client = {
        "contacts": [
            {"id": "a", "name": "A", "phone": "1", "consent": {"given": True}},
            {"id": "b", "name": "B", "phone": "2", "email": "b@x.fr", "consent": {"given": False}},
        ]
    }
    kept = keep_consented_only(client)
    assert kept["contacts"][0]["name"] == "A"
    assert {k: kept["contacts"][1][k] for k in ("name", "phone", "email")} == {
        "name": "",
        "phone": "",
        "email": "",
    }
    assert client["contacts"][1]["name"] == "B"  # the original is untouched


# ---------------------------------------------------------------------------- action plan
def test_plan_order_progress_and_agenda(db: Path) -> None:
    with open_store(db) as store:
        ws = Workspace(store)
        client = add_client(store, "Boucherie Au Bœuf")
        low = plan_service.save(ws, _action(client["id"], "Sauvegardes", priority="low"))
        high = plan_service.save(
            ws,
            _action(client["id"], "Fiche Google", priority="high", due_date="2026-12-01"),
        )
        plan_service.save(ws, _action(client["id"], "Site vitrine", status="abandoned"))
        titles = [a["title"] for a in plan_service.actions_of(ws, client["id"])]
        assert titles == ["Fiche Google", "Sauvegardes", "Site vitrine"]
        # The due date is on the agenda through a follow-up kept in step with the action.
        (followup,) = [f for f in store.records("followups") if f.get("action_id") == high["id"]]
        assert (followup["due_date"], followup["status"]) == ("2026-12-01", "todo")
        plan_service.set_status(ws, high["id"], "done")
        followup = store.get("followups", followup["id"])
        assert followup is not None and followup["status"] == "done"
        assert not [f for f in store.records("followups") if f.get("action_id") == low["id"]]
        plan = plan_service.Plan.load(ws, client["id"])
        assert plan.progress.text() == "1/2 action(s) faite(s) (50 %)"


def test_the_agenda_settles_an_action_of_the_plan(db: Path) -> None:
    """Acceptance finding NEW3-1: « Fait » on the agenda left the action « À faire »."""
    with open_store(db) as store:
        ws = Workspace(store)
        client = add_client(store, "Boucherie Au Bœuf")
        fiche = plan_service.save(ws, _action(client["id"], "Fiche Google", due_date="2099-12-01"))
        site = plan_service.save(ws, _action(client["id"], "Site vitrine", due_date="2099-12-02"))
        call = plan_service.save(ws, _action(client["id"], "Appeler", due_date="2099-12-03"))

        def followup_of(action: dict[str, object]) -> dict[str, object]:
            (found,) = [f for f in store.records("followups") if f.get("action_id") == action["id"]]
            return found

        agenda_service.reschedule(ws, str(followup_of(fiche)["id"]), "2099-12-20")
        assert store.get("actions", fiche["id"])["due_date"] == "2099-12-20"
        agenda_service.complete(ws, str(followup_of(fiche)["id"]), "Fiche créée", "yes")
        done = store.get("actions", fiche["id"])
        assert (done["status"], done["done_at"]) == ("done", date.today().isoformat())
        agenda_service.abandon(ws, str(followup_of(site)["id"]), "Plus d’actualité")
        assert store.get("actions", site["id"])["status"] == "abandoned"
        # Not reaching the person leaves the action open, and editing the action later keeps
        # the follow-up « injoignable » instead of turning it back to « à faire ».
        agenda_service.unreachable(ws, str(followup_of(call)["id"]))
        assert store.get("actions", call["id"])["status"] == "todo"
        plan_service.save(ws, {**store.get("actions", call["id"]), "title": "Rappeler"})
        assert followup_of(call)["status"] == "unreachable"
        plan = plan_service.Plan.load(ws, client["id"])
        assert plan.progress.text() == "1/2 action(s) faite(s) (50 %)"


def test_a_file_where_plan_and_agenda_disagree_is_brought_in_step(db: Path) -> None:
    """A file written before the agenda settled actions (NEW3-1): `check` says so, and the
    start of the app brings the plan in step, once."""
    with open_store(db) as store:
        ws = Workspace(store)
        client = add_client(store, "Boucherie Au Bœuf")
        action = plan_service.save(ws, _action(client["id"], "Fiche", due_date="2099-12-01"))
        (followup,) = [f for f in store.records("followups") if f.get("action_id") == action["id"]]
        store.put("followups", {**followup, "status": "done", "done_at": "2026-11-20"})
        other = plan_service.save(ws, _action(client["id"], "Site", due_date="2099-12-02"))
        (problem,) = check_data(store.data)
        assert action["id"] in problem and "« À faire » dans le plan" in problem
        assert plan_service.settle_from_agenda(ws) == 1
        settled = store.get("actions", action["id"])
        assert (settled["status"], settled["done_at"]) == ("done", "2026-11-20")
        assert store.get("actions", other["id"])["status"] == "todo"
        assert check_data(store.data) == []
        assert plan_service.settle_from_agenda(ws) == 0


@given(
    st.sampled_from(["todo", "in_progress", "done", "abandoned"]),
    st.sampled_from([None, "2026-11-01"]),
    st.sampled_from(["todo", "in_progress", "done", "abandoned", "unreachable"]),
    st.sampled_from(["", "2099-01-01", "2099-02-02"]),
    st.sampled_from([None, "2026-11-20"]),
)
def test_the_cheap_test_agrees_with_settling(
    status: str, done_at: str | None, followup_status: str, due: str, followup_done: str | None
) -> None:
    """`needs_settling` (run over every follow-up at each start) says yes exactly when
    bringing the action in step would change it."""
    action = {"id": "a", "status": status, "done_at": done_at, "due_date": "2099-01-01"}
    followup = {"status": followup_status, "due_date": due, "done_at": followup_done}
    changed = action_plan.action_after_followup(action, followup, "2026-11-28") is not None
    assert action_plan.needs_settling(action, followup) is changed


_AGENDA_STEPS = {
    "done": lambda f, today: agenda.complete(f, "", None, today),
    "abandoned": lambda f, today: agenda.abandon(f, "", today),
    "unreachable": lambda f, today: agenda.mark_unreachable(f, today),
    "postponed": lambda f, today: agenda.reschedule(f, "2099-06-01", today),
}


@given(
    st.sampled_from(["todo", "in_progress"]),
    st.lists(st.sampled_from(sorted(_AGENDA_STEPS)), min_size=1, max_size=4),
)
def test_an_action_and_its_followup_settle_in_one_step(status: str, steps: list[str]) -> None:
    """Whatever the agenda does to an action's follow-up, bringing the action in step with
    it asks nothing more of the follow-up: the plan and the agenda cannot ping-pong, and
    they agree on done and abandoned."""
    today = date(2098, 12, 31)
    action = new_record("actions", title="T", status=status, due_date="2099-01-01")
    followup = action_plan.agenda_followup(action, None)
    assert followup is not None
    for step in steps:
        if followup["status"] in ("done", "abandoned"):
            break  # a settled follow-up leaves the agenda: nothing more can be done to it
        followup = _AGENDA_STEPS[step](followup, today)
        action = action_plan.action_after_followup(action, followup, today.isoformat()) or action
        assert action_plan.agenda_followup(action, dict(followup)) is None
        if followup["status"] in ("done", "abandoned"):
            assert action["status"] == followup["status"]


def test_maturity_first_and_last() -> None:
    sessions = [
        {"date": "2026-03-01", "maturity": {"presence": 1}},
        {"date": "2026-01-01", "maturity": {}},
        {"date": "2026-06-01", "maturity": {"presence": 3}},
    ]
    trail = action_plan.maturity_trail(sessions)
    assert trail is not None
    assert (trail[0]["date"], trail[1]["date"]) == ("2026-03-01", "2026-06-01")
    assert action_plan.maturity_trail([{"maturity": {}}]) is None


def test_check_finds_dangling_participants_and_aids(db: Path) -> None:
    with open_store(db) as store:
        store.put(
            "workshops",
            new_record("workshops", title="Atelier", participants=[{"id": "p", "client_id": "x"}]),
        )
        store.put("sessions", new_record("sessions", aids=["gone"]))
        found = check_data(store.data)
    assert any("participant d’une entreprise absente (x)" in line for line in found)
    assert any("aide absente (gone)" in line for line in found)


def test_search_finds_workshops_aids_and_actions(db: Path) -> None:
    with open_store(db) as store:
        ws = Workspace(store)
        client = add_client(store, "Boucherie Au Bœuf")
        workshop_service.save(ws, new_record("workshops", title="Sécuriser ses mots de passe"))
        ws.search("x")  # the index exists from here on: later saves keep it in step
        aid = aid_service.save(ws, new_record("aids", name="Chèque numérique", offers=["loan"]))
        plan_service.save(ws, _action(client["id"], "Créer une fiche Google"))
        assert [(h.table) for h in ws.search("securiser passe")] == ["workshops"]
        assert [(h.table, h.record_id) for h in ws.search("cheque pret")] == [("aids", aid["id"])]
        assert {h.table for h in ws.search("boucherie")} == {"clients", "actions"}
        aid_service.delete(ws, aid["id"])
        assert ws.search("cheque") == []
        ws.forget_caches()  # rebuilt from the file: the same answers
        assert [(h.table) for h in ws.search("fiche google")] == ["actions"]


def test_attached_aids_reach_the_summary_and_the_followups(db: Path) -> None:
    from tpe_tui.services.summary import SummarySource

    with open_store(db) as store:
        ws = Workspace(store)
        cci = store.put(
            "structures", new_record("structures", name="CCI Artois", phone="03 21 23 24 24")
        )
        aid = aid_service.save(
            ws,
            new_record(
                "aids",
                name="Chèque numérique",
                structure_id=cci["id"],
                how_to_apply="Dossier en ligne avant le 31/12",
                verified_on="2020-01-01",
            ),
        )
        client = add_client(store, "Fleuriste Roussel")
        plan_service.save(ws, _action(client["id"], "Demander le chèque"))
        session = ws.new_session(client["id"])
        session.update(date="2026-11-20", duration_min=30, needs=["online_presence"])
        session["aids"] = [aid["id"]]
        closed, created = ws.close_session(session)
        filed = [f for f in created if f["kind"] == "aid_filed"]
        assert [(f["aid_id"], f["reason"]) for f in filed] == [
            (aid["id"], "Dossier déposé ? Chèque numérique")
        ]
        assert ws.ensure_followups(closed) == []  # asked once only
        text = SummarySource.of(ws, closed).render().text
        assert "## Aides et dispositifs à solliciter" in text
        assert "### Chèque numérique (à vérifier)" in text
        assert "Comment faire : Dossier en ligne avant le 31/12" in text
        assert "Qui appeler : CCI Artois, 03 21 23 24 24" in text
        assert "| Demander le chèque | L’entreprise |  | À faire |" in text


def test_two_laptops_edit_one_workshop_and_sync(tmp_path: Path) -> None:
    """Laptop A renames the workshop and ticks one person, laptop B registers another one:
    after the sync both laptops hold all three edits."""
    from tpe_tui.services.sync import import_file
    from tpe_tui.storage.exchange import export_file

    a_db, b_db = tmp_path / "a.json", tmp_path / "b.json"
    with open_store(a_db, "laptop-a") as store:
        ws = Workspace(store)
        first = add_client(store, "Fleuriste Roussel")
        workshop = workshop_service.save(ws, new_record("workshops", title="Google Maps"))
        workshop = workshop_service.add_client(ws, workshop["id"], first["id"])
    export_file(a_db, tmp_path / "a0.json", "laptop-a")
    with open_store(b_db, "laptop-b") as store:
        import_file(store, tmp_path / "a0.json")
        ws = Workspace(store)
        workshop_service.add_newcomer(ws, workshop["id"], workshop_service.Newcomer("Garage Petit"))
    export_file(b_db, tmp_path / "b1.json", "laptop-b")
    with open_store(a_db, "laptop-a") as store:
        ws = Workspace(store)
        current = store.get("workshops", workshop["id"])
        workshop_service.save_details(ws, {**current, "title": "Être trouvé sur Google Maps"})
        (participant,) = current["participants"]
        workshop_service.set_attendance(ws, workshop["id"], participant["id"], True)
        import_file(store, tmp_path / "b1.json")
        merged = store.get("workshops", workshop["id"])
        rows = workshop_service.rows(ws, merged)
        assert merged["title"] == "Être trouvé sur Google Maps"
        assert [(r.business, r.attended) for r in rows] == [
            ("Fleuriste Roussel", True),
            ("Garage Petit", None),
        ]


def test_erasing_a_business_empties_its_actions_notes(db: Path) -> None:
    from tpe_tui.services import clients as client_files

    with open_store(db) as store:
        ws = Workspace(store)
        client = add_client(store, "Fleuriste Roussel")
        action = plan_service.save(
            ws,
            _action(client["id"], "Rappeler", notes="Mme Roussel, 06 00 00 00 00"),
        )
        client_files.erase(ws, client["id"])
        kept = store.get("actions", action["id"])
        assert kept is not None and (kept["notes"], kept["title"]) == ("", "Rappeler")


def test_the_access_export_holds_the_plan_and_the_workshops(db: Path, tmp_path: Path) -> None:
    import json

    from tpe_tui.services import clients as client_files

    with open_store(db) as store:
        ws = Workspace(store)
        client = add_client(store, "Fleuriste Roussel")
        other = add_client(store, "Garage Petit")
        plan_service.save(ws, _action(client["id"], "Créer la fiche Google"))
        workshop = workshop_service.save(ws, new_record("workshops", title="Google Maps"))
        workshop_service.add_client(ws, workshop["id"], client["id"])
        workshop_service.add_client(ws, workshop["id"], other["id"])
        md, js = client_files.export_personal(ws, client["id"], tmp_path)
    text = md.read_text(encoding="utf-8")
    assert "## Plan d’actions" in text and "Créer la fiche Google" in text
    assert "## Ateliers collectifs" in text and "Google Maps" in text
    held = json.loads(js.read_bytes())
    assert [w["title"] for w in held["ateliers"]] == ["Google Maps"]
    assert other["id"] not in js.read_text(encoding="utf-8")  # the others who came


def test_an_unknown_band_in_an_aids_csv_names_the_accepted_values() -> None:
    from tpe_tui.domain import aids as aid_rules

    parsed = aid_rules.parse("nom;effectifs\nChèque numérique;1-3\n".encode())
    ((line, why),) = parsed.errors
    assert line == 2 and "« 1-3 »" in why
    assert all(code in why for code in ("0", "1-4", "5-9", "10+"))


def test_each_axis_goes_from_the_first_visit_to_its_last_known_level() -> None:
    """Sixth acceptance pass (NEW6-10): « Présence en ligne 2→– » for a business whose
    presence was 2 on 15/10 and 4 on 12/11, not assessed again on 28/11: read as a loss,
    and the 4 was skipped. Now « 2→4 (12/11) »; an axis first assessed at the last visit
    « –→2 »; the plan document's last column the same."""
    from tpe_tui.documents.workshop_documents import plan_context

    sessions = [
        {"date": "2026-10-15", "maturity": {"online_presence": 2}},
        {"date": "2026-11-12", "maturity": {"online_presence": 4}},
        {"date": "2026-11-28", "maturity": {"online_selling": 2}},
    ]
    trail = action_plan.maturity_trail(sessions)
    assert action_plan.maturity_text(trail) == (
        "Maturité (15/10/2026 → 28/11/2026) : Présence en ligne 2→4 (12/11) · Vente en ligne –→2"
    )
    context = plan_context({"name": "Pharmacie Roux"}, [], sessions, [], [], date(2026, 11, 28))
    levels = {s["label"]: s["level"] for s in context["maturity_last"]["scores"]}
    assert levels["Présence en ligne"] == "4 (12/11)" and levels["Vente en ligne"] == "2"
