"""Text is data, never markup: names that look like Textual markup, or carry escape
sequences, are shown as typed on every screen and never break one (issue 15)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from tests.helpers import add_client, add_session, open_store
from tests.ui_helpers import make_app, screen_text, settle, type_text
from tpe_tui.domain.records import new_record, today_iso
from tpe_tui.services.sync import import_file
from tpe_tui.storage.exchange import export_file
from tpe_tui.ui.screens.accompaniment.screen import AccompanimentScreen
from tpe_tui.ui.screens.agenda import AgendaScreen
from tpe_tui.ui.screens.aids import AidsScreen
from tpe_tui.ui.screens.client_file import ClientFileScreen
from tpe_tui.ui.screens.conflicts import ConflictsScreen
from tpe_tui.ui.screens.home import HomeScreen
from tpe_tui.ui.screens.preview import PreviewScreen
from tpe_tui.ui.screens.structures import DirectoryScreen
from tpe_tui.ui.screens.sync import SyncScreen
from tpe_tui.ui.screens.workshops import WorkshopsScreen

# Short enough to fit a table column at 80x24, so each must be seen whole.
# The last one carries a right-to-left override (NEW4-23): dropped, as ESC and BEL are.
HOSTILE = [
    "Atelier [/]",
    "[bold red]x",
    "Café [bio]",
    "[@click=app.quit]",
    "Osc\x1b]0;T\x07\u202eY",
]
SHOWN = ["Atelier [/]", "[bold red]x", "Café [bio]", "[@click=app.quit]", "Osc]0;TY"]


def _no_control(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text


def _fill(db: Path, tmp_path: Path) -> dict[str, Any]:
    """Businesses, sessions, follow-ups, structures and one conflict, all with hostile text."""
    ids: dict[str, Any] = {"clients": [], "sessions": []}
    with open_store(db, "laptop-a") as store:
        for name in HOSTILE:
            client = add_client(
                store,
                name,
                commune="Café [bio]",
                trade="[b]métier",
                contacts=[{"name": "[i]Jean", "phone": "", "email": ""}],
            )
            session = add_session(
                store,
                client["id"],
                status="in_progress",
                request_words="[red]aide",
                notes="[/]",
                place_label="[link=x]lieu",
                territory="[dim]Arras",
            )
            store.put(
                "followups",
                new_record(
                    "followups",
                    client_id=client["id"],
                    session_id=session["id"],
                    due_date=today_iso(),
                    reason="[blink]rappel",
                ),
            )
            ids["clients"].append(client["id"])
            ids["sessions"].append(session["id"])
        for name in HOSTILE:
            store.put(
                "structures",
                new_record("structures", name=name, territory="[u]Soissons", kind="cci"),
            )
        shared = add_client(store, "Garage [x]")
    export_file(db, tmp_path / "a.json", "laptop-a")
    other = tmp_path / "b.json"
    with open_store(other, "laptop-b") as store:
        import_file(store, tmp_path / "a.json")
        store.put("clients", {**store.get("clients", shared["id"]), "name": "[@click=app.bell]B"})
    with open_store(db, "laptop-a") as store:
        store.put("clients", {**store.get("clients", shared["id"]), "name": "[bold]A"})
        import_file(store, export_file(other, tmp_path / "b-export.json", "laptop-b"))
    ids["conflicted"] = shared["id"]
    return ids


async def _shows(pilot: Any, screen_type: type, *expected: str) -> str:
    """The screen once it shows every expected text (searches wait for a pause in typing,
    so the condition is polled, with a generous deadline for a busy machine)."""
    app = pilot.app
    deadline = time.monotonic() + 30
    while True:
        await settle(pilot)
        text = screen_text(app)
        _no_control(text)
        if isinstance(app.screen, screen_type) and all(v in text for v in expected):
            return text
        if time.monotonic() > deadline:
            assert isinstance(app.screen, screen_type), app.screen
            missing = [v for v in expected if v not in text]
            raise AssertionError(f"not shown: {missing}\n{text}")


@pytest.mark.parametrize("index", range(len(HOSTILE)))
async def test_every_screen_shows_hostile_names_as_typed(
    db: Path, tmp_path: Path, index: int
) -> None:
    ids = _fill(db, tmp_path)
    name, shown = HOSTILE[index], SHOWN[index]
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await _shows(pilot, HomeScreen, "[blink]rappel")
        # Every name is a row of the home's list (which of the five its four visible rows
        # show depends on the order of saves made within one millisecond).
        table = app.screen.query_one("#in-progress")
        names = {str(table.get_row_at(r)[1]) for r in range(table.row_count)}
        assert {"Atelier [/]", "[bold red]x"} <= names

        # Search on the home screen
        await pilot.press("slash")
        await type_text(pilot, name.split("\x1b")[0])
        await _shows(pilot, HomeScreen, shown)
        await pilot.press("escape", "escape")  # search cleared, then out of the box

        # Each step of an accompaniment of that business
        app.open_session(ids["sessions"][index])
        await _shows(pilot, AccompanimentScreen, shown)
        for _ in range(14):
            await pilot.press("f4")
            await _shows(pilot, AccompanimentScreen, shown)
        await pilot.press("escape")
        await settle(pilot)

        # Preview of its summary (Markdown, escaped by the template)
        app.open_preview(ids["sessions"][index])
        await _shows(pilot, PreviewScreen, shown)
        await pilot.press("escape")

        # Its client file, every tab
        app.open_client_file(ids["clients"][index])
        await _shows(pilot, ClientFileScreen, shown, "Café [bio]")
        for tab in ("tab-history", "tab-plan", "tab-duplicates"):  # built when opened
            app.screen.query_one("#file-tabs").active = tab
            await _shows(pilot, ClientFileScreen)
        await pilot.press("escape")

        await pilot.press("a")
        await _shows(pilot, AgendaScreen, "[blink]rappel")
        await pilot.press("escape")

        await pilot.press("u")
        await _shows(pilot, DirectoryScreen, shown)
        await pilot.press("escape")

        for key, screen in (("c", WorkshopsScreen), ("i", AidsScreen)):
            await pilot.press(key)
            await _shows(pilot, screen)
            await pilot.press("escape")

        await pilot.press("s")
        await _shows(pilot, SyncScreen)
        await pilot.press("f7")
        await _shows(pilot, ConflictsScreen, "[bold]A", "[@click=app.bell]B")
        await pilot.press("enter")
        await _shows(pilot, ConflictsScreen, "[bold]A", "[@click=app.bell]B")
        assert app.is_running
    app.shutdown()
    assert app.return_code in (0, None)


def _app_with_business(db: Path, name: str) -> Any:
    with open_store(db) as store:
        add_client(store, name)
    return make_app(db)


async def test_typing_markup_in_the_business_search_of_a_new_accompaniment(db: Path) -> None:
    app = _app_with_business(db, "Atelier [/] du bois")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        await type_text(pilot, "Atelier [/]")
        text = await _shows(pilot, AccompanimentScreen, "Atelier [/] du bois")
        assert "« Atelier [/] »" in text  # the offer to create it, as typed
        assert app.is_running
    app.shutdown()


async def test_a_click_action_in_a_name_is_not_clickable(db: Path) -> None:
    app = _app_with_business(db, "[@click=app.quit]Quitter")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "quitter")
        text = await _shows(pilot, HomeScreen, "[@click=app.quit]Quitter")
        row = next(i for i, line in enumerate(text.splitlines()) if "[@click=app.quit]" in line)
        column = text.splitlines()[row].index("[@click=app.quit]")
        await pilot.click(offset=(column + 18, row))
        await settle(pilot)
        assert app.is_running
    app.shutdown()


async def test_a_paste_loses_its_control_characters_as_typed_text_does(db: Path) -> None:
    """NEW4-23: keys carrying a control character never reach a field (Textual passes only
    printable keys), but a paste did, whole: a right-to-left override pasted into a name
    turned the rest of a summary line around."""
    from textual import events

    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        search = app.screen.focused
        assert isinstance(search, Input)
        app.post_message(events.Paste("Garage \u202eEGUOR\u202c\x1b[31m Caron\u2067"))
        await settle(pilot)
        assert search.value == "Garage EGUOR[31m Caron"
    app.shutdown()
