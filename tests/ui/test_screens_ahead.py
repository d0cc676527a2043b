"""Screens built ahead at idle moments (`ui/ahead.py`): not while a person types, and the
business file built ahead is the one shown next, on the business asked for."""

from __future__ import annotations

import math
import time
from pathlib import Path

import pytest

from tests.helpers import add_client, open_store
from tests.ui_helpers import make_app, settle, type_text, until
from tpe_tui.ui import ahead
from tpe_tui.ui.app import AGENDA
from tpe_tui.ui.screens.agenda import AgendaScreen
from tpe_tui.ui.screens.client_file import ClientFileScreen


async def test_nothing_is_built_while_one_types(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Nothing built before the typing starts (before a first key, idle counts from the
    # machine's boot: an hour is not enough).
    monkeypatch.setattr(ahead, "IDLE_S", math.inf)
    app = make_app(db)
    # How long after the last key each screen was built: never within the idle time. (Not
    # « nothing built during the loop »: on a loaded machine one turn of it may itself
    # last longer than the idle time, and then building is what should happen.)
    since_key: list[float] = []
    build = app.ahead._build
    monkeypatch.setattr(
        app.ahead,
        "_build",
        lambda screen: (since_key.append(time.monotonic() - app.last_key_at), build(screen)),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        # A key every 0.2 s or so: never idle for 2 s, unless the machine stalls.
        monkeypatch.setattr(ahead, "IDLE_S", 2.0)
        typing_until = time.monotonic() + 3
        while time.monotonic() < typing_until:
            await type_text(pilot, "x")
            await pilot.pause(0.2)
        await until(pilot, lambda: app.ahead.spare_file is not None)  # then, once idle
        assert len(since_key) >= 2 and min(since_key) >= 2.0
        assert isinstance(app.get_screen(AGENDA), AgendaScreen)
    app.shutdown()


async def test_the_file_built_ahead_shows_the_business_asked_for(db: Path) -> None:
    with open_store(db) as store:
        client = add_client(store, "Fleuriste Roussel", commune="Laon")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await until(pilot, lambda: app.ahead.spare_file is not None)
        spare = app.ahead.spare_file
        await until(pilot, lambda: spare.is_mounted)
        app.open_client_file(client["id"])
        await until(pilot, lambda: app.screen is spare)
        await settle(pilot)
        assert isinstance(spare, ClientFileScreen) and spare.record_id == client["id"]
        assert spare.query_one("#f-name").value == "Fleuriste Roussel"  # type: ignore[attr-defined]
        assert app.ahead.spare_file is None  # taken: the next one is built at the next pause
    app.shutdown()


async def test_a_new_accompaniment_built_ahead_is_read_again_after_a_write(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Written since it was read, it is dropped at the next pause and built again: dropped
    only on « n », it cost more than opening with no spare at all."""
    from tpe_tui.domain.records import new_record

    monkeypatch.setattr(ahead, "IDLE_S", 0.3)
    monkeypatch.setattr(ahead, "LONG_IDLE_S", 0.6)
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)

        def spare_ready() -> bool:
            spare = app.ahead.spare_session
            return spare is not None and spare.is_mounted and app.ahead._current(spare)

        await until(pilot, spare_ready)
        first = app.ahead.spare_session
        app.write(lambda ws: ws.save_client(new_record("clients", name="Fleuriste Roussel")))
        await until(pilot, lambda: spare_ready() and app.ahead.spare_session is not first)
        assert first is not None and (first.is_attached, first.is_running) == (False, False)
        again = app.ahead.spare_session
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is again
    app.shutdown()
