"""The aids offered on « Orientations »: one created from the palette meanwhile is offered on
return, and the first Espace in the list ticks the row under the cursor (NEW3-2, NEW3-3)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import SelectionList

from tests.ui_helpers import make_app, settle, type_text
from tpe_tui.ui.screens.accompaniment.screen import AccompanimentScreen
from tpe_tui.ui.widgets.aid_picker import AidPicker


async def test_an_aid_created_meanwhile_is_offered_and_ticked_with_one_key(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AccompanimentScreen)
        await screen.go_to(11)  # 3 · Orientations
        await settle(pilot)
        app.action_aids()  # as from the palette, in the middle of the accompaniment
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await type_text(pilot, "Pass Numérique Hauts-de-France")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        picker = next(p for p in screen.query(AidPicker) if p.region.height)
        choices = picker.query_one(SelectionList)
        await settle(pilot)
        assert choices.option_count == 1
        assert "Pass Numérique" in str(choices.get_option_at_index(0).prompt)
        choices.focus()
        await pilot.press("space")
        await settle(pilot)
        assert len(choices.selected) == 1
    app.shutdown()


async def test_an_empty_catalogue_says_where_aids_come_from(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AccompanimentScreen)
        await screen.go_to(11)  # 3 · Orientations
        await settle(pilot)
        picker = next(p for p in screen.query(AidPicker) if p.region.height)
        await settle(pilot)
        hint = picker.query_one(".aid-none")
        assert hint.display and "Ctrl+P › Aides" in str(hint.render())
    app.shutdown()
