"""The mediator's contact details: asked at the first start, kept in the config, printed
on the client's summary with the reference the command line accepts."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import add_client, add_session, open_store, read_data
from tests.ui_helpers import settle, type_text
from tpe_tui.services.config import Config
from tpe_tui.ui.app import TpeApp
from tpe_tui.ui.screens.dialogs import FormDialog
from tpe_tui.ui.screens.home import HomeScreen
from tpe_tui.ui.screens.preview import PreviewScreen


async def test_first_start_asks_the_contact_then_the_summary_prints_it(db: Path) -> None:
    with open_store(db) as store:
        client = add_client(store, "Fleuriste Roussel", commune="Arras")
        session = add_session(
            store, client["id"], status="closed", date="2026-11-02", mediator="Camille Roger"
        )
    config = Config.load()  # nothing saved yet: a first start
    assert config.contact_asked is False
    app = TpeApp(db, "laptop-test", config)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        await pilot.press("ctrl+a", "backspace")  # nothing to keep in the name
        await type_text(pilot, "Camille Roger")
        await pilot.press("tab")
        await type_text(pilot, "Médiathèque d'Arras")  # printed with ’
        await pilot.press("tab")
        await type_text(pilot, "+33 3 21 11 22 33")
        await pilot.press("tab")
        await type_text(pilot, "camille@example.fr")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)

        app.open_preview(session["id"])
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PreviewScreen)
        text = screen.source.render().text
        assert "Camille Roger, médiateur numérique — Médiathèque d’Arras" in text
        assert "- Téléphone : 03 21 11 22 33" in text and "camille@example.fr" in text
        reference = session["id"][:8]
        assert f"réf. {reference}" in str(screen.query_one("#preview-title").render())
    app.shutdown()

    kept = Config.load()
    assert (kept.contact_asked, kept.mediator_phone, kept.mediator_structure) == (
        True,
        "03 21 11 22 33",
        "Médiathèque d'Arras",
    )
    # The other laptops label this laptop's edits with the name (the conflicts screen).
    (device,) = read_data(db)["devices"].values()
    assert (device["id"], device["mediator"]) == ("laptop-test", "Camille Roger")
    again = TpeApp(db, "laptop-test", kept)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(again.screen, HomeScreen)  # asked once only
    again.shutdown()


async def test_leaving_the_question_empty_does_not_ask_again(db: Path) -> None:
    app = TpeApp(db, "laptop-test", Config.load())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    app.shutdown()
    assert Config.load().contact_asked is True


async def test_edits_carry_the_names_of_the_config_whatever_file_was_open_when_typed(
    db: Path,
) -> None:
    """NEW-1: the name was typed in the first-start dialog with another file open; edits
    made later in this file are labelled with it on the other laptops, not « Médiateur
    inconnu · ordinateur ff2384ad »."""
    with open_store(db, "laptop-a") as store:  # a file that came from another laptop
        add_client(store, "Fleuriste Roussel", commune="Arras")
    config = Config(mediator="Bruno Médiateur", laptop_name="portable-B", contact_asked=True)
    app = TpeApp(db, "laptop-b", config)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")  # a new accompaniment: its duration typed is the first
        await settle(pilot)  # edit of this run, saved at the change of step
        await pilot.press("tab", "4", "5", "f4")
        await settle(pilot)
        await app.workers.wait_for_complete()
    app.shutdown()
    devices = {d["id"]: d for d in read_data(db).get("devices", {}).values()}
    assert devices["laptop-b"]["mediator"] == "Bruno Médiateur"
    assert devices["laptop-b"]["laptop"] == "portable-B"
    assert len(list(read_data(db)["sessions"].values())) == 1
