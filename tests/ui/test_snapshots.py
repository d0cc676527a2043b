"""What the mediator sees at 80x24: the home screen and each phase of an accompaniment.

The data is a seeded demo file and today's date is pinned, so the pictures are stable.
Update after an intended change with: pytest tests/ui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from tests.ui_helpers import freeze_cursors, make_app, settle, type_text, until
from tpe_tui.cli.main import main

SIZE = (80, 24)


@pytest.fixture
def demo_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TPE_TUI_TODAY", "2026-11-24")
    db = tmp_path / "demo.json"
    assert main(["demo", "--db", str(db), "--sessions", "60", "--seed", "3"]) == 0
    return db


def _steps(count: int):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        if count:
            await pilot.press("f4")
            await type_text(pilot, "Fleuriste")
            await settle(pilot)
            await pilot.press("down", "enter")
            await settle(pilot)
            await pilot.press(*["f4"] * (count - 1))
        await settle(pilot)
        await freeze_cursors(pilot)

    return run_before


def test_home_screen(snap_compare, demo_db: Path) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot)

    assert snap_compare(make_app(demo_db), terminal_size=SIZE, run_before=run_before)


def test_phase_1_listening(snap_compare, demo_db: Path) -> None:
    assert snap_compare(make_app(demo_db), terminal_size=SIZE, run_before=_steps(0))


def test_phase_1_assessment(snap_compare, demo_db: Path) -> None:
    assert snap_compare(make_app(demo_db), terminal_size=SIZE, run_before=_steps(4))


def test_phase_2_solutions(snap_compare, demo_db: Path) -> None:
    assert snap_compare(make_app(demo_db), terminal_size=SIZE, run_before=_steps(7))


def test_phase_3_closing(snap_compare, demo_db: Path) -> None:
    assert snap_compare(make_app(demo_db), terminal_size=SIZE, run_before=_steps(13))


def _keys(*keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        await freeze_cursors(pilot)

    return run_before


def test_home_search(snap_compare, demo_db: Path) -> None:
    assert snap_compare(
        make_app(demo_db), terminal_size=SIZE, run_before=_keys("slash", "f", "l", "e", "u", "r")
    )


def test_agenda(snap_compare, demo_db: Path) -> None:
    assert snap_compare(make_app(demo_db), terminal_size=SIZE, run_before=_keys("a"))


def test_client_file(snap_compare, demo_db: Path) -> None:
    keys = ("slash", "f", "l", "e", "u", "r", "enter")
    assert snap_compare(make_app(demo_db), terminal_size=SIZE, run_before=_keys(*keys))


def test_client_file_homonym_duplicates(snap_compare, demo_db: Path) -> None:
    """Three « Boulangerie Girard · Soissons »: the one without a SIRET may be either of
    the two others, told apart by SIRET and address (F9: the duplicates tab)."""
    from tests.helpers import add_client, open_store

    with open_store(demo_db) as store:
        for siret, address in (("73282932000074", "4 place Fernand Marquigny"), ("", "")):
            add_client(
                store, "Boulangerie Girard", commune="Soissons", siret=siret, address=address
            )
        add_client(
            store,
            "Boulangerie Girard",
            commune="Soissons",
            siret="73282932000082",
            address="12 rue du Collège",
            contacts=[{"id": "p1", "name": "Paul Girard", "consent": {"given": True}}],
        )
    keys = ("slash", *"girard", "down", "down", "enter", "f9")
    assert snap_compare(make_app(demo_db), terminal_size=SIZE, run_before=_keys(*keys))


def test_erase_dialog_lists_the_documents_and_opens_on_annuler(snap_compare, demo_db: Path) -> None:
    # F6 first: the two export files name the business, so the dialog lists them.
    keys = ("slash", "f", "l", "e", "u", "r", "enter", "f6", "escape", "f8")
    assert snap_compare(make_app(demo_db), terminal_size=SIZE, run_before=_keys(*keys))


def test_directory(snap_compare, demo_db: Path) -> None:
    assert snap_compare(make_app(demo_db), terminal_size=SIZE, run_before=_keys("u"))


def test_sync(snap_compare, demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    media = tmp_path / "media" / "mediatrice" / "CLE USB"
    media.mkdir(parents=True)
    (media / "tpe-tui-camille.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr("tpe_tui.storage.removable.MOUNT_ROOTS", (tmp_path / "media",))
    assert snap_compare(make_app(demo_db), terminal_size=SIZE, run_before=_keys("s"))


def _built_ahead(*keys: str):
    """`_keys`, once the screens built at idle moments (`ScreensAhead`) are ready."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        ahead = pilot.app.ahead
        await until(pilot, lambda: ahead.spare_file is not None and ahead.spare_file.is_mounted)
        await _keys(*keys)(pilot)

    return run_before


def test_agenda_built_ahead(snap_compare, demo_db: Path) -> None:
    """Built while the home was read: the same picture as `test_agenda`."""
    assert snap_compare(make_app(demo_db), terminal_size=SIZE, run_before=_built_ahead("a"))


def test_client_file_built_ahead(snap_compare, demo_db: Path) -> None:
    """The spare file built ahead, filled before shown: the same picture as
    `test_client_file`."""
    keys = ("slash", "f", "l", "e", "u", "r", "enter")
    assert snap_compare(make_app(demo_db), terminal_size=SIZE, run_before=_built_ahead(*keys))


def test_new_session_built_ahead(snap_compare, demo_db: Path) -> None:
    """The new accompaniment built ahead, taken by « n »: the same picture as
    `test_phase_1_listening`."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        ahead = pilot.app.ahead
        await until(
            pilot, lambda: ahead.spare_session is not None and ahead.spare_session.is_mounted
        )
        spare = ahead.spare_session
        await pilot.press("n")
        await settle(pilot)
        assert pilot.app.screen is spare
        await freeze_cursors(pilot)

    assert snap_compare(make_app(demo_db), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize(
    ("ahead", "on_the_key"),
    [
        ("agenda_built_ahead", "agenda"),
        ("client_file_built_ahead", "client_file"),
        ("new_session_built_ahead", "phase_1_listening"),
    ],
)
def test_built_ahead_draws_the_same(ahead: str, on_the_key: str) -> None:
    """A screen built ahead shows exactly what it shows built on the key."""
    folder = Path(__file__).parent / "__snapshots__" / Path(__file__).stem

    def picture(name: str) -> str:
        # Textual names the styles of each picture after a hash of it: not the drawing.
        return re.sub(r"terminal-\d+", "terminal", (folder / f"{name}.svg").read_text())

    assert picture(f"test_{ahead}") == picture(f"test_{on_the_key}")


def test_every_snapshot_picture_belongs_to_a_test() -> None:
    """A picture no test draws any more is found by syrupy in a one-process run only: under
    pytest-xdist (the README's command) it skips that check, so it is done here."""
    pictures = sorted((Path(__file__).parent / "__snapshots__").glob("*/*.svg"))
    assert pictures
    for picture in pictures:
        module = importlib.import_module(f"tests.ui.{picture.parent.name}")
        test = picture.stem.split("[")[0]  # a parametrized test's pictures: test[param]
        assert callable(getattr(module, test, None)), f"{picture}: no test {test} draws it"
