"""Empty lists (workshops, aids, directory) say so and which key makes the first entry; a key
that acts on the entry under the cursor says what to do first (acceptance finding NEW4-19)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import read_data
from tests.ui_helpers import make_app, screen_text, settle, type_text
from tpe_tui.ui.screens.aids import AidsScreen
from tpe_tui.ui.screens.structures import DirectoryScreen
from tpe_tui.ui.screens.workshops import WorkshopsScreen

SIZE = (80, 24)


async def test_no_workshop_yet_says_how_to_make_one_and_f2_what_to_do(db: Path) -> None:
    """« Ateliers collectifs » with no workshop was an empty frame, and F2 « Inscrire » did
    nothing without a word. The note is no dialog: Ctrl+N and the title typed next act."""
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, WorkshopsScreen)
        assert "Aucun atelier pour l’instant : Ctrl+N pour en créer un." in screen_text(app)
        await pilot.press("f2")
        await settle(pilot)
        said = "« Inscrire » : il faut d’abord un atelier. Ctrl+N pour en créer un."
        assert said in screen_text(app)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await type_text(pilot, "Google Maps")
        await settle(pilot)
        assert "il faut d’abord" not in screen_text(app)
        assert "Aucun atelier" not in screen_text(app)
    app.shutdown()
    assert [w["title"] for w in read_data(db)["workshops"].values()] == ["Google Maps"]


@pytest.mark.parametrize(
    ("key", "screen_type", "empty", "pressed", "said"),
    [
        (
            "i",
            AidsScreen,
            "Aucune aide au catalogue pour l’instant : Ctrl+N pour en créer une",
            "f3",
            "« Vérifiée ce jour » : il faut d’abord une aide.",
        ),
        (
            "u",
            DirectoryScreen,
            "Aucune structure dans l’annuaire pour l’instant : Ctrl+N pour en créer une",
            "delete",
            "« Supprimer » : il faut d’abord une structure.",
        ),
    ],
)
async def test_the_other_empty_lists_say_so_too(
    db: Path, key: str, screen_type: type, empty: str, pressed: str, said: str
) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        assert isinstance(app.screen, screen_type)
        assert empty in screen_text(app)
        await pilot.press(pressed)
        await settle(pilot)
        assert said in screen_text(app)
    app.shutdown()
