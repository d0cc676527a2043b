"""The sync screen takes a team folder as well as a file: F5 merges every file there, then
leaves ours in it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import add_client, open_store
from tests.ui_helpers import make_app, settle, type_text
from tpe_tui.storage.exchange import export_file
from tpe_tui.ui.screens.sync import SyncScreen


async def test_team_folder_from_the_sync_screen(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("platform.node", lambda: "portable-a")
    with open_store(db, "laptop-a") as store:
        add_client(store, "Garage Caron")
    other = tmp_path / "b.json"
    with open_store(other, "laptop-b") as store:
        add_client(store, "Fleuriste Roussel")
    team = tmp_path / "equipe"
    team.mkdir()
    export_file(other, team / "portable-b.json", "laptop-b")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SyncScreen)
        await type_text(pilot, str(team))
        await pilot.press("f4")  # simulate first: nothing written
        await settle(pilot)
        report = str(app.screen.query_one("#sync-report").render())
        assert report.startswith("Simulation") and "portable-b.json" in report
        assert sorted(p.name for p in team.iterdir()) == ["portable-b.json"]
        await pilot.press("f5")
        await settle(pilot)
        report = str(app.screen.query_one("#sync-report").render())
        # Ours carries this laptop's id (make_app's device « laptop-test »).
        assert report.startswith("Dossier d’équipe fusionné") and "portable-a-laptop.json" in report
        names = {c["name"] for c in app.workspace.store.records("clients")}
        assert names == {"Garage Caron", "Fleuriste Roussel"}
    assert sorted(p.name for p in team.iterdir()) == ["portable-a-laptop.json", "portable-b.json"]
    assert b"Garage Caron" in (team / "portable-a-laptop.json").read_bytes()


async def test_a_link_under_our_name_is_refused_on_screen(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """NEW4-18 from the app: the refusal is said in French and nothing is written there."""
    monkeypatch.setattr("platform.node", lambda: "portable-a")
    with open_store(db, "laptop-a") as store:
        add_client(store, "Garage Caron")
    team = tmp_path / "equipe"
    team.mkdir()
    precious = tmp_path / "precieux.txt"
    precious.write_text("à garder", encoding="utf-8")
    (team / "portable-a-laptop.json").symlink_to(precious)
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await type_text(pilot, str(team))
        await pilot.press("f5")
        await app.workers.wait_for_complete()
        await settle(pilot)
        shown = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert "rien n’a été fusionné ni écrit" in shown
    assert precious.read_text(encoding="utf-8") == "à garder"
