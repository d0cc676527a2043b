"""Search from home, the client file: edit, duplicates merged, personal data exported and erased."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.widgets import Checkbox, Markdown

from tests.helpers import add_client, add_place, add_session, fake_lp, open_store, read_data
from tests.ui_helpers import make_app, screen_text, settle, type_text
from tpe_tui.domain.records import new_record
from tpe_tui.storage import paths
from tpe_tui.ui.screens.accompaniment.screen import AccompanimentScreen
from tpe_tui.ui.screens.client_file import ClientFileScreen
from tpe_tui.ui.screens.dialogs import ConfirmScreen, MessageScreen
from tpe_tui.ui.screens.erasure import EraseDialog
from tpe_tui.ui.screens.preview import PlanPreview, PreviewScreen


def _seed(db: Path) -> dict[str, str]:
    with open_store(db) as store:
        kept = add_client(
            store, "auto ecole CARON", commune="Arras", phone="03 21 00 00 00", trade="Auto-école"
        )
        dup = add_client(store, "Auto-École Caron", commune="arras", email="caron@ecole.fr")
        add_client(store, "Garage Lefèvre", commune="Lens")
        s1 = add_session(
            store,
            kept["id"],
            status="closed",
            date="2026-10-01",
            needs=["website"],
            close_reason="completed",
            synthesis="Réseaux sociaux",
        )
        s2 = add_session(
            store, dup["id"], status="closed", date="2026-11-02", needs=["e_invoicing"]
        )
    return {"kept": kept["id"], "dup": dup["id"], "s1": s1["id"], "s2": s2["id"]}


async def test_search_then_edit_merge_export_erase(db: Path, isolated_home: Path) -> None:
    ids = _seed(db)
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # As-you-type search, accents ignored: "ecole" finds "École".
        await pilot.press("slash")
        await type_text(pilot, "ecole")
        await settle(pilot)
        results = app.screen.query_one("#results")
        assert app.screen.query_one("#home-lists").display is False
        names = [str(results.get_row_at(r)[1]) for r in range(results.row_count)]
        assert names == [
            "auto ecole CARON",
            "Auto-École Caron",
            "Auto-École Caron",
            "auto ecole CARON",
        ]
        assert str(results.get_row_at(2)[0]) == "Accomp."
        await type_text(pilot, " reseaux")  # words of the synthesis
        await settle(pilot)
        assert results.row_count == 1
        await pilot.press("enter")  # opens the first result: the session
        await settle(pilot)
        assert isinstance(app.screen, PreviewScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.focused is results  # back: the arrows go through the results
        await pilot.press("slash")  # back to the search box, its text selected
        await type_text(pilot, "ecole")  # replaces it
        await settle(pilot)
        await pilot.press("enter")  # the first business
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ClientFileScreen)
        assert "2 accompagnement(s)" not in str(screen.query_one("#file-status").render())
        assert "1 doublon(s) probable(s)" in str(screen.query_one("#file-status").render())

        # Edit a detail: a bad value is refused in French, a good one saved as typed.
        await pilot.click("#f-email")
        await type_text(pilot, "caron@")
        await settle(pilot)
        assert "Adresse e-mail invalide" in str(screen.query_one("#err-email").render())
        await type_text(pilot, "ecole.fr")
        await settle(pilot)
        store = app.workspace.store
        assert store.get("clients", ids["kept"])["email"] == "caron@ecole.fr"

        # The duplicate, side by side, merged into this file.
        await pilot.click("#--content-tab-tab-duplicates")
        await settle(pilot)
        table = screen.query_one("#dup-table")
        rows = {
            str(table.get_row_at(r)[0]): str(table.get_row_at(r)[2]) for r in range(table.row_count)
        }
        assert rows["Nom"] == "Auto-École Caron"
        # Asked first, saying what goes into what; « Annuler » has the focus.
        await pilot.click("#keep-other")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        question = str(app.screen.query_one(".dialog-text").render())
        assert question.startswith(
            "Fusionner « auto ecole CARON (Arras) » (03 21 00 00 00) dans "
            "« Auto-École Caron (arras) » (sans téléphone) ?"
        )
        await pilot.press("enter")  # the safe answer: nothing merged
        await settle(pilot)
        assert app.screen is screen and not store.get("clients", ids["dup"]).get("merged_into")
        await pilot.click("#keep-this")
        await settle(pilot)
        question = str(app.screen.query_one(".dialog-text").render())
        assert question.startswith("Fusionner « Auto-École Caron (arras) » (sans téléphone) dans")
        await pilot.press("o")  # « Fusionner »
        await settle(pilot)
        assert store.get("clients", ids["dup"])["merged_into"] == ids["kept"]
        # The tab no longer shows the merged file nor its buttons (third acceptance pass).
        assert str(screen.query_one("#dup-intro").render()) == "Aucun doublon probable."
        assert not any(
            screen.query_one(part).display for part in ("#dup-list", "#dup-table", "#dup-buttons")
        )
        assert store.get("sessions", ids["s2"])["client_id"] == ids["kept"]
        assert "2 accompagnement(s)" in str(screen.query_one("#file-status").render())
        await pilot.click("#--content-tab-tab-history")
        await settle(pilot)
        history = screen.query_one("#sessions-table")
        assert [str(history.get_row_at(r)[0]) for r in range(history.row_count)] == [
            "02/11/2026",
            "01/10/2026",
        ]

        # Export what is held, then erase the people.
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, MessageScreen)
        docs = list((isolated_home / "documents" / "tpe-tui").glob("*donnees-personnelles*"))
        assert sorted(p.suffix for p in docs) == [".json", ".md"]
        assert "03 21 00 00 00" in next(p for p in docs if p.suffix == ".md").read_text()
        await pilot.press("escape", "f8")
        await settle(pilot)
        assert isinstance(app.screen, EraseDialog)
        listed = str(app.screen.query_one("#erase-text Static").render())
        assert all(p.name in listed for p in docs)
        assert "réécrites" in listed and "prochaine synchronisation" in listed
        await pilot.press("enter")  # the safe answer has the focus: nothing erased
        await settle(pilot)
        assert app.screen is screen
        assert "anonymisée" not in str(screen.query_one("#file-status").render())
        await pilot.press("f8")
        await settle(pilot)
        box = app.screen.query_one("#delete-documents", Checkbox)
        # The state reads in the text, not only in colour: ▐ ▌ empty, ▐X▌ ticked.
        assert box.value is False and box.render().plain.startswith("▐ ▌ Supprimer")
        await pilot.press("shift+tab", "shift+tab", "space")  # past « Effacer », the box ticked
        await settle(pilot)
        assert box.value is True and box.render().plain.startswith("▐X▌ Supprimer")
        await pilot.press("o")  # « Effacer »
        await settle(pilot)
        assert isinstance(app.screen, MessageScreen)
        report = str(app.screen.query_one(".dialog-text").render())
        assert "Documents supprimés (2)" in report
        assert not any(p.exists() for p in docs)
        await pilot.press("enter")
        await settle(pilot)
        assert "anonymisée" in str(screen.query_one("#file-status").render())
    app.shutdown()
    raw = db.read_text(encoding="utf-8")
    for value in (
        "03 21 00 00 00",
        "caron@ecole.fr",
        "Auto-École Caron",
        "auto ecole CARON",
        "Réseaux sociaux",
    ):
        assert value not in raw
    sessions = read_data(db)["sessions"].values()
    assert sorted(s["needs"][0] for s in sessions) == ["e_invoicing", "website"]


async def test_search_finds_a_contact_by_name_and_phone_whatever_the_spacing(db: Path) -> None:
    with open_store(db) as store:
        wanted = add_client(
            store,
            "Boulangerie Girard",
            commune="Soissons",
            contacts=[
                {
                    "id": "p1",
                    "name": "Anne Martin",
                    "phone": "+33 3 39 06 18 23",
                    "consent": {"given": True},
                }
            ],
        )
        add_client(store, "Boulangerie Girard", commune="Arras", phone="03 21 55 66 77")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        results = app.screen.query_one("#results")
        for typed in ("martin", "anne girard", "03 39 06 18 23", "0339061823", "03.39.06"):
            await pilot.press("escape", "slash")  # a fresh search
            await type_text(pilot, typed)
            await settle(pilot)
            rows = [str(results.get_row_at(r)[2]) for r in range(results.row_count)]
            assert rows == ["Soissons"], typed
        await pilot.press("enter")  # one Entrée opens it, as the hint says
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
        assert app.screen.record_id == wanted["id"]
    app.shutdown()


async def test_the_insee_code_is_filled_in_from_the_directory(
    db: Path, isolated_home: Path
) -> None:
    with open_store(db) as store:
        add_place(store, "Tiers-lieu La Fabrique", "Arras", "62000", "62041")
        client = add_client(store, "Garage Lefèvre")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ClientFileScreen(client["id"]))
        await settle(pilot)
        screen = app.screen
        code = screen.query_one("#f-insee_code")
        await pilot.click("#f-commune")
        await type_text(pilot, "Arras")
        await settle(pilot)
        store = app.workspace.store
        assert store.get("clients", client["id"])["insee_code"] == "62041"
        assert code.value == "62041"  # shown, so that the next save keeps it
        await pilot.click("#f-trade")
        await type_text(pilot, "Garagiste")
        await settle(pilot)
        assert store.get("clients", client["id"])["insee_code"] == "62041"
        await pilot.click("#f-insee_code")
        await pilot.press("end", "backspace", "backspace", "x")
        await settle(pilot)
        assert "5 caractères" in str(screen.query_one("#err-insee_code").render())
        assert store.get("clients", client["id"])["insee_code"] == "62041"  # refused


async def test_every_refused_value_stays_listed_and_leaving_asks_first(
    db: Path, isolated_home: Path
) -> None:
    """A wrong SIRET, then a wrong phone, then a right postal code: both refusals stay on
    screen (the right value does not wipe them), and Échap asks before they are lost."""
    with open_store(db) as store:
        client = add_client(store, "Boulangerie Girard", commune="Soissons", siret="12345678901237")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ClientFileScreen(client["id"]))
        await settle(pilot)
        screen = app.screen
        for field, typed in (("siret", "Q"), ("phone", "12345"), ("postal_code", "02200")):
            screen.query_one(f"#f-{field}").clear()
            await pilot.click(f"#f-{field}")
            await type_text(pilot, typed)
            await settle(pilot)
        # Each under its own field (acceptance finding NEW4-22: all under « Activité »).
        assert "Le SIRET compte 14 chiffres" in str(screen.query_one("#err-siret").render())
        assert "téléphone" in str(screen.query_one("#err-phone").render()).lower()
        await pilot.press("escape")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        assert "« Q »" in dialog.question and "« 12345 »" in dialog.question
        await pilot.press("enter")  # the safe answer has the focus: « Corriger »
        await settle(pilot)
        assert app.screen is screen
        screen.query_one("#f-siret").clear()
        await pilot.click("#f-siret")
        await type_text(pilot, "12345678901237")
        await settle(pilot)
        assert not screen.query_one("#err-siret").display
        assert "téléphone" in str(screen.query_one("#err-phone").render()).lower()
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("o")  # leave without the phone
        await settle(pilot)
        assert not isinstance(app.screen, ClientFileScreen | ConfirmScreen)
    app.shutdown()
    saved = read_data(db)["clients"]
    (kept,) = [c for c in saved.values() if c["name"] == "Boulangerie Girard"]
    assert (kept["siret"], kept["postal_code"], kept["phone"]) == ("12345678901237", "02200", "")


async def test_quitting_with_a_refused_value_asks_first(db: Path, isolated_home: Path) -> None:
    """Ctrl+Q asks as Échap does (acceptance finding NEW3-6: it dropped the typed SIRET
    without a word); « Corriger » keeps the app open on the form, « o » quits without it."""
    with open_store(db) as store:
        client = add_client(store, "Boulangerie Girard", commune="Soissons", siret="12345678901237")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ClientFileScreen(client["id"]))
        await settle(pilot)
        screen = app.screen
        await pilot.click("#f-siret")
        await pilot.press("end")
        await type_text(pilot, " 12 rue du Commerce")  # typed into the wrong field
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        assert "« 12345678901237 12 rue du Commerce »" in dialog.question
        await pilot.press("enter")  # the safe answer has the focus: « Corriger »
        await settle(pilot)
        assert app.return_code is None and app.screen is screen  # not quitting
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("o")
        assert app.return_code == 0  # quitting, without the refused SIRET
    app.shutdown()
    (kept,) = [c for c in read_data(db)["clients"].values() if c["name"] == "Boulangerie Girard"]
    assert kept["siret"] == "12345678901237"


async def test_a_postal_code_of_letters_is_refused(db: Path, isolated_home: Path) -> None:
    with open_store(db) as store:
        client = add_client(store, "Garage Lefèvre", commune="Lens")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ClientFileScreen(client["id"]))
        await settle(pilot)
        await pilot.click("#f-postal_code")
        await type_text(pilot, "Q")
        await settle(pilot)
        assert "5 chiffres" in str(app.screen.query_one("#err-postal_code").render())
    app.shutdown()
    (saved,) = read_data(db)["clients"].values()
    assert saved["postal_code"] == ""


def _three_girard_shops(db: Path) -> list[str]:
    """Three « Boulangerie Girard · Soissons »: two with their own SIRETs, one without."""
    with open_store(db) as store:
        with_siret = add_client(
            store,
            "Boulangerie Girard",
            commune="Soissons",
            siret="73282932000074",
            address="4 place Fernand Marquigny",
        )
        other_siret = add_client(
            store,
            "Boulangerie Girard",
            commune="Soissons",
            siret="73282932000082",
            address="12 rue du Collège",
        )
        without = add_client(
            store,
            "boulangerie GIRARD",
            commune="soissons",
            address="12 rue du Collège",
            contacts=[{"id": "p1", "name": "Paul Girard", "consent": {"given": True}}],
        )
    return [with_siret["id"], other_siret["id"], without["id"]]


async def _open_file(pilot, client_id: str) -> ClientFileScreen:
    from tpe_tui.ui import messages

    pilot.app.screen.post_message(messages.OpenClientFile(client_id))
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ClientFileScreen) and screen.record_id == client_id
    return screen


async def test_homonyms_with_two_sirets_are_not_duplicates_and_are_told_apart(db: Path) -> None:
    first, _, without = _three_girard_shops(db)
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await _open_file(pilot, first)
        # Only the one without a SIRET may be the same shop: one probable duplicate.
        assert "1 doublon(s) probable(s)" in str(screen.query_one("#file-status").render())
        await pilot.press("f9")
        await settle(pilot)
        assert screen.query_one("#file-tabs").active == "tab-duplicates"
        intro = str(screen.query_one("#dup-intro").render())
        assert "(mêmes nom et commune)" in intro
        shown = str(screen.query_one("#dup-list").render())
        assert "SIRET 73282932000074 · 4 place Fernand Marquigny · sans interlocuteur" in shown
        assert "sans SIRET · 12 rue du Collège · Paul Girard" in shown
        table = screen.query_one("#dup-table")
        labels = [str(table.get_row_at(r)[0]) for r in range(table.row_count)]
        assert labels[:3] == ["Commune", "SIRET", "Adresse"]  # what tells them apart first
        assert "name" not in labels and "Taille" not in labels

        screen = await _open_file(pilot, without)
        assert "2 doublon(s) probable(s)" in str(screen.query_one("#file-status").render())
        await pilot.press("f9")
        await settle(pilot)
        shown = str(screen.query_one("#dup-list").render()).splitlines()
        assert shown[1].startswith("▸ 1. SIRET 73282932000074 · 4 place")  # the name: the same
        assert shown[2].startswith("  2. SIRET 73282932000082 · 12 rue du Collège")
        assert len(set(shown)) == 3
    app.shutdown()


async def test_each_tab_of_the_client_file_has_its_key_in_the_footer(db: Path) -> None:
    first, _, _ = _three_girard_shops(db)
    with open_store(db) as store:
        add_session(store, first, status="closed", date="2026-10-01", needs=["website"])
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await _open_file(pilot, first)
        # Opened with the tab bar focused; the first Tab reaches the first field (F32: it
        # went to the pane's scrolling box first, a stop seen nowhere).
        assert type(app.focused).__name__ == "ContentTabs"
        await pilot.press("tab")
        assert app.focused is screen.query_one("#f-name")
        footer_keys = {
            b.binding.key: b.binding.group.description
            for b in screen.active_bindings.values()
            if b.binding.group is not None
        }
        assert footer_keys == {k: "Onglets" for k in ("f3", "f4", "f5", "f9")}
        tabs = screen.query_one("#file-tabs")
        labels = [str(tabs.get_tab(t).label) for t in ("tab-details", "tab-history")]
        assert labels == ["F3 Coordonnées", "F4 Historique"]
        for key, tab in (("f4", "tab-history"), ("f5", "tab-plan"), ("f3", "tab-details")):
            await pilot.press(key)
            await settle(pilot)
            assert tabs.active == tab
            focused = app.focused
            assert focused is not None and tabs.get_pane(tab) in focused.ancestors, key
        await pilot.press("f4", "enter")  # the history's first session opens at once
        await settle(pilot)
        assert type(app.screen).__name__ == "PreviewScreen"
    app.shutdown()


async def test_namesakes_in_the_search_results_are_told_apart(db: Path) -> None:
    """Three « Boulangerie Girard · Soissons »: each result says what differs (SIRET,
    address); a search that stops at its limit says the results are the first ones."""
    with open_store(db) as store:
        add_client(store, "Boulangerie Girard", commune="Soissons", siret="12345678901237")
        add_client(store, "Boulangerie Girard", commune="Soissons", siret="73282932000074")
        add_client(store, "Boulangerie Girard", commune="Soissons", address="2 rue du Port")
        for n in range(35):
            add_client(store, f"Garage {n:02d}", commune="Lens")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "girard")
        await settle(pilot)
        results = app.screen.query_one("#results")
        details = sorted(str(results.get_row_at(r)[2]) for r in range(results.row_count))
        assert len(details) == 3 and len(set(details)) == 3
        assert any("SIRET 12345678901237" in d for d in details)
        assert any("2 rue du Port" in d for d in details)
        title = str(app.screen.query_one("#results-title").render())
        assert title.startswith("3 résultat(s)")
        await pilot.press("escape", "slash")
        await type_text(pilot, "garage")
        await settle(pilot)
        title = str(app.screen.query_one("#results-title").render())
        assert "premiers résultats" in title and "précisez" in title
        await pilot.press("escape", "slash")
        await type_text(pilot, "boeuf")
        await settle(pilot)
        title = str(app.screen.query_one("#results-title").render())
        assert title.startswith("Aucun résultat") and "Entrée" not in title


async def test_escape_empties_the_search_and_leaves_the_box(db: Path) -> None:
    """One Échap empties the search and leaves the box: the home's single keys work at
    once (finding NEW4-15: kept in the emptied box, « n » typed « nnouvelle » there); a
    new name is searched with « / » again, which puts no « / » in the box."""
    with open_store(db) as store:
        add_client(store, "Boulangerie Mercier", commune="Laon")
        add_client(store, "Garage Lefèvre", commune="Lens")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        home = app.screen
        search = home.query_one("#home-search")
        results = home.query_one("#results")
        await pilot.press("slash")
        await type_text(pilot, "garage")
        await settle(pilot)
        assert home.focused is search
        await pilot.press("escape")
        await settle(pilot)
        assert search.value == "" and home.focused is home.query_one("#new-session")
        assert home.query_one("#home-lists").display is True
        await pilot.press("slash")
        await type_text(pilot, "boulangerie mercier")
        await settle(pilot)
        assert app.screen is home and search.value == "boulangerie mercier"
        assert [str(results.get_row_at(r)[1]) for r in range(results.row_count)] == [
            "Boulangerie Mercier"
        ]
        assert list(app.workspace.store.records("sessions")) == []  # no stray draft
        await pilot.press("escape", "n")  # emptied and out: « n » is a new visit
        await settle(pilot)
        assert isinstance(app.screen, AccompanimentScreen)
        assert search.value == ""
    app.shutdown()


async def test_back_from_a_business_found_by_the_search_the_keys_act_at_once(db: Path) -> None:
    """Back from a business opened through the search, the results are shown with the
    focus on them, not in the box (finding NEW4-15: three Échap, then « s », « n », « a »
    typed into the search); one Échap goes back to the home's lists, and « a » is the
    agenda."""
    from tpe_tui.ui.screens.agenda import AgendaScreen

    with open_store(db) as store:
        add_client(store, "Garage Lefèvre", commune="Lens")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        home = app.screen
        await pilot.press("slash")
        await type_text(pilot, "garage")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is home and home.query_one("#home-results").display is True
        assert home.focused is home.query_one("#results")
        await pilot.press("escape")
        await settle(pilot)
        assert home.query_one("#home-search").value == ""
        assert home.query_one("#home-lists").display is True
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AgendaScreen)
    app.shutdown()


async def test_a_siret_of_another_business_is_refused(db: Path, isolated_home: Path) -> None:
    """Acceptance finding NEW3-35, in the client file: a SIRET another live business has
    is said to be hers and not saved; the file's own SIRET is taken again."""
    with open_store(db) as store:
        add_client(store, "Boulangerie Girard", commune="Soissons", siret="12345678901237")
        other = add_client(store, "Autre Boulangerie", commune="Laon", siret="73282932000074")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ClientFileScreen(other["id"]))
        await settle(pilot)
        screen = app.screen
        screen.query_one("#f-siret").clear()
        await pilot.click("#f-siret")
        await type_text(pilot, "12345678901237")
        await settle(pilot)
        shown = str(screen.query_one("#err-siret").render())
        assert "Ce SIRET est celui d’une autre fiche, Boulangerie Girard (Soissons)" in shown
        screen.query_one("#f-siret").clear()
        await type_text(pilot, "73282932000074")
        await settle(pilot)
        assert not screen.query_one("#err-siret").display
    app.shutdown()
    (kept,) = [c for c in read_data(db)["clients"].values() if c["id"] == other["id"]]
    assert kept["siret"] == "73282932000074"


