"""The picture of the home kept beside the file: used only when it matches, gone at the first save."""

from __future__ import annotations

import os
from pathlib import Path

from tests.helpers import add_client, add_session, open_store
from tests.ui_helpers import make_app, settle
from tpe_tui import home_cache


def test_only_trusted_for_the_file_exactly_as_it_was(db: Path) -> None:
    with open_store(db) as store:
        add_client(store, "Garage Caron")
    home_cache.write(db, {"in_progress": []})
    assert home_cache.read(db) == {"in_progress": []}
    os.utime(db, ns=(1, 1))  # another program rewrote it (a sync from the command line)
    assert home_cache.read(db) is None
    home_cache.write(db, {"x": 1})
    db.with_name(db.name + ".journal").write_bytes(b"")  # saves pending after a crash
    assert home_cache.read(db) is None


def test_the_first_save_removes_it(db: Path) -> None:
    with open_store(db) as store:
        client = add_client(store, "Garage Caron")
    home_cache.write(db, {"recent": [["1", ["Garage Caron"]]]})
    with open_store(db) as store:
        assert home_cache.path_for(db).exists()  # opening alone changes nothing
        store.put("clients", {**store.get("clients", client["id"]), "name": "Effacé"})
        assert not home_cache.path_for(db).exists()


async def test_the_app_leaves_one_and_starts_from_it(db: Path, monkeypatch) -> None:
    monkeypatch.setenv("TPE_TUI_TODAY", "2026-11-24")
    with open_store(db) as store:
        client = add_client(store, "Fleuriste Roussel")
        add_session(store, client["id"], status="in_progress", date="2026-11-20")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
    app.shutdown()
    cached = home_cache.read(db)
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
    from tpe_tui.screens.home import HomeData

    assert HomeData.from_dict({"in_progress": "nonsense"}) is None
