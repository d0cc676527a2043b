"""Erasing a business rewrites every kept copy that holds it, and no other: copies of one
content (hard links of the data file, byte-identical copies) are rewritten once and share
the result; a backup taken before the business existed is left as it was (issue: erasure
at 10k with 5 backups kept the saves waiting ~19 s)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.helpers import add_client, files_holding, open_store, read_data
from tpe_tui.services import erasure
from tpe_tui.services.config import Config
from tpe_tui.services.workspace import Workspace
from tpe_tui.storage.backups import list_backups, make_backup
from tpe_tui.storage.paths import backups_dir

PHONE = "06 98 76 54 32"
NAME = "Quincaillerie Zébulon Wxq"


def _names(db: Path) -> set[str]:
    return {p.name for p in list_backups(db)}


def test_every_copy_holding_the_business_is_rewritten_once_per_content(db: Path) -> None:
    with open_store(db, "laptop-a") as store:
        add_client(store, "Garage Caron", phone="03 21 00 00 00")
        store.compact()
        # The business did not exist yet (a day ago: the rotation keeps one a day).
        backups_dir(db).mkdir(exist_ok=True)
        before_it = backups_dir(db) / f"{db.stem}-20261120T100000000000Z-start.json"
        shutil.copyfile(db, before_it)
        untouched = before_it.read_bytes()
        client = add_client(store, NAME, phone=PHONE)
        store.compact()
        first = make_backup(db, "start")
        second = make_backup(db, "start")  # the file unchanged: two names of one file
        assert first and second and first.stat().st_ino == second.stat().st_ino
        twin = backups_dir(db) / f"{db.stem}-20261128T000000000000Z-copie.json"
        shutil.copyfile(first, twin)  # the same bytes, another file
        store.put("clients", {**store.get("clients", client["id"]), "notes": "Rappeler"})
        store.compact()
        distinct = make_backup(db, "start")
        assert distinct is not None
    assert len(files_holding(backups_dir(db), [PHONE])) >= 4

    with Workspace.open(db, "laptop-a", Config()) as ws:
        report = erasure.erase(ws, client["id"])

    assert files_holding(db.parent, [PHONE, NAME]) == []
    assert before_it.read_bytes() == untouched  # never held it: not touched
    rewritten = {p.name for p in report.backups_rewritten}
    assert {first.name, second.name, twin.name, distinct.name} <= rewritten
    assert before_it.name not in rewritten and report.backups_removed == []
    # One content, one rewrite: its names are one file again.
    assert len({p.stat().st_ino for p in (first, second, twin)}) == 1
    assert first.stat().st_ino != distinct.stat().st_ino
    for copy in (first, second, twin, distinct):  # each still restores everyone else
        names = {c["name"] for c in read_data(copy)["clients"].values()}
        assert "Garage Caron" in names and NAME not in names


def test_the_open_follow_ups_of_an_erased_business_leave_the_agenda(db: Path) -> None:
    """NEW3-17: « Entreprise anonymisée · Rappel » stayed on the agenda, counted late."""
    from tpe_tui.domain.records import new_record

    with open_store(db, "laptop-a") as store:
        client = add_client(store, NAME, phone=PHONE)
        open_one = store.put(
            "followups",
            new_record(
                "followups", client_id=client["id"], due_date="2026-11-01", reason="Rappeler"
            ),
        )
        done_one = store.put(
            "followups",
            new_record("followups", client_id=client["id"], due_date="2026-10-01", status="done"),
        )
    with Workspace.open(db, "laptop-a", Config()) as ws:
        erasure.erase(ws, client["id"])
        assert ws.store.get("followups", open_one["id"])["status"] == "abandoned"
        assert ws.store.get("followups", done_one["id"])["status"] == "done"
        assert ws.store.get("followups", open_one["id"])["reason"] == ""
