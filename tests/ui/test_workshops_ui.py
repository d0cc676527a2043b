"""The workshops and aids screens, driven by keys; their pictures at 80x24."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Checkbox, SelectionList

from tests.helpers import add_client, open_store
from tests.ui_helpers import make_app, settle, type_text
from tpe_tui.domain.records import new_record
from tpe_tui.ui.screens.aids import AidsScreen
from tpe_tui.ui.screens.dialogs import FormDialog, MessageScreen, PickDialog
from tpe_tui.ui.screens.workshops import WorkshopsScreen

SIZE = (80, 24)


@pytest.fixture
def pinned_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TPE_TUI_TODAY", "2026-11-24")


def _five_bernard_bookshops(db: Path) -> list[dict]:
    """Five « Librairie Bernard » in the file: two towns, SIRETs, contacts, phones."""
    with open_store(db) as store:
        shops = [
            add_client(store, "Librairie Bernard", commune="Arras", siret="73282932000074"),
            add_client(store, "Librairie Bernard", commune="Arras", siret="73282932000082"),
            add_client(
                store,
                "LIBRAIRIE BERNARD",
                commune="Calais",
                contacts=[{"id": "p1", "name": "Inès Bernard", "consent": {"given": True}}],
            ),
            add_client(store, "Librairie Bernard", commune="Calais", phone="03 21 00 00 01"),
            add_client(store, "Librairie Bernard", commune="Soissons"),
        ]
        store.put("workshops", new_record("workshops", title="Vendre en ligne"))
    return shops


async def test_a_participant_is_picked_among_namesakes_or_created(db: Path) -> None:
    shops = _five_bernard_bookshops(db)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        store = app.workspace.store
        (workshop,) = list(store.records("workshops"))

        async def register(choice_downs: int) -> PickDialog:
            await pilot.press("f2")
            await settle(pilot)
            await type_text(pilot, "librairie bernard")
            await pilot.press("enter")
            await settle(pilot)
            dialog = app.screen
            assert isinstance(dialog, PickDialog)
            await pilot.press(*["down"] * choice_downs, "enter")
            await settle(pilot)
            return dialog

        dialog = await register(3)  # the fourth one: Calais, by its phone
        labels = [label for _, label in dialog.choices]
        assert labels == [
            "Librairie Bernard (Arras) — SIRET 73282932000074 · sans interlocuteur · sans téléphone",
            "Librairie Bernard (Arras) — SIRET 73282932000082 · sans interlocuteur · sans téléphone",
            "LIBRAIRIE BERNARD (Calais) — sans SIRET · Inès Bernard · sans téléphone",
            "Librairie Bernard (Calais) — sans SIRET · sans interlocuteur · 03 21 00 00 01",
            "Librairie Bernard (Soissons) — sans SIRET · sans interlocuteur · sans téléphone",
            "Créer une nouvelle fiche « librairie bernard »",
        ]
        assert len(set(labels)) == 6  # every one told apart
        registered = store.get("workshops", workshop["id"])["participants"]
        assert [p["client_id"] for p in registered] == [shops[3]["id"]]

        await register(5)  # none of them: a new file, created on the spot
        registered = store.get("workshops", workshop["id"])["participants"]
        assert len(registered) == 2 and registered[1]["client_id"] not in {s["id"] for s in shops}
        assert len([c for c in store.records("clients") if "bernard" in c["name"].lower()]) == 6

        await pilot.press("f2")  # Échap in the list registers nobody
        await settle(pilot)
        await type_text(pilot, "Librairie Bernard")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert len(store.get("workshops", workshop["id"])["participants"]) == 2
    app.shutdown()


async def test_workshop_by_keys(db: Path, pinned_day: None) -> None:
    with open_store(db) as store:
        known = add_client(store, "Fleuriste Roussel", commune="Arras")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WorkshopsScreen)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen.focused is not None and screen.focused.id == "f-title"
        await type_text(pilot, "Être trouvé sur Google Maps")
        await pilot.press("tab")
        await settle(pilot)
        store = app.workspace.store
        (workshop,) = list(store.records("workshops"))
        assert workshop["title"] == "Être trouvé sur Google Maps"
        assert workshop["date"] == "2026-11-24"

        # The themes read ▐ ▌ until ticked, ▐X▌ once ticked: the state shows without colour.
        themes = screen.query_one("#f-themes")
        assert {themes.render_line(y).text[:3] for y in range(3)} == {"▐ ▌"}
        themes.focus()
        await pilot.press("down", "space")
        await settle(pilot)
        ticked = themes.highlighted
        assert ticked is not None and 0 < ticked < 3
        theme = themes.get_option_at_index(ticked).value
        assert store.get("workshops", workshop["id"])["themes"] == [theme]
        assert [themes.render_line(y).text[:3] for y in range(3)] == [
            "▐X▌" if y == ticked else "▐ ▌" for y in range(3)
        ]

        # A business of the client files, found by its name (accents and case aside) and
        # picked: the file of that name comes first, a new file of that name last.
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        await type_text(pilot, "fleuriste roussel")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PickDialog)
        await pilot.press("enter")
        await settle(pilot)
        # A newcomer created on the spot, with a person who agrees to be kept.
        await pilot.press("f2")
        await settle(pilot)
        await type_text(pilot, "Garage Petit")
        await pilot.press("tab")
        await type_text(pilot, "Luc Petit")
        app.screen.query_one("#ask-consent").value = "yes"
        await pilot.press("enter")
        await settle(pilot)
        workshop = store.get("workshops", workshop["id"])
        assert workshop is not None and len(workshop["participants"]) == 2
        clients = {c["name"]: c for c in store.records("clients")}
        assert set(clients) == {"Fleuriste Roussel", "Garage Petit"}
        assert clients["Garage Petit"]["contacts"][0]["name"] == "Luc Petit"
        people = screen.query_one("#ws-participants")
        assert [str(people.get_row_at(r)[1]) for r in range(people.row_count)] == [
            "Fleuriste Roussel (Arras)",
            "Garage Petit",
        ]

        # Roll call on the day: the first one is there.
        people.focus()
        await pilot.press("f3")
        await settle(pilot)
        workshop = store.get("workshops", workshop["id"])
        present = [p for p in workshop["participants"] if p["attended"]]
        assert [p["client_id"] for p in present] == [known["id"]]
        assert str(people.get_row_at(0)[0]) == "présent"

        # A follow-up for that participant goes on the agenda.
        await pilot.press("f4")
        await settle(pilot)
        await type_text(pilot, "10/12/2026")
        await pilot.press("enter")
        await settle(pilot)
        (followup,) = [f for f in store.records("followups") if f.get("workshop_id")]
        assert (followup["client_id"], followup["due_date"]) == (known["id"], "2026-12-10")

        # The second one cancels: unregistered after a confirmation.
        await pilot.press("down", "ctrl+d")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        workshop = store.get("workshops", workshop["id"])
        assert [p["client_id"] for p in workshop["participants"]] == [known["id"]]

        # The attendance sheet, as a PDF in the documents folder.
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, MessageScreen)
        path = Path(app.screen.message.splitlines()[1])
        assert path.suffix == ".pdf" and path.read_bytes().startswith(b"%PDF")
        from pypdf import PdfReader

        text = PdfReader(path).pages[0].extract_text()
        assert "Feuille d’émargement" in text and "Fleuriste Roussel" in text
        assert "Garage Petit" not in text


async def test_aids_by_keys(db: Path, tmp_path: Path, pinned_day: None) -> None:
    with open_store(db) as store:
        store.put("aids", new_record("aids", name="Chèque numérique", verified_on="2026-11-01"))
        store.put("aids", new_record("aids", name="Pass ancien", verified_on="2025-01-10"))
    csv_file = tmp_path / "aides.csv"
    csv_file.write_text("nom;offres\nPrêt d’honneur;Prêt\n", encoding="utf-8")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AidsScreen)
        table = screen.query_one("#aid-table")
        flags = {str(table.get_row_at(r)[0]): str(table.get_row_at(r)[3]) for r in range(2)}
        assert flags == {"Chèque numérique": "", "Pass ancien": "À VÉRIFIER"}

        # Only the entries to verify again; verified today, it leaves that list.
        await pilot.press("f4")
        await settle(pilot)
        assert table.row_count == 1
        await pilot.press("f3")
        await settle(pilot)
        store = app.workspace.store
        old = next(a for a in store.records("aids") if a["name"] == "Pass ancien")
        assert old["verified_on"] == "2026-11-24"
        await pilot.press("f4")
        await settle(pilot)

        # A new aid, its offers ticked in the list.
        await pilot.press("ctrl+n")
        await settle(pilot)
        await type_text(pilot, "Diagnostic CCI")
        example = screen.query_one("#f-example")
        assert example.render().plain.startswith("▐ ▌ Exemple")  # not an example: empty box
        offers = screen.query_one("#f-offers")
        assert {offers.render_line(y).text[:3] for y in range(3)} == {"▐ ▌"}
        offers.focus()
        await pilot.press("down", "space")  # the second offer: diagnostic
        await settle(pilot)
        created = next(a for a in store.records("aids") if a["name"] == "Diagnostic CCI")
        assert created["offers"] == ["diagnostic"]
        assert [offers.render_line(y).text[:3] for y in range(3)] == ["▐ ▌", "▐X▌", "▐ ▌"]
        example.focus()
        await pilot.press("space")
        await settle(pilot)
        assert example.render().plain.startswith("▐X▌ Exemple")
        assert store.get("aids", created["id"])["example"] is True

        await pilot.press("f6")
        await settle(pilot)
        await type_text(pilot, str(csv_file))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MessageScreen)
        assert app.screen.message.startswith("1 aide(s) ajoutée(s)")
        assert any(a["name"] == "Prêt d’honneur" for a in store.records("aids"))


async def test_each_aid_shows_its_own_criteria_and_example_flag(db: Path, pinned_day: None) -> None:
    """Moving along the list, the lists of criteria and the example box show the aid under
    the cursor: ticking one more offer adds it to that aid's own offers, no other's."""
    with open_store(db) as store:
        store.put(
            "aids",
            new_record("aids", name="A", example=True, offers=["funding"], needs=["computer_use"]),
        )
        store.put("aids", new_record("aids", name="B", offers=["diagnostic"]))
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AidsScreen)
        offers, needs = screen.query_one("#f-offers", SelectionList), screen.query_one("#f-needs")
        example = screen.query_one("#f-example", Checkbox)
        assert (offers.selected, needs.selected, example.value) == (
            ["funding"],
            ["computer_use"],
            True,
        )
        await pilot.press("down")
        await settle(pilot)
        assert (offers.selected, needs.selected, example.value) == (["diagnostic"], [], False)
        offers.focus()
        await pilot.press("space")  # the first offer, funding, ticked for B
        await settle(pilot)
        await app.workers.wait_for_complete()
        saved = {a["name"]: a for a in app.workspace.store.records("aids")}
        assert sorted(saved["B"]["offers"]) == ["diagnostic", "funding"]
        assert saved["A"]["offers"] == ["funding"] and saved["A"]["example"] is True
        assert saved["B"]["example"] is False and saved["B"]["needs"] == []


def _snapshot_db(db: Path) -> None:
    with open_store(db, device="laptop-snap") as store:
        store.put("structures", new_record("structures", id="s1", name="Tiers-lieu La Fabrique"))
        client = add_client(store, "Boulangerie Martin", id="c1", commune="Soissons")
        add_client(store, "Atelier [bold]Crochet[/]", id="c2", commune="Arras")
        store.put(
            "workshops",
            new_record(
                "workshops",
                id="w1",
                title="Être trouvé sur Google Maps",
                date="2026-11-20",
                level="beginner",
                place_structure_id="s1",
                themes=["online_presence"],
                participants=[
                    {"id": "p1", "client_id": client["id"], "attended": True},
                    {"id": "p2", "client_id": "c2", "attended": None},
                ],
                anonymous_count=2,
            ),
        )
        for name, day, example in (
            ("Chèque numérique (exemple)", "2026-10-01", True),
            ("Diagnostic numérique CCI", "2026-09-15", False),
            ("Prêt d’honneur", "2025-02-01", False),
        ):
            store.put(
                "aids",
                new_record("aids", name=name, verified_on=day, example=example, offers=["funding"]),
            )


def test_workshops_screen_snapshot(snap_compare, db: Path, pinned_day: None) -> None:
    _snapshot_db(db)

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)

    assert snap_compare(make_app(db), terminal_size=SIZE, run_before=run_before)


def test_workshop_participants_snapshot(snap_compare, db: Path, pinned_day: None) -> None:
    _snapshot_db(db)

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        pilot.app.screen.query_one("#ws-tabs").active = "tab-participants"
        await settle(pilot)

    assert snap_compare(make_app(db), terminal_size=SIZE, run_before=run_before)


def test_aids_screen_snapshot(snap_compare, db: Path, pinned_day: None) -> None:
    _snapshot_db(db)

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)

    assert snap_compare(make_app(db), terminal_size=SIZE, run_before=run_before)


async def test_palette_opens_workshops(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "ateliers")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, WorkshopsScreen)


async def test_home_search_opens_a_workshop(db: Path, pinned_day: None) -> None:
    _snapshot_db(db)
    with open_store(db) as store:
        store.put("workshops", new_record("workshops", id="w2", title="Facturation électronique"))
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "google maps")
        await settle(pilot)
        results = app.screen.query_one("#results")
        assert [str(c) for c in results.get_row_at(0)][:2] == [
            "Atelier",
            "Être trouvé sur Google Maps",
        ]
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, WorkshopsScreen)
        assert app.screen.record["id"] == "w1"


async def test_client_file_plan_and_workshops(db: Path, pinned_day: None) -> None:
    _snapshot_db(db)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_client_file("c1")
        await settle(pilot)
        screen = app.screen
        screen.query_one("#file-tabs").active = "tab-history"  # built when opened
        await settle(pilot)
        attended = screen.query_one("#attended-workshops DataTable")
        assert [str(c) for c in attended.get_row_at(0)][1:] == [
            "Être trouvé sur Google Maps",
            "Débutant",
            "présent",
        ]
        screen.query_one("#file-tabs").active = "tab-plan"
        await settle(pilot)
        screen.query_one("#action-plan DataTable").focus()
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        await type_text(pilot, "Créer la fiche Google")
        app.screen.query_one("#ask-due_date").value = "15/12/2026"
        await pilot.press("enter")
        await settle(pilot)
        store = app.workspace.store
        (action,) = list(store.records("actions"))
        assert (action["client_id"], action["title"], action["status"]) == (
            "c1",
            "Créer la fiche Google",
            "todo",
        )
        # Its due date is on the agenda.
        (followup,) = [f for f in store.records("followups") if f.get("action_id")]
        assert followup["due_date"] == "2026-12-15"
        await pilot.press("space")  # to do -> in progress
        await settle(pilot)
        assert store.get("actions", action["id"])["status"] == "in_progress"
        progress = screen.query_one("#action-plan .plan-progress")
        assert "0/1 action(s) faite(s)" in str(progress.render())
        await pilot.press("space")  # in progress -> done
        await settle(pilot)
        assert store.get("followups", followup["id"])["status"] == "done"
        assert "1/1 action(s) faite(s) (100 %)" in str(progress.render())


async def test_visit_attaches_an_aid_and_adds_to_the_plan(db: Path, pinned_day: None) -> None:
    with open_store(db) as store:
        client = add_client(store, "Garage Petit", activity_kind="craft")
        store.put(
            "aids",
            new_record(
                "aids", id="a-far", name="Aide aux agriculteurs", activity_kinds=["agricultural"]
            ),
        )
        store.put(
            "aids",
            new_record(
                "aids",
                id="a-fit",
                name="Pack artisans",
                activity_kinds=["craft"],
                needs=["online_presence"],
            ),
        )
        session = store.put(
            "sessions",
            new_record(
                "sessions",
                client_id=client["id"],
                status="in_progress",
                date="2026-11-24",
                needs=["online_presence"],
                current_step="solutions",
            ),
        )
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_session(session["id"])
        await settle(pilot)
        screen = app.screen
        choices = next(s for s in screen.query("AidPicker SelectionList") if s.region.height)
        # The aid fitting a craft business and its need comes first, starred.
        assert str(choices.get_option_at_index(0).prompt).startswith("★")
        assert choices.get_option_at_index(0).value == "a-fit"
        assert choices.render_line(0).text.startswith("▐ ▌ ★")  # not attached: empty box
        choices.focus()
        await pilot.press("space", "ctrl+s")  # the first row is under the cursor on arrival
        await settle(pilot)
        store = app.workspace.store
        assert store.get("sessions", session["id"])["aids"] == ["a-fit"]
        assert choices.render_line(0).text.startswith("▐X▌ ★")
        assert choices.render_line(1).text.startswith("▐ ▌")

        await pilot.press("f4", "f4", "f4")  # check, synthesis, deadline and plan
        await settle(pilot)
        plan = next(p for p in screen.query("ActionPlanPanel") if p.region.height)
        plan.query_one("DataTable").focus()
        await pilot.press("ctrl+n")
        await settle(pilot)
        await type_text(pilot, "Créer la fiche Google")
        await pilot.press("enter")
        await settle(pilot)
        (action,) = list(store.records("actions"))
        assert (action["client_id"], action["session_id"]) == (client["id"], session["id"])


async def test_names_are_shown_as_typed_never_as_markup(db: Path, pinned_day: None) -> None:
    odd = "Atelier [/] [@click=app.quit]x"
    with open_store(db) as store:
        structure = store.put("structures", new_record("structures", name=odd))
        client = add_client(store, odd, id="c-odd")
        store.put("aids", new_record("aids", name=odd, structure_id=structure["id"]))
        store.put(
            "workshops",
            new_record(
                "workshops",
                title=odd,
                place_structure_id=structure["id"],
                participants=[{"id": "p", "client_id": client["id"]}],
            ),
        )
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key, table in (("c", "#ws-table"), ("i", "#aid-table")):
            await pilot.press(key)
            await settle(pilot)
            # Listed, with the place or the carrier chosen in its list: nothing failed.
            assert app.screen.query_one(table).row_count == 1
            choice = app.screen.query_one("#f-place_structure_id, #f-structure_id")
            assert choice.value == structure["id"]
            choice.focus()
            await pilot.press("enter")  # the list of names opens
            await settle(pilot)
            assert app.is_running
            await pilot.press("escape", "escape")
            await settle(pilot)
        app.open_client_file("c-odd")
        await settle(pilot)
        app.screen.query_one("#file-tabs").active = "tab-plan"
        await settle(pilot)
        app.screen.query_one("#action-plan DataTable").focus()
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        assert app.is_running


async def test_participant_keys_act_only_while_the_participants_are_shown(db: Path) -> None:
    """Acceptance finding NEW3-19: with the « Atelier » tab shown, F3 toggled the presence
    of the participant under the hidden list's cursor, without a word. The participant
    keys now act only while the participants are on screen (greyed in the footer else)."""
    with open_store(db) as store:
        store.put("workshops", new_record("workshops", title="Vendre en ligne"))
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WorkshopsScreen)
        store = app.workspace.store
        (workshop,) = list(store.records("workshops"))
        await pilot.press("f2")  # registering shows the participants
        await settle(pilot)
        await type_text(pilot, "Garage Petit")
        await pilot.press("enter")
        await settle(pilot)

        def presence() -> list[bool | None]:
            return [p["attended"] for p in store.get("workshops", workshop["id"])["participants"]]

        assert presence() == [None]
        await pilot.press("f3")
        await settle(pilot)
        assert presence() == [True]
        await pilot.click("#--content-tab-tab-workshop")
        await settle(pilot)
        assert screen.query_one("#ws-tabs").active == "tab-workshop"
        await pilot.press("f3", "f5", "ctrl+d")
        await settle(pilot)
        assert presence() == [True] and app.screen is screen  # nothing done, nothing asked
        await pilot.click("#--content-tab-tab-participants")
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert presence() == [False]
    app.shutdown()
