"""One ordered write path; results go to the screen that asked; failed workers are said."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests.helpers import open_store
from tests.ui_helpers import make_app, settle, type_text, until
from tpe_tui.cli.main import _setup_logging
from tpe_tui.domain.errors import TpeError
from tpe_tui.domain.records import new_record
from tpe_tui.services import structures as directory_service
from tpe_tui.storage import paths
from tpe_tui.ui.screens.agenda import AgendaData, AgendaScreen
from tpe_tui.ui.screens.dialogs import ConfirmScreen, MessageScreen
from tpe_tui.ui.screens.home import HomeScreen
from tpe_tui.ui.screens.structures import DirectoryScreen


async def test_a_delete_queued_behind_a_slow_save_stays_deleted(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(db) as store:
        store.put("structures", new_record("structures", name="CCI Artois", kind="cci"))
    gate, saving = threading.Event(), threading.Event()
    real_save = directory_service.save

    def slow_save(workspace, record):  # a slow disk: the save waits for the gate
        saving.set()
        assert gate.wait(60)
        return real_save(workspace, record)

    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DirectoryScreen)
        monkeypatch.setattr(directory_service, "save", slow_save)
        screen.query_one("#f-name").focus()
        await pilot.press("end")
        await type_text(pilot, " Hauts")
        await until(pilot, saving.is_set)  # the first save is on disk's way, held
        screen.query_one("#dir-table").focus()
        await pilot.press("delete")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("o")
        await until(pilot, lambda: app.saves.pending() >= 3)  # save running, save, delete
        gate.set()
        await settle(pilot)
        (gone,) = app.workspace.store.records("structures", deleted=True)
        # Both saves landed first (the name typed last is kept), then the deletion.
        assert gone["name"] == "CCI Artois Hauts" and gone["deleted"] is True
        assert list(app.workspace.store.records("structures")) == []
    app.shutdown()
    with open_store(db) as store:
        assert list(store.records("structures")) == []


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (RuntimeError("panne de lecture"), "Cette action a échoué ; rien n’a été perdu."),
        (TpeError("Le fichier de données est illisible."), "Le fichier de données est illisible."),
    ],
)
@pytest.mark.usefixtures("nothing_built_ahead")
async def test_a_loader_that_raises_is_logged_and_said_in_french(
    db: Path, monkeypatch: pytest.MonkeyPatch, error: Exception, said: str
) -> None:
    _setup_logging()

    def broken(cls, workspace):
        raise error

    monkeypatch.setattr(AgendaData, "load", classmethod(broken))
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, MessageScreen)
        assert said in app.screen.message
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AgendaScreen)  # the screen stays, empty
    app.shutdown()
    if isinstance(error, RuntimeError):  # the unexpected one is logged for the helpdesk
        log = (paths.log_dir() / "tpe-tui.log").read_text()
        assert "panne de lecture" in log and "Traceback" in log


@pytest.mark.usefixtures("nothing_built_ahead")
async def test_leaving_the_agenda_before_its_data_loads_raises_nothing(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _setup_logging()
    gate, loading = threading.Event(), threading.Event()
    real_load = AgendaData.load.__func__  # type: ignore[attr-defined]
    shown: list[AgendaScreen] = []

    def slow_load(cls, workspace):
        loading.set()
        assert gate.wait(60)
        return real_load(cls, workspace)

    monkeypatch.setattr(AgendaData, "load", classmethod(slow_load))
    real_show = AgendaScreen.show
    monkeypatch.setattr(
        AgendaScreen, "show", lambda self, data: (shown.append(self), real_show(self, data))
    )
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await until(pilot, loading.is_set)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        gate.set()
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)  # no error dialog
        assert shown == []  # the result had no screen left to go to: dropped
        await pilot.press("a")  # back to the agenda (kept): it reads again, and shows it
        await settle(pilot)
        assert isinstance(app.screen, AgendaScreen) and shown == [app.screen]
    app.shutdown()
    assert app.return_code in (0, None)
    log = paths.log_dir() / "tpe-tui.log"
    assert not log.exists() or "Traceback" not in log.read_text()
