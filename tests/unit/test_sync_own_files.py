"""A file written by this laptop: a copy of our file is refused, another file made here (a
demo, a file prepared for a colleague) merges (NEW3-23)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import add_client, open_store
from tpe_tui.domain.errors import ImportFileError
from tpe_tui.services.sync import export, import_file


def test_a_copy_of_our_own_file_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "donnees.json"
    with open_store(db, "laptop-a") as store:
        add_client(store, "Garage Caron")
    copy = export(db, tmp_path / "copie.json", "laptop-a")
    with (
        open_store(db, "laptop-a") as store,
        pytest.raises(ImportFileError, match="écrit par cet ordinateur"),
    ):
        import_file(store, copy)


def test_another_file_made_on_this_laptop_merges(tmp_path: Path) -> None:
    db, other = tmp_path / "donnees.json", tmp_path / "autre" / "structure.json"
    other.parent.mkdir()
    with open_store(db, "laptop-a") as store:
        add_client(store, "Garage Caron")
    with open_store(other, "laptop-a") as store:  # made here, other businesses
        kept = add_client(store, "Fleuriste Roussel")
    carried = export(other, tmp_path / "pour-fusion.json", "laptop-a")
    with open_store(db, "laptop-a") as store:
        outcome = import_file(store, carried)
        assert outcome.report.tables["clients"].new == 1
        assert store.get("clients", kept["id"])["name"] == "Fleuriste Roussel"


def test_a_record_of_theirs_pointing_nowhere_is_refused_whole(tmp_path: Path) -> None:
    """NEW3-31: an accompaniment whose business does not exist merged with exit 0 and then
    read « Entreprise non renseignée »."""
    from tests.helpers import add_session, read_data

    db, other = tmp_path / "donnees.json", tmp_path / "b" / "b.json"
    other.parent.mkdir()
    with open_store(db, "laptop-a") as store:
        add_client(store, "Garage Caron")
    with open_store(other, "laptop-b") as store:
        client = add_client(store, "Fleuriste Roussel")
        add_session(store, client["id"])
        add_session(store, "does-not-exist")
    before = db.read_bytes()
    with (
        open_store(db, "laptop-a") as store,
        pytest.raises(ImportFileError, match="désigne un enregistrement absent, does-not-exist"),
    ):
        import_file(store, other)
    assert db.read_bytes() == before and len(read_data(db)["clients"]) == 1
