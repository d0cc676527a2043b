"""A start on a full disk or in a read-only folder: said in French, tried again on request.

The faults are real: a small tmpfs really filled up, really remounted read-only.
"""

from __future__ import annotations

import time
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Button

from tests.conftest import fill_disk, remount
from tests.helpers import add_client, open_store
from tests.ui_helpers import make_app, settle, type_text
from tpe_tui.ui.screens.dialogs import ConfirmScreen
from tpe_tui.ui.screens.home import HomeScreen


async def _until(pilot: Pilot, condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the app never got there"
        await pilot.pause(0.05)


def _asking(app) -> bool:
    """A dialog shown whole: a pushed screen is the app's screen before its buttons are
    mounted and one focused (on a busy machine a test looked in between and found none)."""
    return isinstance(app.screen, ConfirmScreen) and isinstance(app.screen.focused, Button)


def _buttons(app) -> list[str]:
    return [str(b.label) for b in app.screen.query(Button)]


def _file_on(disk: Path, business: str) -> Path:
    db = disk / "donnees.json"
    with open_store(db) as store:
        add_client(store, business)
    return db


async def test_a_full_disk_at_start_is_said_and_retry_opens_once_space_is_freed(
    small_disk: Path,
) -> None:
    db = _file_on(small_disk, "Garage Caron")
    filler = fill_disk(small_disk)
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await _until(pilot, lambda: _asking(app))
        question = app.screen.question
        assert question.startswith("Le disque est plein")
        assert str(small_disk) in question and "puis réessayez" in question
        await _until(pilot, lambda: _buttons(app))
        assert _buttons(app) == ["Réessayer", "Quitter"]
        assert app.workspace is None

        first = app.screen
        await pilot.press("enter")  # « Réessayer » has the focus: still full, asked again
        await _until(pilot, lambda: _asking(app) and app.screen is not first)
        assert app.workspace is None and app.screen.question.startswith("Le disque est plein")

        filler.unlink()
        await pilot.press("enter")
        await _until(pilot, lambda: app.workspace is not None)
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert [c["name"] for c in app.workspace.store.records("clients")] == ["Garage Caron"]
    app.shutdown()


async def test_a_read_only_data_folder_is_said_and_retry_opens_once_writable(
    small_disk: Path,
) -> None:
    db = _file_on(small_disk, "Fleuriste Roussel")
    remount(small_disk, "ro")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await _until(pilot, lambda: _asking(app))
        question = app.screen.question
        assert question.startswith(f"Le dossier {small_disk} n’est pas accessible en écriture")
        assert "puis réessayez" in question and "Rien n’a été modifié" in question
        await _until(pilot, lambda: _buttons(app))
        assert _buttons(app) == ["Réessayer", "Quitter"]

        remount(small_disk, "rw")
        await pilot.press("enter")
        await _until(pilot, lambda: app.workspace is not None)
        assert [c["name"] for c in app.workspace.store.records("clients")] == ["Fleuriste Roussel"]
    app.shutdown()


async def test_quitting_from_the_start_failure_says_why_on_the_way_out(small_disk: Path) -> None:
    db = small_disk / "donnees.json"
    with open_store(db):
        pass
    remount(small_disk, "ro")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await _until(pilot, lambda: _asking(app))
        await pilot.press("escape")
        await settle(pilot)
    app.shutdown()
    remount(small_disk, "rw")
    assert app.return_code == 1
    assert app.exit_message and "n’est pas accessible en écriture" in app.exit_message


async def test_quitting_on_a_full_disk_keeps_what_was_typed_and_offers_it_back(
    small_disk: Path,
) -> None:
    from tpe_tui.services import rescue
    from tpe_tui.storage.store import Store
    from tpe_tui.ui.screens.accompaniment.screen import AccompanimentScreen

    db = _file_on(small_disk, "Garage Caron")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await _until(pilot, lambda: app.workspace is not None)
        await settle(pilot)
        filler = fill_disk(small_disk)  # 100 % full, the journal not even started
        await pilot.press("n")
        await _until(pilot, lambda: isinstance(app.screen, AccompanimentScreen))
        await pilot.press("tab", "tab", "tab", "tab")  # « Précision lieu »
        assert app.screen.focused.id == "f-place_label"
        await type_text(pilot, "Salle du fond")
        await pilot.press("ctrl+q")
    app.shutdown()
    assert app.return_code == 1
    (kept,) = rescue.waiting(db)
    assert kept.parent == rescue.folders()[0]  # beside the settings, off the full disk
    assert app.exit_message and str(kept) in app.exit_message
    assert "Plus de place sur le disque" in app.exit_message
    assert b"Salle du fond" not in db.read_bytes()  # the file could not take it...
    assert b"Salle du fond" in kept.read_bytes()  # ...the emergency copy did

    filler.unlink()
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await _until(pilot, lambda: _asking(app) and "copie de secours" in app.screen.question)
        assert str(kept) in app.screen.question
        await pilot.press("enter")  # « Reprendre »
        await settle(pilot)
    app.shutdown()
    with Store.open(db, "checker", backup=False) as store:
        places = [s["place_label"] for s in store.records("sessions")]
    assert places == ["Salle du fond"]
    assert not kept.exists() and rescue.waiting(db) == []
