"""A file brought in by a sync is data: its texts lose their control characters at the
door, as typed text does, and the cleaned value is a fixed point, so two laptops hold the
same records and syncing again changes nothing (acceptance finding F29)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import open_store, read_data, write_data
from tpe_tui.domain.plain_text import plain_data, printable
from tpe_tui.domain.records import new_record
from tpe_tui.services.sync import import_file
from tpe_tui.storage.exchange import holds_controls, may_hold_controls

HOSTILE = "Boulangerie \x1b]0;PWNED\x07\x1b[31mROUGE\x1b[0m\x9b2J"
CLEAN = "Boulangerie ]0;PWNED[31mROUGE[0m2J"
NOTES = "ligne 1\r\nligne 2\tcolonne\x1b[2J"


def _raw_file(path: Path, device: str) -> str:
    """A file written by another laptop whose business name and notes hold escape
    sequences (as an old or hostile program could write them)."""
    with open_store(path, device) as store:
        client = store.put("clients", new_record("clients", name="Boulangerie", notes="x"))
    data = read_data(path)
    for doc in data["clients"].values():
        if doc.get("id") == client["id"]:
            doc.update(name=HOSTILE, notes=NOTES)
    write_data(path, data)
    return str(client["id"])


def _texts(path: Path) -> str:
    """The file's records as Python shows them: a control character reads `\\x1b`."""
    return repr(read_data(path))


def test_a_synced_file_loses_its_control_characters_and_a_second_sync_changes_nothing(
    tmp_path: Path,
) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    with open_store(a, "laptop-a"):
        pass
    client_id = _raw_file(b, "laptop-b")
    with open_store(a, "laptop-a") as store:
        first = import_file(store, b)
        got = store.get("clients", client_id)
    assert first.report.tables["clients"].new == 1
    assert got["name"] == CLEAN
    assert got["notes"] == "ligne 1\nligne 2\tcolonne[2J"  # line breaks and tabs stay
    assert "\\x1b" not in _texts(a)

    # B takes A's file back: B's own raw record is cleaned the same way, the two agree.
    with open_store(b, "laptop-b") as store:
        import_file(store, a)
        assert store.get("clients", client_id)["name"] == CLEAN
    assert "\\x1b" not in _texts(b)
    for db, other, device in ((a, b, "laptop-a"), (b, a, "laptop-b")):
        with open_store(db, device) as store:
            again = import_file(store, other)
        assert not again.changed, again.lines
        assert again.report.tables["clients"].unchanged == 1


def test_our_own_record_stored_raw_by_an_older_sync_is_cleaned_once(tmp_path: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    client_id = _raw_file(a, "laptop-a")  # stored raw before the fix; B never had it
    with open_store(b, "laptop-b") as store:
        store.put("clients", new_record("clients", name="Garage Caron"))
    with open_store(a, "laptop-a") as store:
        import_file(store, b)
        assert store.get("clients", client_id)["name"] == CLEAN
    assert "\\x1b" not in _texts(a)
    with open_store(a, "laptop-a") as store:
        assert not import_file(store, b).changed


@given(st.recursive(st.text(), lambda kids: st.lists(kids) | st.dictionaries(st.text(), kids)))
def test_cleaning_is_a_fixed_point(value: object) -> None:
    once = plain_data(value)
    assert plain_data(once) == once


@given(st.text())
def test_the_byte_search_never_misses_a_control_character(text: str) -> None:
    if printable(text) != text:
        assert holds_controls({"name": text})
    assert may_hold_controls(b'{"a": "x\\u001by"}') and not may_hold_controls(b'{"a": "x\\ny"}')


def test_a_text_from_the_journal_beside_the_other_file_is_cleaned_too(tmp_path: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    with open_store(a, "laptop-a"):
        pass
    other = open_store(b, "laptop-b")  # still open: its last save is in its journal
    try:
        record = other.put("clients", new_record("clients", name=HOSTILE))
        assert b.with_name(b.name + ".journal").exists()
        with open_store(a, "laptop-a") as store:
            import_file(store, b)
            assert store.get("clients", record["id"])["name"] == CLEAN
    finally:
        other.close()
    assert "\\x1b" not in _texts(a)
