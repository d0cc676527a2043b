"""At start, journal lines damaged in the middle are said before anything else (acceptance
finding NEW4-11: the app showed only « tpe-tui s’est arrêté pendant un accompagnement … »)."""

from __future__ import annotations

from pathlib import Path

from tests.ui_helpers import make_app, settle
from tests.unit.test_journal_damage import crashed_after, damage_line
from tpe_tui.ui.screens.dialogs import MessageScreen


async def test_the_app_says_it_at_start_before_anything_else(db: Path) -> None:
    crashed_after(db, "Boulangerie Girard", "Garage Lefèvre", "Boulangerie Girard")
    damage_line(db, 2, b"Garagiste", b"Garagistf")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, MessageScreen)
        assert dialog.title_text == "Journal des enregistrements abîmé"
        assert "- ligne 2, enregistrée à " in dialog.message
        assert "entreprise « Garage Lefèvre ». Ce que cet enregistrement" in dialog.message
        kept = app.workspace.store.damaged_lines_kept
        assert f"La ligne abîmée est gardée telle quelle dans {kept}." in dialog.message
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is not dialog
    app.shutdown()
