"""Whatever goes wrong inside the app, the person never sees a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.screen import Screen

from tests.ui_helpers import make_app, settle, type_text, until
from tpe_tui.cli.main import _setup_logging
from tpe_tui.storage import paths
from tpe_tui.ui.screens.home import HomeScreen


async def test_an_unexpected_error_is_logged_and_said_in_french(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _setup_logging()

    def broken(self) -> None:
        raise RuntimeError("panne simulée")

    monkeypatch.setattr(HomeScreen, "action_resume", broken)
    app = make_app(db)
    with pytest.raises(RuntimeError, match="panne simulée"):  # run_test re-raises for the test
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("r")
            await pilot.pause()
    app.shutdown()
    assert app.return_code == 1
    assert app._exit_renderables == []  # nothing printed to the terminal but our sentence
    assert app.exit_message and "erreur inattendue" in app.exit_message
    log = (paths.log_dir() / "tpe-tui.log").read_text()
    assert "panne simulée" in log and "Traceback" in log


async def test_a_failed_save_is_shown_until_acknowledged(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tpe_tui.domain.errors import SaveError
    from tpe_tui.ui.screens.dialogs import MessageScreen

    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)

        def full_disk(_workspace: object) -> None:
            raise SaveError(
                "Plus de place sur le disque pour enregistrer : le fichier n’a pas été modifié."
            )

        app.write(full_disk, key="sessions:x")
        await settle(pilot)
        assert isinstance(app.screen, MessageScreen)
        assert "Plus de place" in app.screen.message
        # Keys typed before it could be read are not its own (NEW4-13): it takes them
        # once « Compris » has the focus.
        await until(pilot, lambda: app.focused is not None and app.focused.id == "ok")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    app.shutdown()


async def test_our_own_file_of_a_newer_schema_is_explained_once_and_left_alone(db: Path) -> None:
    import orjson

    from tpe_tui.domain.records import SCHEMA_VERSION
    from tpe_tui.ui.screens.dialogs import MessageScreen

    newer = {"meta": {"1": {"schema_version": SCHEMA_VERSION + 1}}, "clients": {}}
    db.write_bytes(orjson.dumps(newer))
    before = db.read_bytes()
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MessageScreen)
        assert "plus récente" in app.screen.message
        assert "vide" not in app.screen.message  # no promise of an empty file
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, MessageScreen)  # the dialog does not come back
    app.shutdown()
    assert app.return_code == 1
    assert app.exit_message and "plus récente" in app.exit_message
    assert db.read_bytes() == before


async def a_save_fails(pilot: Pilot) -> Screen:
    """A save fails (a full disk) while the person types: its message pops up unasked."""
    from tpe_tui.domain.errors import SaveError
    from tpe_tui.ui.screens.dialogs import MessageScreen

    def full_disk(_workspace: object) -> None:
        raise SaveError("Plus de place sur le disque pour enregistrer.")

    pilot.app.write(full_disk, key="sessions:x")
    await until(pilot, lambda: isinstance(pilot.app.screen, MessageScreen))
    return pilot.app.screen


async def test_a_save_failing_while_one_types_does_not_swallow_the_typing(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Acceptance finding NEW4-13: the full-disk dialog appeared while « garagiste » was
    being typed in Métier: the letters after it went nowhere, and an Espace or Entrée typed
    then pressed « Compris » unread. The keys typed before it could be read go on into the
    field; Entrée then does not close it."""
    from tpe_tui.ui.screens.dialogs import MessageScreen
    from tpe_tui.ui.widgets import forms

    # However slow the machine, the keys below are typed « before it could be read ».
    monkeypatch.setattr(MessageScreen, "TYPED_AHEAD_S", 3600.0)
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        screen = app.screen
        await pilot.press("f4")
        await settle(pilot)
        trade = forms.field_widget(screen, forms.FieldPath("trade", within="client"))
        trade.focus()
        await type_text(pilot, "gar")
        dialog = await a_save_fails(pilot)
        await type_text(pilot, "agiste")
        dialog.TYPED_AHEAD_S = 0.0  # past its first moments: still, letters are not its own
        await type_text(pilot, " auto")
        assert app.screen is dialog and trade.value == "garagiste auto"
        await pilot.press("enter")  # while typing: not its own, held for the field
        await settle(pilot)
        assert app.screen is dialog  # not closed unread
        dialog.PAUSE_S = 0.0  # she stopped to read it: Entrée is its own
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and screen.focused is trade
        assert trade.value == "garagiste auto"
    app.shutdown()


async def test_keys_typed_on_after_its_first_moments_are_kept_in_order(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """NEW4-13, re-test of the fourth pass: past the message's first 0.5 s, the keys a
    mediator typed without looking were swallowed (« Bonjour » / Tab / « Reformule » →
    both text areas empty). Letters go on into the field; a Backspace, a Tab and what
    follows them are held, in order, and land where they were meant once it is closed."""
    from textual.widgets import TextArea

    from tpe_tui.ui.screens.dialogs import MessageScreen
    from tpe_tui.ui.widgets import forms

    monkeypatch.setattr(MessageScreen, "TYPED_AHEAD_S", 0.0)  # its first moments are over
    monkeypatch.setattr(MessageScreen, "PAUSE_S", 3600.0, raising=False)  # she types on
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n", "f4", "f4")  # « Écoute de la demande »
        await settle(pilot)
        screen = app.screen
        said = forms.field_widget(screen, "request_said")
        rephrased = forms.field_widget(screen, "request_rephrased")
        assert isinstance(said, TextArea) and isinstance(rephrased, TextArea)
        said.focus()
        dialog = await a_save_fails(pilot)
        await type_text(pilot, "Bonjoru")
        assert said.text == "Bonjoru"  # letters: on into the field at once
        await pilot.press("backspace", "backspace")
        await type_text(pilot, "ur")
        await pilot.press("tab")
        await type_text(pilot, "Reformule")
        await settle(pilot)
        assert app.screen is dialog and said.text == "Bonjoru"  # the rest held, in order
        assert "14 touche(s) tapée(s) gardée(s)" in str(dialog.query_one("#held-keys").render())
        dialog.PAUSE_S = 0.0  # she stops and reads it
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert (said.text, rephrased.text) == ("Bonjour", "Reformule")
        assert screen.focused is rephrased
    app.shutdown()


class _FindsNothing(Screen[None]):
    """A screen whose on_mount looks for a widget it does not have."""

    def on_mount(self) -> None:
        self.query_one("#nothing")


async def test_a_screen_shown_while_the_app_closes_is_not_an_error(db: Path) -> None:
    """A dialog or a screen built ahead being composed as the app closed found none of its
    widgets (NoMatches): « erreur inattendue » for a person already leaving, and tests
    failing at random on a busy machine. While the app runs it is still an error."""
    from textual.css.query import NoMatches

    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.exit()
        app.push_screen(_FindsNothing())  # mounted while the app closes
    app.shutdown()
    assert app.return_code == 0 and not app.exit_message

    app = make_app(db)
    with pytest.raises(NoMatches):
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            app.push_screen(_FindsNothing())
            await pilot.pause()
    app.shutdown()
    assert app.return_code == 1
