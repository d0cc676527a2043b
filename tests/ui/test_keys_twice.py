"""A key that opens a screen, pressed twice quickly on the home, opens it once (acceptance
finding NEW3-32: « n n » stacked two accompaniments, the first Échap showed the other)."""

from __future__ import annotations

from pathlib import Path

from textual import events

from tests.helpers import add_client, add_session, open_store
from tests.ui_helpers import make_app, settle
from tpe_tui.ui.screens.accompaniment.screen import AccompanimentScreen
from tpe_tui.ui.screens.home import HomeScreen


async def test_new_and_resume_pressed_twice_open_one_accompaniment(db: Path) -> None:
    with open_store(db) as store:
        client = add_client(store, "Boulangerie Girard", commune="Soissons")
        add_session(store, client["id"], status="in_progress")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        home_depth = len(app.screen_stack)
        for key in ("n", "r"):
            # Both keys queued before the first one's data is read, as typed quickly.
            for _ in range(2):
                app.post_message(events.Key(key, key))
            await settle(pilot)
            assert isinstance(app.screen, AccompanimentScreen), key
            assert len(app.screen_stack) == home_depth + 1, (key, app.screen_stack)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen), key
    app.shutdown()


async def test_other_home_keys_pressed_twice_open_one_screen(db: Path) -> None:
    with open_store(db) as store:
        add_client(store, "Boulangerie Girard", commune="Soissons")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        home_depth = len(app.screen_stack)
        for key in ("a", "u", "t", "c", "i", "s"):
            for _ in range(2):
                app.post_message(events.Key(key, key))
            await settle(pilot)
            assert len(app.screen_stack) == home_depth + 1, (key, app.screen_stack)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen), key
    app.shutdown()
