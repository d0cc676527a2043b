"""The data file: format, journal, atomic rewrite, lock, backups, corruption, schema."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import time
from pathlib import Path

import pytest
import tinydb

from tests.conftest import PYTHON, subprocess_env
from tests.helpers import add_client, add_session, open_store, read_data, write_data
from tpe_tui.domain import records
from tpe_tui.domain.errors import DataFileError, LockedError, SaveError
from tpe_tui.storage import migrations
from tpe_tui.storage.backups import backups_to_delete, list_backups
from tpe_tui.storage.compact import LAYOUT_TABLE
from tpe_tui.storage.file_format import load_snapshot
from tpe_tui.storage.journal import JOURNAL_SUFFIX, read_journal


def test_plain_tinydb_opens_the_file_with_every_table(db: Path) -> None:
    with open_store(db) as store:
        client = add_client(store)
        add_session(store, client["id"], status="in_progress")
    plain = tinydb.TinyDB(db)
    assert set(plain.tables()) >= {"clients", "sessions", "meta", LAYOUT_TABLE}
    assert len(plain.table("clients")) == len(plain.table("sessions")) == 1
    assert plain.table("meta").all()[0]["schema_version"] == records.SCHEMA_VERSION
    # Records are packed (codes and indexes); the names and values are in `~layout`.
    layout = plain.table(LAYOUT_TABLE).all()
    names = next(d["fields"] for d in layout if d["table"] == "clients" and "field" not in d)
    (row,) = plain.table("clients").all()
    values = {d["field"]: d["values"] for d in layout if d["table"] == "clients" and "values" in d}
    code = str(names.index("name"))
    assert values[code][row[code]] == "Boulangerie Martin"
    assert values[str(names.index("id"))][row[str(names.index("id"))]] == client["id"]
    plain.close()


def test_every_shared_record_carries_its_revision_data(db: Path) -> None:
    with open_store(db, device="laptop-a") as store:
        client = add_client(store)
        second = store.put("clients", {**client, "name": "Boulangerie Martin et fils"})
    for key in ("id", "created_at", "updated_at", "vv", "dot", "deleted"):
        assert key in second
    assert second["vv"] == {"laptop-a": 2} and second["dot"][:2] == ["laptop-a", 1]
    # Only the field that changed carries the new edit's dot, with a later clock.
    assert list(second["dots"]) == ["name"] and second["dots"]["name"][:2] == ["laptop-a", 2]
    assert second["dots"]["name"][2] > second["dot"][2]
    assert second["created_at"] == client["created_at"]


def test_file_is_private_to_its_owner(db: Path) -> None:
    with open_store(db) as store:
        add_client(store)
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_unknown_fields_written_by_a_newer_laptop_survive_an_edit(db: Path) -> None:
    with open_store(db) as store:
        client = add_client(store)
        store.put("clients", {**client, "futur_champ": {"x": 1}})
        edited = store.get("clients", client["id"])
        assert edited is not None
        store.put("clients", {**edited, "name": "Autre nom"})
    with open_store(db) as store:
        final = store.get("clients", client["id"])
    assert final is not None and final["futur_champ"] == {"x": 1} and final["name"] == "Autre nom"


def test_a_save_goes_to_the_journal_and_close_folds_it_in(db: Path) -> None:
    store = open_store(db)
    client = add_client(store)
    journal = db.with_name(db.name + JOURNAL_SUFFIX)
    entries, bad = read_journal(journal)
    assert bad == 0 and entries[-1][2]["id"] == client["id"]
    assert client["id"] not in db.read_text()  # the file itself is only rewritten on close
    store.close()
    assert not journal.exists()
    assert client["id"] in db.read_text()


def test_a_torn_journal_line_is_skipped_and_the_rest_recovered(db: Path) -> None:
    store = open_store(db)
    first = add_client(store, "Fleuriste Roussel")
    store._storage._journal.close()  # simulate a crash: the journal left as it is
    store._lock.release()
    journal = db.with_name(db.name + JOURNAL_SUFFIX)
    with journal.open("ab") as handle:
        handle.write(b'0badc0de {"t": "clients", "k": "9", "d": {"id": "tro')
    with open_store(db) as again:
        assert again.get("clients", first["id"])["name"] == "Fleuriste Roussel"
        assert again.recovered_entries == 1
    assert not journal.exists()


def test_a_second_instance_is_refused(db: Path) -> None:
    with open_store(db), pytest.raises(LockedError, match="déjà ouvert"):
        open_store(db)


def test_a_lock_left_by_a_killed_process_is_taken_over(db: Path) -> None:
    code = (
        "import sys, time; from pathlib import Path; from tpe_tui.storage.store import Store;"
        f"s = Store.open(Path({str(db)!r}), 'dead'); print('ready', flush=True); time.sleep(60)"
    )
    child = subprocess.Popen(
        [PYTHON, "-c", code], stdout=subprocess.PIPE, env=subprocess_env(), text=True
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    with pytest.raises(LockedError):
        open_store(db)
    child.send_signal(signal.SIGKILL)
    child.wait()
    with open_store(db) as store:
        assert migrations.schema_of(store.data) == records.SCHEMA_VERSION


def test_cli_second_instance_gets_french_message_and_nonzero_exit(db: Path) -> None:
    with open_store(db):
        result = subprocess.run(
            [PYTHON, "-m", "tpe_tui", "demo", "--db", str(db), "--sessions", "1"],
            capture_output=True,
            text=True,
            env=subprocess_env(),
        )
    assert result.returncode == 1
    assert "déjà ouvert" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "content",
    [b'{"clients": {"1": {"id": "x", "name": "Tronqu', b"\x00\x01\x02 pas du json", b"[1, 2, 3]"],
)
def test_a_corrupt_file_is_set_aside_untouched_and_the_backup_named(
    db: Path, content: bytes
) -> None:
    for name in ("Fleuriste Roussel", "Garage Caron"):  # the second start makes a backup
        with open_store(db) as store:
            add_client(store, name)
    db.write_bytes(content)
    with pytest.raises(DataFileError) as caught:
        open_store(db)
    error = caught.value
    assert not db.exists()
    assert Path(error.set_aside).read_bytes() == content
    assert error.backup is not None and Path(error.backup).exists()
    assert "mis de côté" in str(error) and "sauvegarde" in str(error).lower()


def test_a_newer_schema_is_refused_and_left_byte_for_byte(db: Path) -> None:
    with open_store(db) as store:
        add_client(store)
    data = read_data(db)
    data["meta"]["1"]["schema_version"] = records.SCHEMA_VERSION + 1
    write_data(db, data)
    before = db.read_bytes()
    with pytest.raises(DataFileError, match="plus récente"):
        open_store(db)
    assert db.read_bytes() == before


def test_migration_runs_with_a_backup_first(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_store(db) as store:
        client = add_client(store)
    old_bytes = db.read_bytes()

    def v3_to_v4(data: migrations.Data) -> migrations.Data:
        for record in data["clients"].values():
            record["trade"] = record.get("trade") or "métier à préciser"
        return data

    monkeypatch.setattr(records, "SCHEMA_VERSION", 4)
    monkeypatch.setitem(migrations.MIGRATIONS, 3, v3_to_v4)
    with open_store(db) as store:
        assert migrations.schema_of(store.data) == 4
        assert store.get("clients", client["id"])["trade"] == "métier à préciser"
    backups = [p for p in list_backups(db) if "before-migration-3" in p.name]
    assert len(backups) == 1 and backups[0].read_bytes() == old_bytes
    assert read_data(db)["meta"]["1"]["schema_version"] == 4


def test_backups_are_taken_at_each_start(db: Path) -> None:
    for _ in range(3):
        with open_store(db) as store:
            add_client(store)
    starts = [p for p in list_backups(db) if p.name.endswith("-start.json")]
    assert len(starts) == 2  # the first start had no file to back up
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in starts)


def test_backup_rotation_keeps_recent_ones_and_one_per_day() -> None:
    names = [
        f"f-202611{day:02d}T{hour:02d}0000000000Z-start.json"
        for day in range(1, 31)
        for hour in (8, 12, 17)
    ]
    doomed = set(backups_to_delete(names, keep_last=5, keep_days=14))
    kept = sorted(set(names) - doomed, reverse=True)
    assert kept[:5] == sorted(names, reverse=True)[:5]
    days = {name[2:10] for name in kept}
    assert len(days) == 14 and "20261130" in days and "20261116" not in days
    assert all(f"f-202611{d:02d}T170000000000Z-start.json" in kept for d in range(17, 31))


def test_readonly_load_sees_journalled_saves_without_touching_files(db: Path) -> None:
    store = open_store(db)
    client = add_client(store)
    before = db.read_bytes()
    data = load_snapshot(db)
    assert any(r["id"] == client["id"] for r in data["clients"].values())
    assert db.read_bytes() == before
    store.close()


def test_tombstones_are_kept_not_removed(db: Path) -> None:
    with open_store(db) as store:
        client = add_client(store)
        store.delete("clients", client["id"])
        assert list(store.records("clients")) == []
        assert store.get("clients", client["id"])["deleted"] is True
    assert read_data(db)["clients"]["1"]["deleted"] is True


def test_demo_then_put_is_fast_path_journal_only(db: Path) -> None:
    with open_store(db) as store:
        client = add_client(store)
        store.compact()
        mtime = db.stat().st_mtime_ns
        time.sleep(0.01)
        store.put("clients", {**client, "name": "Changé"})
        assert db.stat().st_mtime_ns == mtime  # no full rewrite for one save
        assert store.pending


def _schema_1_client(**fields: object) -> dict:
    """A client as schema 1 wrote it: whole-record versions, conflicts as sibling versions."""
    record = records.new_record("clients", id="c1", name="Garage Caron", **fields)
    record.update(device="alpha", vv={"alpha": 2}, rev=2, hlc="0000000002000-0000")
    sibling = {**record, "phone": "06 00 00 00 00", "device": "bravo"}
    sibling.update(vv={"alpha": 1, "bravo": 1}, rev=2, hlc="0000000001500-0000")
    return {**record, "conflicts": [sibling]}


def test_a_schema_1_file_opens_migrated_to_field_level_with_a_backup(db: Path) -> None:
    head = _schema_1_client(phone="03 21 00 00 00", trade="Garage")
    db.write_text(
        json.dumps({"clients": {"1": head}, "meta": {"1": {"schema_version": 1}}}),
        encoding="utf-8",
    )
    old_bytes = db.read_bytes()
    with open_store(db, device="alpha") as store:
        client = store.get("clients", "c1")
        assert migrations.schema_of(store.data) == records.SCHEMA_VERSION == 3
    for gone in ("device", "rev", "hlc"):
        assert gone not in client
    assert client["vv"] == {"alpha": 2, "bravo": 1} and client["dot"] == ["alpha", 2, 2000]
    # The old sibling differed in its phone only: one conflict, of that field alone.
    assert client["conflicts"] == {"phone": [[["bravo", 1, 1500], "06 00 00 00 00"]]}
    backups = [p for p in list_backups(db) if "before-migration-1" in p.name]
    assert len(backups) == 1 and backups[0].read_bytes() == old_bytes


def test_a_file_from_a_laptop_not_yet_updated_merges(db: Path, tmp_path: Path) -> None:
    from tpe_tui.services.sync import import_file

    head = _schema_1_client()
    with open_store(db, device="alpha"):
        pass  # an empty file of today's schema
    other = tmp_path / "ancien.json"
    head["conflicts"] = []
    head.update(device="bravo", vv={"bravo": 3}, hlc="0000000003000-0000", notes="Devis")
    other.write_text(
        json.dumps({"clients": {"1": head}, "meta": {"1": {"schema_version": 1}}}),
        encoding="utf-8",
    )
    with open_store(db, device="alpha") as store:
        outcome = import_file(store, other)
        merged = store.get("clients", "c1")
    assert outcome.report.tables["clients"].new == 1
    assert merged["notes"] == "Devis" and merged["dot"] == ["bravo", 3, 3000]


def _dead_pid() -> int:
    """The id of a process that has ended (reaped)."""
    child = subprocess.Popen([PYTHON, "-c", "pass"])
    child.wait()
    return child.pid


def test_temporary_files_a_killed_writer_left_are_removed_at_the_next_open(db: Path) -> None:
    import os

    from tpe_tui.storage.paths import backups_dir

    with open_store(db) as store:
        add_client(store)
    dead = _dead_pid()
    ours = [
        db.with_name(f".{db.name}.{dead}.140.tmp"),  # a whole rewrite
        db.with_name(f".{db.name}.journal.{dead}.140.tmp"),  # a journal cut short
        db.with_name(f".{db.name}.accueil.{dead}.7.tmp"),  # the home picture
        backups_dir(db) / f".{db.stem}-20261127T101010000000Z-start.json.{dead}.1.tmp",
    ]
    others = [
        db.with_name(f".{db.name}.{os.getpid()}.140.tmp"),  # a writer still running
        db.with_name(f".autre.json.{dead}.140.tmp"),  # another file's, not ours to judge
        db.with_name(f".{db.name}.tmp"),  # not our naming
        db.with_name(f"{db.name}.{dead}.140.tmp"),
        db.with_name("notes.txt"),
        backups_dir(db) / f".autre-20261127T101010000000Z-start.json.{dead}.1.tmp",
    ]
    backups_dir(db).mkdir(exist_ok=True)
    for path in [*ours, *others]:
        path.write_bytes(b"{}" * 1000)
    with open_store(db):
        pass
    assert [p for p in ours if p.exists()] == []
    assert [p for p in others if not p.exists()] == []
    assert json.loads(db.read_bytes())["clients"]


def test_a_killed_export_s_temporary_file_is_removed_from_the_documents_folder(
    db: Path,
) -> None:
    from tpe_tui.services.workspace import Workspace
    from tpe_tui.storage import paths

    folder = paths.private_dir(paths.documents_dir())
    leftover = folder / f".2026-11-27-bilan-activite.pdf.{_dead_pid()}.1.tmp"
    summary = folder / "compte-rendu.md"
    leftover.write_bytes(b"%PDF" * 100)
    summary.write_text("gardé", encoding="utf-8")
    with Workspace.open(db, "laptop"):
        pass
    assert not leftover.exists() and summary.read_text(encoding="utf-8") == "gardé"


def test_old_files_on_both_sides_merge_field_by_field(db: Path, tmp_path: Path) -> None:
    """Issue 12's story across the update: both laptops held the same old (schema 1)
    version. Laptop A is updated and changes the phone and the notes; laptop B, not yet
    updated, changes the address and the notes. Whichever merges the other's file, only
    the notes are a conflict: B's old file says nothing of when its phone was last set,
    but A recognises the phone it overwrote."""
    from tpe_tui.services.sync import export, import_file
    from tpe_tui.sync.registers import visible_conflicts

    common = records.new_record(
        "clients", id="c1", name="Garage Caron", phone="03 21 00 00 00", address="1 rue Haute"
    )
    common.update(device="zulu", vv={"zulu": 2, "alpha": 1}, rev=3, hlc="0000000002000-0000")

    def old_file(path: Path, record: dict, laptop: str) -> Path:
        meta = {"1": {"schema_version": 1, "written_by": laptop}}
        path.write_text(json.dumps({"clients": {"1": record}, "meta": meta}), encoding="utf-8")
        return path

    on_b = {**common, "address": "2 rue Basse", "notes": "Rappeler B", "device": "bravo"}
    on_b.update(vv={"zulu": 2, "alpha": 1, "bravo": 1}, hlc="0000000003000-0000")
    a_file = old_file(db, common, "alpha")
    (tmp_path / "b").mkdir()
    b_file = old_file(tmp_path / "b" / "donnees.json", on_b, "bravo")
    with open_store(a_file, device="alpha") as store:  # A updated: its file migrates
        client = store.get("clients", "c1")
        store.put("clients", {**client, "phone": "06 11 11 11 11", "notes": "Rappeler A"})
    carried_a = export(a_file, tmp_path / "de-a.json", "alpha")
    carried_b = tmp_path / "de-b.json"
    carried_b.write_bytes(b_file.read_bytes())  # B's old file, as B's old app wrote it

    with open_store(a_file, device="alpha") as store:  # A merges B's old file
        assert import_file(store, carried_b).report.tables["clients"].conflicts == 1
        on_a_after = store.get("clients", "c1")
    with open_store(b_file, device="bravo") as store:  # B updated later: merges A's file
        assert import_file(store, carried_a).report.tables["clients"].conflicts == 1
        on_b_after = store.get("clients", "c1")
    for merged in (on_a_after, on_b_after):
        assert merged["phone"] == "06 11 11 11 11" and merged["address"] == "2 rue Basse"
        assert sorted(visible_conflicts("clients", merged)) == ["notes"]
    values = {v for _, v in visible_conflicts("clients", on_a_after)["notes"]}
    assert values == {"Rappeler A", "Rappeler B"}


def test_closing_on_a_full_disk_puts_unsaved_documents_in_the_journal_when_it_has_room(
    small_disk: Path,
) -> None:
    """A real full disk: the save fails; a little room comes back, too little for a whole
    rewrite but enough for a journal line: closing keeps the document there, nothing lost."""
    from tests.conftest import fill_disk
    from tpe_tui.services.demo import fill
    from tpe_tui.services.workspace import Workspace

    db = small_disk / "donnees.json"
    with Workspace.open(db, "laptop-a") as workspace:
        fill(workspace, 150, seed=1, replace=False)  # a file of ~650 kB
    assert db.stat().st_size > 256 * 1024
    store = open_store(db)
    filler = fill_disk(small_disk)
    client = store.get("clients", next(iter(store.records("clients")))["id"])
    with pytest.raises(SaveError):
        store.put("clients", {**client, "notes": "rappeler lundi"})
    os.truncate(filler, filler.stat().st_size - 64 * 1024)  # 64 kB freed: not a whole file
    store.close()  # no error: the journal took it
    entries, _ = read_journal(db.with_name(db.name + JOURNAL_SUFFIX))
    assert [doc["notes"] for _, _, doc in entries if doc] == ["rappeler lundi"]
    filler.unlink()
    with open_store(db) as again:  # replayed at the opening
        assert again.get("clients", client["id"])["notes"] == "rappeler lundi"


def test_a_home_picture_that_does_not_fit_on_the_disk_costs_nothing(db: Path) -> None:
    """On a nearly full disk, the picture written at quit fails; the quit must not
    (atomic_write turns the full disk into a SaveError, which was let through)."""
    import resource
    import subprocess

    from tests.conftest import PYTHON, subprocess_env

    with open_store(db) as store:
        add_client(store)
    code = (
        "import sys; from pathlib import Path; from tpe_tui.storage import home_picture;"
        "home_picture.write(Path(sys.argv[1]), {'recent': ['x' * 100000]}); print('ok')"
    )

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    done = subprocess.run(
        [PYTHON, "-c", code, str(db)],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        preexec_fn=small_files,
    )
    assert (done.returncode, done.stdout.strip()) == (0, "ok"), done.stderr
