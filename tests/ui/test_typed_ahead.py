"""Keys typed ahead reach what the key before them led to (ui/typeahead.py), as a busy
machine hands them over."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual import events

from tests.ui_helpers import make_app, settle
from tpe_tui.ui.screens.home import HomeScreen


async def test_a_letter_right_after_slash_goes_to_the_search_box(db: Path) -> None:
    """« / » then « g » at once, while the app is busy (rare in tmux at load 10-14: the
    « g » went to the focused « Nouvel accompagnement » and was lost). The home stops
    « / » on its way back to the app, as Textual's screens stop every key from the app;
    a key stopped was taken as kept by a field, so « g » went on before « / » had moved
    the focus to the search box."""
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen) and home.focused is home.query_one("#new-session")
        for key, character in (("slash", "/"), ("g", "g")):
            app.post_message(events.Key(key, character))
        # The app busy with something else meanwhile (a busy machine): « / » comes back
        # behind it, and the type-ahead's poll looks at « g » in between.
        app.call_later(asyncio.sleep, 0.3)
        await settle(pilot)
        assert home.query_one("#home-search").value == "g"
    app.shutdown()


async def test_a_paste_waits_behind_the_keys_typed_before_it(db: Path) -> None:
    """Acceptance finding NEW5-8: a paste went on at once while the keys typed before it
    were still held, and landed before them (« Ggaragiste automobilearage Dupont »)."""
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        for key, character in (("slash", "/"), ("g", "g"), ("a", "a")):
            app.post_message(events.Key(key, character))
        app.post_message(events.Paste("rage Dupont"))
        app.post_message(events.Key("exclamation_mark", "!"))
        app.call_later(asyncio.sleep, 0.3)  # a busy machine: the keys are held meanwhile
        await settle(pilot)
        assert home.query_one("#home-search").value == "garage Dupont!"
    app.shutdown()
