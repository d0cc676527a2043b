"""What is typed or pasted right after F4 goes to the step shown (acceptance finding
NEW3-12: a paste sent while the app was still busy with a long step 2 went into step 2's
« Commune » while step 3 was on screen)."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import TextArea

from tests.ui_helpers import make_app, settle
from tpe_tui.ui.screens.accompaniment.screen import AccompanimentScreen
from tpe_tui.ui.widgets import forms


async def test_a_paste_queued_behind_f4_lands_in_the_next_step(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AccompanimentScreen)
        await pilot.press("f4")
        await settle(pilot)
        commune = forms.field_widget(screen, forms.FieldPath("commune", within="client"))
        commune.focus()
        await pilot.pause()
        # Both already waiting when F4 is handled, as when the app lags behind the keyboard.
        app.post_message(events.Key("f4", None))
        app.post_message(events.Paste("Bonjour, je voudrais un site"))
        await settle(pilot)
        assert screen.steps[screen.step_index].code == "request"
        assert commune.value == ""
        focused = screen.focused
        assert isinstance(focused, TextArea) and "je voudrais un site" in focused.text
    app.shutdown()
