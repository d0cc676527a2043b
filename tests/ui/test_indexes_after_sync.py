"""After a sync replaced the records, the indexes are built again in the background
(`TpeApp.on_write_done`), not by the first screen that needs one."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import add_client, open_store
from tests.ui_helpers import make_app, settle, until
from tpe_tui.services.workspace import Workspace


def synced(ws: Workspace) -> None:
    """What a sync does to the store: every shared record replaced by the merged ones."""
    ws.store.replace_shared(ws.store.shared_tables(), "sync")
    ws.forget_caches()


async def test_a_sync_has_the_indexes_built_again_without_a_reading(db: Path) -> None:
    with open_store(db) as store:
        add_client(store, "Fleuriste Roussel", commune="Laon")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        ws = app.workspace
        assert ws is not None
        await until(pilot, lambda: not ws.indexes_outdated())
        done: list[object] = []
        app.write(synced, done.append)
        await until(pilot, lambda: bool(done))
        # Neither the search index nor a business file's index is read by the home: only
        # the build after the sync makes them again.
        await until(pilot, lambda: not ws.indexes_outdated() and ws.client_index.built)
        assert not ws.client_index.replaced() and not ws.session_order.replaced()
        assert [c["name"] for c in ws.search_clients("roussel")] == ["Fleuriste Roussel"]
    app.shutdown()
