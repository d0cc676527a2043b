"""The picture of the home kept beside the file: used only when it matches, gone at the first save."""

from __future__ import annotations

import asyncio
import os
import threading
from pathlib import Path

import pytest

from tests.helpers import add_client, add_session, open_store
from tests.ui_helpers import make_app, settle
from tpe_tui.domain.records import new_record
from tpe_tui.storage import home_picture


def test_only_trusted_for_the_file_exactly_as_it_was(db: Path) -> None:
    with open_store(db) as store:
        add_client(store, "Garage Caron")
    home_picture.write(db, {"in_progress": []})
    assert home_picture.read(db) == {"in_progress": []}
    os.utime(db, ns=(1, 1))  # another program rewrote it (a sync from the command line)
    assert home_picture.read(db) is None
    home_picture.write(db, {"x": 1})
    db.with_name(db.name + ".journal").write_bytes(b"")  # saves pending after a crash
    assert home_picture.read(db) is None


def test_the_first_save_removes_it(db: Path) -> None:
    with open_store(db) as store:
        client = add_client(store, "Garage Caron")
    home_picture.write(db, {"recent": [["1", ["Garage Caron"]]]})
    with open_store(db) as store:
        assert home_picture.path_for(db).exists()  # opening alone changes nothing
        store.put("clients", {**store.get("clients", client["id"]), "name": "Effacé"})
        assert not home_picture.path_for(db).exists()


async def _run_once_with_a_session_in_progress(db: Path, monkeypatch) -> None:
    """A file with one session in progress, opened and closed once by the app."""
    monkeypatch.setenv("TPE_TUI_TODAY", "2026-11-24")
    with open_store(db) as store:
        client = add_client(store, "Fleuriste Roussel")
        session = add_session(store, client["id"], status="in_progress", date="2026-11-20")
        store.put(
            "followups",
            new_record(
                "followups",
                client_id=client["id"],
                session_id=session["id"],
                due_date="2026-11-25",
                reason="Rappeler",
            ),
        )
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
    app.shutdown()


async def test_the_app_leaves_one_and_starts_from_it(db: Path, monkeypatch) -> None:
    await _run_once_with_a_session_in_progress(db, monkeypatch)
    cached = home_picture.read(db)
    assert cached is not None and cached["day"] == "2026-11-24"
    assert cached["in_progress"][0][1][1] == "Fleuriste Roussel"
    # Next start: the home shows the same rows before and after the file is read.
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#in-progress")
        assert str(table.get_row_at(0)[1]) == "Fleuriste Roussel"
    app.shutdown()
    # A damaged cache is ignored, not shown.
    from tpe_tui.ui.screens.home import HomeData

    assert HomeData.from_dict({"in_progress": "nonsense"}) is None


@pytest.mark.parametrize("next_day", ["2026-11-24", "2026-11-25"], ids=["same-day", "next-day"])
async def test_the_cached_home_is_on_the_first_frame_while_the_file_is_read(
    db: Path, monkeypatch, next_day: str
) -> None:
    await _run_once_with_a_session_in_progress(db, monkeypatch)
    monkeypatch.setenv("TPE_TUI_TODAY", next_day)

    from tpe_tui.storage.store import Store

    reading = threading.Event()
    release = threading.Event()
    real_open = Store.open.__func__

    def slow_open(cls, *args, **kwargs):  # type: ignore[no-untyped-def]
        reading.set()
        release.wait(timeout=10)  # a big file being read
        return real_open(cls, *args, **kwargs)

    monkeypatch.setattr(Store, "open", classmethod(slow_open))
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.workspace is None  # the file is still being read...
        table = app.screen.query_one("#in-progress")
        assert str(table.get_row_at(0)[1]) == "Fleuriste Roussel"  # ...and the home is there
        status = str(app.screen.query_one("#home-status").render())
        if next_day == "2026-11-24":
            assert app.screen.query_one("#due").row_count == 0  # nothing due that day
        else:
            # The picture is from yesterday: what is due today is not guessed from it.
            assert "en cours de lecture" in status
        assert await asyncio.to_thread(reading.wait, 5)  # reading began after that frame
        release.set()
        await settle(pilot)
        assert app.workspace is not None
        due = app.screen.query_one("#due")
        assert due.row_count == (1 if next_day == "2026-11-25" else 0)
        assert "en cours de lecture" not in str(app.screen.query_one("#home-status").render())
    app.shutdown()


async def test_collection_turned_off_for_the_start_is_back_on_after_the_first_frame(
    db: Path,
) -> None:
    import gc

    gc.disable()  # as run_app does before importing the app
    try:
        app = make_app(db)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert gc.isenabled()
        app.shutdown()
    finally:
        gc.enable()
        gc.unfreeze()  # the test process must not keep what the app froze
