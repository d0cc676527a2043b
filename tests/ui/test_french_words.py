"""Textual's built-in English words reach the mediator in French."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Footer, Input, Select

from tests.ui_helpers import make_app, settle
from tpe_tui.ui.french import FrenchCommandPalette, key_name


def test_keys_are_named_as_on_a_french_keyboard() -> None:
    assert [key_name(k) for k in ("escape", "enter", "delete", "ctrl+n", "f5", "d")] == [
        "Échap",
        "Entrée",
        "Suppr",
        "Ctrl+N",
        "F5",
        "d",
    ]


async def test_the_command_palette_speaks_french(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        assert isinstance(palette, FrenchCommandPalette)
        assert palette.query_one(Input).placeholder == "Chercher une commande…"
        shown = {b.binding.description for b in palette.active_bindings.values()}
        assert "Fermer le menu des commandes" in shown
        assert "Exit the command palette" not in shown
        await pilot.press(*"agenda")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "AgendaScreen"


class _OneSelect(App[None]):
    def compose(self) -> ComposeResult:
        yield Select([("Soissons", "s"), ("Arras", "a")], prompt="Territoire")
        yield Footer()


async def test_an_open_drop_down_list_says_fermer_la_liste() -> None:
    import tpe_tui.ui.french  # noqa: F401  (what the app imports)

    app = _OneSelect()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")  # opens the list
        await pilot.pause()
        shown = {b.binding.description for b in app.screen.active_bindings.values()}
        assert "Fermer la liste" in shown and "Dismiss menu" not in shown