async def test_a_new_visit_left_at_once_from_the_file_leaves_no_draft(db: Path) -> None:
    """Fourth acceptance pass (NEW4-27): « F2 Nouveau » then Échap, nothing typed, left a
    visit « 0/14 » among those in progress."""
    ids = _seed(db)
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _open_file(pilot, ids["kept"])
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, AccompanimentScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
        await app.workers.wait_for_complete()
    sessions = read_data(db)["sessions"].values()
    assert {s["id"] for s in sessions} == {ids["s1"], ids["s2"]}


async def test_the_plan_tab_has_a_key_for_the_plan_pdf_through_the_preview(
    db: Path, tmp_path: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Acceptance finding NEW4-29: from the client file's « Plan d’actions » no key made the
    plan PDF (F7 was left out of a full footer). F7, shown, opens the plan in the preview
    summaries use: d writes the PDF in the documents folder, p prints it."""
    bin_dir = fake_lp(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    with open_store(db) as store:
        client = add_client(store, "Boulangerie Girard", commune="Soissons")
        store.put(
            "actions", new_record("actions", client_id=client["id"], title="Créer la fiche Google")
        )
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _open_file(pilot, client["id"])
        await pilot.press("f5")
        await settle(pilot)
        assert "f7 Plan PDF" in screen_text(app).splitlines()[-1]
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, PlanPreview)
        assert "Créer la fiche Google" in app.screen.query_one("#preview", Markdown).source
        await pilot.press("d")
        await settle(pilot)
        (pdf,) = paths.documents_dir().glob("*-boulangerie-girard-plan-d-actions-*.pdf")
        assert pdf.read_bytes().startswith(b"%PDF-")
        assert str(pdf) in str(app.screen.query_one("#preview-status").render())
        await pilot.press("p")
        await settle(pilot)
        assert (bin_dir / "printed-args").read_text().strip().endswith(".pdf")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
    app.shutdown()


async def test_the_plan_preview_is_read_whole_at_80_columns_and_a_table_where_there_is_room(
    db: Path, isolated_home: Path
) -> None:
    """Fifth acceptance pass (NEW5-2 rest): at 80 columns the plan's 7-column table cut its
    headers and words (« Be… », « Éché… », « Bouti… »). There, each action is shown with the
    rest below it, every word whole; at 160 columns the table stays."""
    from textual.widgets._markdown import MarkdownTable

    with open_store(db) as store:
        client = add_client(store, "Boulangerie Girard", commune="Soissons")
        for title in ("Créer la boutique en ligne", "Ouvrir la fiche Google"):
            store.put(
                "actions",
                new_record(
                    "actions",
                    client_id=client["id"],
                    title=title,
                    need="online_presence",
                    solution="Boutique en ligne sur son propre site",
                    due_date="2026-12-15",
                    priority="high",
                    status="in_progress",
                ),
            )
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _open_file(pilot, client["id"])
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, PlanPreview)
        body = app.screen.query_one("#preview-body")
        shown = ""
        for _ in range(6):  # the whole plan, a page at a time
            shown += screen_text(app)
            body.scroll_page_down(animate=False)
            await settle(pilot)
        assert "…" not in shown
        for words in ("Besoin", "Échéance", "Priorité", "Statut", "Créer la boutique en ligne"):
            assert words in shown, words
        assert "Boutique en ligne sur son propre site" in shown
        assert "sur 2 (0 %)." in shown  # NEW6-10: « (0 / %) » wrapped in the progress line
        assert not app.screen.query(MarkdownTable)
        await pilot.resize_terminal(160, 40)
        await settle(pilot)
        assert app.screen.query(MarkdownTable)
        assert "Échéance" in screen_text(app)
    app.shutdown()
