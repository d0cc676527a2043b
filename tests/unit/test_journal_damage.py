"""A journal line damaged in the MIDDLE (a finished save whose checksum is now wrong): the
saves after it are replayed, the line is reported and kept aside before the journal is
folded, never lost (acceptance finding NEW4-11, its rest)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import add_client, open_store
from tpe_tui.storage.backups import kept_copies
from tpe_tui.storage.journal import journal_path
from tpe_tui.storage.store import Store


def crashed_after(db: Path, *names: str) -> list[dict]:
    """Businesses saved one per journal line, then a crash: the journal left as it is (the
    second save of a name edits the first: its phone)."""
    store = open_store(db)
    saved: dict[str, dict] = {}
    for name in names:
        if name in saved:
            saved[name] = store.put("clients", {**saved[name], "phone": "03 23 00 00 00"})
        else:
            saved[name] = add_client(store, name, trade="Garagiste")
    store._storage._journal.close()  # the process dies: nothing folded, lock left
    store._lock.release()
    return list(saved.values())


def damage_line(db: Path, number: int, old: bytes, new: bytes) -> bytes:
    """Change bytes inside one journal line (its newline kept), as a disk fault does."""
    journal = journal_path(db)
    lines = journal.read_bytes().split(b"\n")
    assert old in lines[number - 1]
    lines[number - 1] = lines[number - 1].replace(old, new, 1)
    journal.write_bytes(b"\n".join(lines))
    return lines[number - 1]


def test_a_damaged_middle_line_is_reported_kept_aside_and_the_rest_replayed(db: Path) -> None:
    girard, garage, fleuriste = crashed_after(
        db, "Boulangerie Girard", "Garage Lefèvre", "Boulangerie Girard", "Fleuriste Roussel"
    )
    damaged = damage_line(db, 2, b"Garagiste", b"Garagistf")  # the JSON is still whole
    with open_store(db) as store:
        assert store.get("clients", girard["id"])["phone"] == "03 23 00 00 00"  # line 3
        assert store.get("clients", fleuriste["id"]) is not None  # line 4
        assert store.get("clients", garage["id"]) is None  # its only save is the damaged one
        (line,) = store.journal_damage
        assert (line.number, line.table, line.record_id) == (2, "clients", garage["id"])
        assert (line.followed_by, line.saved_again) == (2, False)
        assert line.saved_at == garage["updated_at"] and line.doc["name"] == "Garage Lefèvre"
        kept = store.damaged_lines_kept
        assert kept is not None and kept.read_bytes() == damaged + b"\n"
    assert not journal_path(db).exists()  # folded: the damaged line lives on in `kept` only
    assert kept in kept_copies(db)  # an erasure finds it as it finds the backups
    with open_store(db) as again:  # nothing to say any more
        assert again.journal_damage == [] and again.damaged_lines_kept is None


def test_a_line_whose_json_is_broken_still_says_which_record_and_if_saved_again(
    db: Path,
) -> None:
    girard, _ = crashed_after(db, "Boulangerie Girard", "Garage Lefèvre", "Boulangerie Girard")
    damage_line(db, 1, b'"name":"Boulangerie', b'"name"!"Boulangerie')
    snapshot = Store.snapshot(db)  # as `check` reads it: nothing written, nothing kept aside
    (line,) = snapshot._storage.journal_damage
    assert (line.record_id, line.saved_at, line.doc) == (girard["id"], girard["updated_at"], None)
    assert (line.followed_by, line.saved_again) == (2, True)  # line 3 saves it again, whole
    assert snapshot.damaged_lines_kept is None and journal_path(db).exists()


def test_a_save_after_a_line_cut_short_is_not_glued_to_it(db: Path) -> None:
    """A journal ending in a line cut short (a kill mid-write), nothing else in it: the
    next save was appended to that line and lost with it at the next crash."""
    with open_store(db) as store:
        add_client(store, "Boulangerie Girard")
    journal = journal_path(db)
    journal.write_bytes(b'0badc0de {"t":"clients","k":"9","d":{"id')  # all it holds
    store = Store.open(db, "laptop-a")  # opened at last, the cut save is not kept…
    later = add_client(store, "Fleuriste Roussel")  # …and this one is, the app crashing again
    store._storage._journal.close()
    store._lock.release()
    with open_store(db) as again:
        assert again.get("clients", later["id"]) is not None
