"""Sync of another laptop's data file reads the journal beside it, as the app does at open
(third acceptance pass, NEW3-8: it merged the state before the other laptop's last saves)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.helpers import add_client, open_store
from tpe_tui.services.sync import import_file
from tpe_tui.storage.journal import journal_path


def _folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_the_other_laptop_s_journal_is_applied_and_left_untouched(tmp_path: Path) -> None:
    ours = tmp_path / "a" / "tpe-tui.json"
    theirs_folder = tmp_path / "copie-de-b"
    theirs_folder.mkdir()
    ours.parent.mkdir()
    theirs = tmp_path / "b.json"
    with open_store(theirs, "laptop-b") as store:
        client = add_client(store, "Boulangerie Girard", notes="Avant")
    other = open_store(theirs, "laptop-b")  # the other app, still open
    try:
        other.put("clients", {**other.get("clients", client["id"]), "notes": "Réglé sur B"})
        assert journal_path(theirs).stat().st_size > 0  # its last save lives in the journal
        # What a copy of its data folder holds while it is open.
        for path in (theirs, journal_path(theirs)):
            shutil.copy2(path, theirs_folder / path.name)
    finally:
        other.close()
    before = _folder_bytes(theirs_folder)
    with open_store(ours) as store:
        outcome = import_file(store, theirs_folder / "b.json")
        assert store.get("clients", client["id"])["notes"] == "Réglé sur B"
    assert _folder_bytes(theirs_folder) == before  # read only: never the other's files
    note = next(line for line in outcome.lines if line.startswith("Journal trouvé"))
    assert "b.json" in note and "1 enregistrement(s)" in note


def test_a_file_without_journal_says_nothing_of_one(tmp_path: Path) -> None:
    theirs = tmp_path / "b.json"
    with open_store(theirs, "laptop-b") as store:
        add_client(store, "Ferme Fournier")
    assert not journal_path(theirs).exists()
    with open_store(tmp_path / "a.json") as store:
        outcome = import_file(store, theirs)
        assert [c["name"] for c in store.records("clients")] == ["Ferme Fournier"]
    assert not any("Journal" in line for line in outcome.lines)
