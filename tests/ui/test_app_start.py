"""Starting the app: the lock, a damaged file, the command palette."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import add_client, open_store, read_data
from tests.ui_helpers import make_app, settle, type_text
from tpe_tui.ui.screens.dialogs import ConfirmScreen
from tpe_tui.ui.screens.home import HomeScreen


async def test_a_second_app_on_the_same_file_is_refused_in_french(db: Path) -> None:
    with open_store(db):
        app = make_app(db)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
        app.shutdown()
    assert app.return_code == 1
    assert app.exit_message and "déjà ouvert" in app.exit_message


async def test_a_damaged_file_is_set_aside_and_the_backup_restored_on_request(db: Path) -> None:
    for name in ("Garage Caron", "Fleuriste Roussel"):  # the second start makes a backup
        with open_store(db) as store:
            add_client(store, name)
    db.write_bytes(b'{"clients": {"1": {"id": "abim')
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "mis de côté" in app.screen.question and "Restaurer" in app.screen.question
        await pilot.press("enter")  # "Restaurer" has the focus
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        names = {c["name"] for c in app.workspace.store.records("clients")}
        assert names == {"Garage Caron"}  # the state of the newest backup
    app.shutdown()
    aside = [p for p in db.parent.iterdir() if ".illisible-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes() == b'{"clients": {"1": {"id": "abim'
    assert read_data(db)["clients"]


async def test_footer_actions_are_in_the_command_palette(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Nouvel accompagnement" in titles and "Reprendre" in titles and "Quitter" in titles
        # One entry per screen, its key said right (NEW4-20: « touche b », and twice each).
        helps = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert "Agenda" not in helps and helps["Agenda des suivis"].endswith("(touche a)")
        assert "Annuaire" not in helps and helps["Annuaire des structures"].endswith("(touche u)")
        assert helps["Bilan d’activité"].endswith("(touche t)")
        await pilot.press("n")
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert {"Suiv.", "Préc.", "Clôturer", "Fait", "Étapes", "Accueil"} <= set(titles)
    app.shutdown()


async def test_the_home_counts_every_session_in_progress(db: Path) -> None:
    """The list shows the last 30; the count is of all of them (it said « 30 en cours »
    at 10k while the statistics counted 103 for the month alone)."""
    from tests.helpers import add_session

    with open_store(db) as store:
        client = add_client(store, "Garage Lefèvre")
        for n in range(35):
            add_session(store, client["id"], status="in_progress", date=f"2026-11-{n % 28 + 1:02d}")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        status = str(app.screen.query_one("#home-status").render())
        assert " · 35 en cours" in status
        assert app.screen.query_one("#in-progress").row_count <= 30
    app.shutdown()


async def test_the_keys_panel_opened_from_the_palette_closes_the_same_way(db: Path) -> None:
    """Acceptance finding NEW3-20: nothing closed the keys panel with the keyboard."""
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        home = app.screen
        for shown in (True, False):
            await pilot.press("ctrl+p")
            await settle(pilot)
            await type_text(pilot, "Raccourcis")
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            assert app.screen is home
            assert bool(home.query("HelpPanel")) is shown
    app.shutdown()


async def test_the_start_brings_the_plan_in_step_with_the_agenda(db: Path) -> None:
    """A file written before the agenda settled plan actions (NEW3-1): the action whose
    follow-up was marked done is done in the plan once the app has started."""
    from tpe_tui.services import action_plan
    from tpe_tui.services.workspace import Workspace

    with open_store(db) as store:
        client = add_client(store, "Boucherie Au Bœuf")
        action = action_plan.save(
            Workspace(store),
            {"client_id": client["id"], "title": "Fiche", "due_date": "2099-12-01"},
        )
        (followup,) = [f for f in store.records("followups") if f.get("action_id") == action["id"]]
        store.put("followups", {**followup, "status": "done", "done_at": "2026-11-20"})
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.saves.flush(timeout=30)
        assert app.workspace.store.get("actions", action["id"])["status"] == "done"
    app.shutdown()


async def test_quitting_with_text_typed_in_a_dialog_asks_first(db: Path) -> None:
    """Acceptance finding NEW3-34: Ctrl+Q in a dialog holding typed text (a new plan
    action) quit at once and the text was lost."""
    from tpe_tui.ui.screens.dialogs import Ask, FormDialog

    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(FormDialog("Nouvelle action du plan", [Ask("title", "Titre")]))
        await settle(pilot)
        dialog = app.screen
        await type_text(pilot, "Action tapée puis Ctrl+Q")
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Nouvelle action du plan" in app.screen.question
        await pilot.press("enter")  # the safe answer has the focus: « Revenir »
        await settle(pilot)
        assert app.return_code is None and app.screen is dialog
        await pilot.press("ctrl+q")
        await settle(pilot)
        await pilot.press("o")
        assert app.return_code == 0
    app.shutdown()


async def test_escape_on_a_dialog_holding_typed_text_asks_first(db: Path) -> None:
    """Acceptance finding NEW4-3: Échap closed « Nouvelle action du plan » and dropped the
    text typed in it without a word, where Ctrl+Q asks. Échap now asks the same way;
    a dialog where nothing was typed still closes at once."""
    from tpe_tui.ui.screens.dialogs import Ask, FormDialog

    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        home = app.screen
        closed: list[object] = []
        app.push_screen(
            FormDialog("Nouvelle action du plan", [Ask("title", "Titre")]), closed.append
        )
        await settle(pilot)
        dialog = app.screen
        await type_text(pilot, "Créer la fiche Google")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Ce qui a été tapé dans « Nouvelle action du plan »" in app.screen.question
        await pilot.press("enter")  # the safe answer has the focus: « Revenir »
        await settle(pilot)
        assert app.screen is dialog and not closed
        assert dialog.query_one("#ask-title").value == "Créer la fiche Google"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("o")  # « Fermer sans »
        await settle(pilot)
        assert app.screen is home and closed == [None]
        app.push_screen(FormDialog("Nouvelle action du plan", [Ask("title", "Titre")]))
        await settle(pilot)
        await pilot.press("escape")  # nothing typed: closed at once
        await settle(pilot)
        assert app.screen is home
    app.shutdown()


async def test_the_anonymisation_at_opening_is_said_while_it_runs(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fourth and fifth acceptance passes (NEW4-30): a first opening that anonymised 252
    businesses sat 45 s behind « Chargement des données… ». The home's status line says
    what is being done until the notice comes."""
    import threading

    from tests.helpers import add_session
    from tests.ui_helpers import until
    from tpe_tui.services import erasure
    from tpe_tui.ui.screens.dialogs import MessageScreen

    with open_store(db) as store:
        for name in ("Garage Caron", "Fleuriste Roussel"):
            client = add_client(store, name, phone="06 12 34 56 78")
            add_session(store, client["id"], date="2026-01-10", status="closed")
    monkeypatch.setenv("TPE_TUI_TODAY", "2029-12-01")  # three years without activity
    real, release = erasure.erase_all, threading.Event()

    def held(*args, **kwargs):  # the real erasure, held until the test has read the line
        release.wait(60)
        return real(*args, **kwargs)

    monkeypatch.setattr(erasure, "erase_all", held)
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        status = app.screen.query_one("#home-status")
        said = "Anonymisation de 2 entreprise(s) sans activité depuis plus de 3 ans"
        await until(pilot, lambda: said in str(status.render()))
        release.set()
        await until(pilot, lambda: isinstance(app.screen, MessageScreen))
        assert "2 fiche(s) sans activité depuis plus de 3 ans ont été anonymisées" in (
            app.screen.message
        )
        await settle(pilot)
    app.shutdown()
    assert {c["phone"] for c in read_data(db)["clients"].values()} == {""}
